"""Robustness of a recommendation: a seeded Monte Carlo over the estimated inputs (DESIGN §3).

Each estimated input gets a range around its value that widens as the irritant's evidence is weaker;
every draw moves all of them together and applies ``scoring.recommend``'s rule again, all draws at once in
arrays (``irritants.scoring_draws``). The answer is robust when the recommended *option* (not only its family)
wins in at least ``robust_share`` of the draws.

The defaults below complete the programme's parameters (``{**UNCERTAINTY_DEFAULTS, **parameters}``):
they live here, not in ``scoring.DEFAULT_PARAMETERS``, so that this analysis can change without touching
the scoring rule; a programme that saves them in its parameters overrides them.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, replace

import numpy as np

from irritants import scoring_draws
from irritants.method_parameters import RISKS
from irritants.scoring import (
    DEFAULT_PARAMETERS,
    REFORMULATE,
    IrritantInput,
    OptionInput,
    Recommendation,
    recommend,
    risk_keys,
)
from irritants.scoring_draws import NO_OPTION
from participants.reasons import N_, Reason, Series

UNCERTAINTY_DEFAULTS = {
    # Relative half-width of each estimated input's range, by evidence level (0 felt … 3 measured).
    "uncertainty_by_evidence": {0: 0.6, 1: 0.45, 2: 0.3, 3: 0.15},
    "robust_share": 0.8,
    # 500 draws: the standard error of a share near 80 % is sqrt(0.8 × 0.2 / 500) ≈ 1.8 point, under 2 points,
    # so a verdict at the 80 % threshold moves only for answers within a couple of points of it.
    "draws": 500,
    # Half-width of each risk factor's range: a judgement of the programme, so it is drawn too (±0.1 around 0.8).
    "risk_spread": 0.1,
}
IRRITANT_INPUTS = ("occurrences_per_month", "minutes_per_occurrence", "agents_affected")
OPTION_INPUTS = ("reduction", "one_off_cost", "recurring_cost")
LEVELS = ("evidence_level", "actionability")
# A zero input moves too: the range's half-width is at least the relative width times this floor, so a
# frequency typed as 0 is drawn up to 0.6 a month at evidence level 0 (a value may be forgotten, not known).
FLOORS = {"occurrences_per_month": 1.0, "minutes_per_occurrence": 5.0, "agents_affected": 1.0,
          "reduction": 0.1, "one_off_cost": 500.0, "recurring_cost": 100.0}
# Only an input that changes the winning share by this much between its lower and upper thirds is named.
NOTABLE_EFFECT = 0.05
TOP_INPUTS = 3

NAMES = {"occurrences_per_month": N_("la fréquence de l'irritant"),
         "minutes_per_occurrence": N_("la durée de chaque occurrence"),
         "agents_affected": N_("le nombre d'agents concernés"), "evidence_level": N_("le niveau de preuve"),
         "actionability": N_("le niveau d'actionnabilité")}
OPTION_NAMES = {"reduction": "la réduction attendue de « %(option)s »",
                "one_off_cost": "le coût ponctuel de « %(option)s »",
                "recurring_cost": "le coût annuel de « %(option)s »"}
# Extraction finds the msgids where they are written; OPTION_NAMES only picks one of them.
RISK_NAME = "le risque « %(risk)s »"
_OPTION_MSGIDS = (N_("le risque « %(risk)s »"),
                  N_("la réduction attendue de « %(option)s »"), N_("le coût ponctuel de « %(option)s »"),
                  N_("le coût annuel de « %(option)s »"))


@dataclass(frozen=True)
class Effect:
    """How much one input moves the recommended option's winning share (upper third − lower third)."""

    key: str  # "agents_affected", or "reduction:1" for an option's input (its index)
    name: Reason
    lower_share: float
    upper_share: float

    @property
    def change(self) -> float:
        """The signed change of the winning share from the input's lower to its upper third."""
        return self.upper_share - self.lower_share


@dataclass(frozen=True)
class Robustness:
    """The recommended option, the share of draws each option wins, its value's spread, what moves it."""

    family: str
    label: str
    chosen: int | None  # index of the recommended option, None for "reformulate"
    labels: tuple[str, ...]  # the options' labels, in the order given
    shares: dict  # option index (or REFORMULATE) → share of draws it wins
    p10: float | None
    p50: float | None
    p90: float | None
    effects: tuple[Effect, ...]  # every input, the largest change first
    draws: int
    threshold: float

    @property
    def share(self) -> float:
        """The share of draws in which the recommended answer wins."""
        return self.shares.get(REFORMULATE if self.chosen is None else self.chosen, 0.0)

    @property
    def robust(self) -> bool:
        """The recommended answer wins in at least the threshold share of draws."""
        return self.share >= self.threshold

    @property
    def runner_up(self) -> int | str | None:
        """The answer that wins most often instead of the recommended one."""
        own = REFORMULATE if self.chosen is None else self.chosen
        others = [(share, key) for key, share in self.shares.items() if key != own and share > 0]
        return max(others, key=lambda pair: (pair[0], str(pair[1])))[1] if others else None

    @property
    def movers(self) -> tuple[Effect, ...]:
        """Up to three inputs that move the answer most, when they move it notably."""
        return tuple(e for e in self.effects if abs(e.change) >= NOTABLE_EFFECT)[:TOP_INPUTS]

    def answer(self, key) -> Reason:
        """An answer (option index or REFORMULATE) in words."""
        if key == REFORMULATE or key is None:
            return N_("reformuler ou abandonner")
        return N_("« %(option)s »", option=self.labels[key])

    @property
    def reason(self) -> Reason:
        """The verdict as the steering committee reads it."""
        # Rounded down: a share of 79.8 % must not read "80 %" beside a verdict that says it is below 80 %.
        figures = {"percent": rounded_down(self.share, 100), "draws": self.draws,
                   "required": round(self.threshold * 100)}
        if self.robust:
            if self.chosen is None:
                return N_("Réponse robuste : reformuler ou abandonner reste la réponse dans %(percent)s\u00a0%% des "
                          "%(draws)s tirages.", **figures)
            return N_("Réponse robuste : l'option recommandée l'emporte dans %(percent)s\u00a0%% des %(draws)s "
                      "tirages.", **figures)
        other = self.answer(self.runner_up)
        if self.movers:
            return N_("Réponse fragile : elle ne l'emporte que dans %(percent)s\u00a0%% des %(draws)s tirages (il en "
                      "faut %(required)s\u00a0%%) ; c'est surtout %(inputs)s qui la font changer, au profit de "
                      "%(other)s.", inputs=Series(tuple(e.name for e in self.movers), "commas"), other=other,
                      **figures)
        return N_("Réponse fragile : elle ne l'emporte que dans %(percent)s\u00a0%% des %(draws)s tirages (il en faut "
                  "%(required)s\u00a0%%), le plus souvent au profit de %(other)s.", other=other, **figures)


def rounded_down(share: float, parts: int) -> int:
    """How many whole ``parts`` (100 for percents) a share holds, rounded down without float noise.

    0.29 × 100 is 28.999… in binary: rounded down as is, a share of 29 % would read 28 %.
    """
    return math.floor(round(share * parts, 6))


def seed_of(irritant: IrritantInput, options: list[OptionInput]) -> int:
    """A seed derived from the irritant and its options: the same page shows the same figures each time."""
    # repr of frozen dataclasses is stable across runs (unlike hash() of strings, salted per process).
    digest = hashlib.sha256(repr((irritant, tuple(options))).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _ranges(value: float, width: float, floor: float, upper: float | None = None) -> tuple[float, float]:
    half = width * max(abs(value), floor)
    low, high = max(value - half, 0.0), value + half
    return low, (min(high, upper) if upper is not None else high)


def _code(key: int | str) -> int:
    """An answer as scoring_draws codes it: the option's index, or NO_OPTION for "reformulate"."""
    return NO_OPTION if key == REFORMULATE else key


def _chosen_index(result) -> int | str:
    if result.chosen is None:
        return REFORMULATE
    return next(i for i, a in enumerate(result.assessments) if a is result.chosen)


@dataclass(frozen=True)
class Draws:
    """The drawn inputs: each input's uniform numbers in [0, 1) and the values they give, by name."""

    count: int
    width: float  # the relative half-width of the irritant's evidence level
    columns: dict[str, np.ndarray]
    values: dict[str, np.ndarray]
    risks: tuple[str, ...]  # the risk factors drawn, the ones that apply to some option


def draw_inputs(irritant: IrritantInput, options: list[OptionInput], parameters: dict = DEFAULT_PARAMETERS,
                *, seed: int | None = None) -> Draws:
    """Draw every estimated input over its range, seeded by the irritant and its options unless told otherwise."""
    params = {**UNCERTAINTY_DEFAULTS, **parameters}
    draws = int(params["draws"])
    widths = {int(k): float(v) for k, v in params["uncertainty_by_evidence"].items()}
    width = widths.get(int(irritant.evidence_level), max(widths.values()))
    rng = np.random.default_rng(seed_of(irritant, options) if seed is None else seed)
    # Uniform over each range: the range says what is plausible, and nothing tells us one value is likelier
    # than another inside it (a triangular law would claim the typed value is the most likely one).
    # Each column is a uniform number u in [0, 1): the value drawn is low + u × (high − low), so u's thirds
    # are the input's lower, middle and upper thirds, whatever its range.
    columns: dict[str, np.ndarray] = {}
    values: dict[str, np.ndarray] = {}
    for name in IRRITANT_INPUTS:
        low, high = _ranges(float(getattr(irritant, name)), width, FLOORS[name])
        columns[name] = rng.random(draws)
        values[name] = low + columns[name] * (high - low)
    for index, option in enumerate(options):
        for name in OPTION_INPUTS:
            low, high = _ranges(float(getattr(option, name)), width, FLOORS[name], 1.0 if name == "reduction" else None)
            key = f"{name}:{index}"
            columns[key] = rng.random(draws)
            values[key] = low + columns[key] * (high - low)
    # Risk factors are judgements: each that applies to an option is drawn within ± the spread, kept in (0, 1].
    spread = float(params["risk_spread"])
    risks = sorted({key for option in options for key in risk_keys(option) if key in RISKS})
    for key in risks:
        value = float(params.get(key, RISKS[key][0]))
        columns[key] = rng.random(draws)
        values[key] = np.clip(value - spread + columns[key] * 2 * spread, 0.01, 1.0)
    # Judged levels move by one step, down or up, each in a quarter of the relative width's share of draws
    # (7.5 % each way at evidence level 2): a level recorded at a workshop may be one off, rarely more.
    # The severity flags are not drawn: they are facts the workshop confirmed, not estimates.
    for name in LEVELS:
        columns[name] = rng.random(draws)
        step = np.where(columns[name] < width / 4, -1, np.where(columns[name] > 1 - width / 4, 1, 0))
        values[name] = np.clip(getattr(irritant, name) + step, 0, 3)
    return Draws(draws, width, columns, values, tuple(risks))


def recommend_in_draw(irritant: IrritantInput, options: list[OptionInput], parameters: dict, draws: Draws,
                      draw: int) -> Recommendation:
    """``scoring.recommend`` on one draw's inputs: the rule the arrays of ``scoring_draws`` follow."""
    def at(key: str):
        return draws.values[key][draw].item()  # a Python number, as a person's typed input would be
    moved = replace(irritant, **{name: at(name) for name in (*IRRITANT_INPUTS, *LEVELS)})
    moved_options = [replace(option, **{name: at(f"{name}:{i}") for name in OPTION_INPUTS})
                     for i, option in enumerate(options)]
    return recommend(moved, moved_options, {**parameters, **{key: at(key) for key in draws.risks}})


def robustness(irritant: IrritantInput, options: list[OptionInput], parameters: dict = DEFAULT_PARAMETERS,
               *, seed: int | None = None) -> Robustness:
    """Draw every estimated input jointly over its range and count which option wins each draw."""
    params = {**UNCERTAINTY_DEFAULTS, **parameters}
    base = recommend(irritant, options, parameters)
    chosen = _chosen_index(base)
    drawn = draw_inputs(irritant, options, parameters, seed=seed)
    columns, draws, width = drawn.columns, drawn.count, drawn.width

    def by_the_scalar_rule(draw: int) -> int:
        return _code(_chosen_index(recommend_in_draw(irritant, options, parameters, drawn, draw)))
    winners, adjusted = scoring_draws.winners(irritant, options, parameters, drawn.values, draws, by_the_scalar_rule)
    recommended_values = adjusted[:, chosen] if chosen != REFORMULATE else np.full(draws, np.nan)

    keys = [*range(len(options)), REFORMULATE]
    shares = {key: float(np.count_nonzero(winners == _code(key))) / draws for key in keys}
    won = winners == _code(chosen)
    effects = []
    for key, column in columns.items():
        lower, upper = column < 1 / 3, column >= 2 / 3
        if key in LEVELS:  # a level moves in a share of draws only: compare its draws moved down and up
            lower, upper = column < width / 4, column > 1 - width / 4
        name, _sep, index = key.partition(":")
        if key in RISKS:
            label = N_(RISK_NAME, risk=RISKS[key][1])
        else:
            label = NAMES[name] if not index else N_(OPTION_NAMES[name], option=options[int(index)].label)
        effects.append(Effect(key, label, float(won[lower].mean()) if lower.any() else 0.0,
                              float(won[upper].mean()) if upper.any() else 0.0))
    effects.sort(key=lambda e: (-abs(e.change), e.key))
    if chosen == REFORMULATE:
        p10 = p50 = p90 = None
    else:
        p10, p50, p90 = (float(q) for q in np.percentile(recommended_values, [10, 50, 90]))
    return Robustness(base.family, base.label, None if chosen == REFORMULATE else chosen,
                      tuple(o.label for o in options), shares, p10, p50, p90, tuple(effects), draws,
                      float(params["robust_share"]))
