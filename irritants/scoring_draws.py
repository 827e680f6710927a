"""The frugal-first rule of ``scoring.recommend``, applied to every Monte Carlo draw at once with numpy arrays.

The robustness analysis asks the same question of 500 drawn inputs: which option wins, and what is the
recommended option worth. Asking ``recommend`` 500 times builds 500 sets of French reasons nobody reads; here
each step of the rule is one array operation over the draws, in the same order of arithmetic as the scalar
rule, so that each draw gives exactly the answer ``recommend`` gives it (tests/irritants/test_scoring_draws.py
checks this on random inputs). A draw the arrays cannot settle exactly — two options alike in value, label and
family, or a value that is not finite — is answered by ``recommend`` itself.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from irritants.method_parameters import RISKS
from irritants.scoring import FRUGAL_FAMILIES, IrritantInput, OptionInput, blocking_reason, risk_keys

# The winner's code in a draw where no option wins ("reformulate or drop", or a volume still to estimate).
NO_OPTION = -1


def _best(adjusted: np.ndarray, candidates: list[int],
          options: list[OptionInput]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per draw, the candidate with the highest value (ties to the first label, then family), its value, and
    the draws left unsettled.

    ``recommend`` breaks a remaining tie (same value, label and family) on the options' other fields, which
    the draws change: such draws are returned as unsettled for the scalar rule to answer.
    """
    draws = adjusted.shape[0]
    if not candidates:
        return np.full(draws, NO_OPTION), np.zeros(draws), np.zeros(draws, dtype=bool)
    ordered = sorted(candidates, key=lambda i: (options[i].label, options[i].family))
    values = adjusted[:, ordered]
    # argmax takes the first of equal maxima: the first label, then family, as recommend's min does.
    best = np.asarray(ordered)[np.argmax(values, axis=1)]
    unsettled = ~np.isfinite(values).all(axis=1)
    top = values.max(axis=1)
    groups: dict[tuple[str, str], list[int]] = {}
    for column, index in enumerate(ordered):
        groups.setdefault((options[index].label, options[index].family), []).append(column)
    for columns in groups.values():
        if len(columns) > 1:
            unsettled |= (values[:, columns] == top[:, None]).sum(axis=1) > 1
    return best, adjusted[np.arange(draws), best], unsettled


def _values(options: list[OptionInput], parameters: dict, values: dict[str, np.ndarray],
            draws: int) -> tuple[np.ndarray, np.ndarray]:
    """Every option's risk-adjusted value per draw (``scoring.assess_option``), and the hours lost per draw."""
    hours = values["occurrences_per_month"] * 12 * values["minutes_per_occurrence"] / 60 * values["agents_affected"]
    cost = hours * parameters["loaded_hourly_cost"]
    amortisation = max(parameters["amortisation_years"], 1.0)
    adjusted = np.empty((draws, len(options)))
    for index, option in enumerate(options):
        one_off = values[f"one_off_cost:{index}"]
        members = max(int(option.shared_between), 1)
        if option.shareable and members > 1:
            one_off = np.minimum(one_off, one_off / members + parameters["coordination_cost_per_member"])
        net = values[f"reduction:{index}"] * cost - values[f"recurring_cost:{index}"] - one_off / amortisation
        factor = np.ones(draws)
        for key in risk_keys(option):
            if key in RISKS:
                factor = factor * np.clip(values[key], 0.0, 1.0)
        adjusted[:, index] = np.where(net > 0, net * factor, net)
    return adjusted, hours


def winners(irritant: IrritantInput, options: list[OptionInput], parameters: dict, values: dict[str, np.ndarray],
            draws: int, recommend_draw: Callable[[int], int]) -> tuple[np.ndarray, np.ndarray]:
    """Each draw's winning option (``NO_OPTION`` for none) and every option's risk-adjusted value, per draw.

    ``values`` holds the drawn inputs by name (``"agents_affected"``, ``"reduction:1"``, a risk key);
    ``recommend_draw(d)`` gives draw ``d``'s winner by the scalar rule, for the draws the arrays leave unsettled
    (their values are the same either way: only the choice between equal values is left to it).
    """
    # Overflow and 0 × ∞ give non-finite values here as in Python floats; _best leaves those draws to recommend.
    with np.errstate(over="ignore", invalid="ignore"):
        adjusted, hours = _values(options, parameters, values, draws)

    unblocked = [blocking_reason(option) is None for option in options]
    frugal = [i for i, option in enumerate(options) if option.family in FRUGAL_FAMILIES and unblocked[i]]
    ai = [i for i, option in enumerate(options) if option.is_ai]
    best_frugal, frugal_value, frugal_unsettled = _best(adjusted, frugal, options)
    best_ai, ai_value, ai_unsettled = _best(adjusted, [i for i in ai if unblocked[i]], options)
    needed = (1 + parameters["margin"]) * np.maximum(frugal_value, 0.0)

    winner = np.where((best_frugal >= 0) & (frugal_value > 0), best_frugal, NO_OPTION)
    if ai:
        qualified = ((values["evidence_level"] >= parameters["min_evidence_level"])
                     & ((hours >= parameters["major_threshold_hours"]) | irritant.impact_citizens
                        | irritant.compliance_risk | irritant.mental_load)
                     & (values["actionability"] >= parameters["min_actionability"]))
        ai_wins = (qualified & (hours >= parameters["high_value_threshold_hours"]) & (best_ai >= 0)
                   & (ai_value > 0) & (ai_value >= needed))
        winner = np.where(ai_wins, best_ai, winner)
    if irritant.volume_unknown:
        winner = np.full(draws, NO_OPTION)
    for draw in np.flatnonzero(frugal_unsettled | ai_unsettled):
        winner[draw] = recommend_draw(int(draw))
    return winner, adjusted
