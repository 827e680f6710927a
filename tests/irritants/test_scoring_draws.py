"""The robustness draws are answered with arrays: each draw must get exactly the answer ``recommend`` gives it."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from irritants import scoring_draws
from irritants.robustness import UNCERTAINTY_DEFAULTS, draw_inputs, recommend_in_draw, robustness
from irritants.scoring import DEFAULT_PARAMETERS, REFORMULATE, IrritantInput, OptionInput, recommend
from tests.irritants.scoring_examples import AI, FRUGAL
from tests.irritants.scoring_examples import BIG as EXAMPLE_IRRITANT
from tests.irritants.test_scoring_properties import SETTINGS, irritants, option_lists, parameters

# Ranges of zero width: every draw repeats the typed values, so options alike in value tie in every draw.
ZERO_WIDTH = {0: 0.0, 1: 0.0, 2: 0.0, 3: 0.0}
BIG = IrritantInput(occurrences_per_month=60, minutes_per_occurrence=25, agents_affected=2, evidence_level=3,
                    actionability=3)


def _code(result) -> int:
    """The winner of a scalar answer, coded as scoring_draws codes it."""
    if result.chosen is None:
        return scoring_draws.NO_OPTION
    return next(i for i, a in enumerate(result.assessments) if a is result.chosen)


def _by_arrays(irritant, options, params, drawn, asked: list[int] | None = None):
    def scalar(draw: int) -> int:
        if asked is not None:
            asked.append(draw)
        return _code(recommend_in_draw(irritant, options, params, drawn, draw))
    return scoring_draws.winners(irritant, options, params, drawn.values, drawn.count, scalar)


@given(irritants, st.booleans(), option_lists, parameters,
       st.sampled_from([UNCERTAINTY_DEFAULTS["uncertainty_by_evidence"], ZERO_WIDTH]), st.sampled_from([0.0, 0.1]),
       st.integers(0, 2**32))
@SETTINGS
def test_every_draw_gets_the_winner_and_the_values_recommend_gives_it(irritant, unknown, options, generated, widths,
                                                                      spread, seed):
    irritant = IrritantInput(**{**irritant.__dict__, "volume_unknown": unknown})
    params = {**DEFAULT_PARAMETERS, **generated, "draws": 30, "uncertainty_by_evidence": widths,
              "risk_spread": spread}
    drawn = draw_inputs(irritant, options, params, seed=seed)
    winners, adjusted = _by_arrays(irritant, options, params, drawn)
    for draw in range(drawn.count):
        expected = recommend_in_draw(irritant, options, params, drawn, draw)
        assert winners[draw] == _code(expected)
        assert np.array_equal(adjusted[draw], [a.adjusted_value for a in expected.assessments], equal_nan=True)


def test_options_alike_in_value_label_and_family_are_left_to_recommend_s_own_tie_break():
    # Same label, family and value; only the months to value differ. recommend orders such options by their
    # whole description (months 0 before months 6), not by the order they were typed in: the arrays alone
    # would take the first typed. Every draw ties (zero widths, no risk spread), so every draw goes to recommend.
    later = OptionInput(family="formation", label="Formation", reduction=0.3, months_to_value=6)
    sooner = OptionInput(family="formation", label="Formation", reduction=0.3, months_to_value=0)
    params = {**DEFAULT_PARAMETERS, "draws": 20, "uncertainty_by_evidence": ZERO_WIDTH, "risk_spread": 0.0}
    assert recommend(BIG, [later, sooner], params).chosen.option is sooner
    drawn = draw_inputs(BIG, [later, sooner], params, seed=3)
    asked: list[int] = []
    winners, _adjusted = _by_arrays(BIG, [later, sooner], params, drawn, asked)
    assert asked == list(range(20)) and winners.tolist() == [1] * 20
    verdict = robustness(BIG, [later, sooner], params)
    assert verdict.chosen == 1 and verdict.shares == {0: 0.0, 1: 1.0, REFORMULATE: 0.0}


def test_options_with_different_labels_are_settled_by_the_arrays_alone():
    # Equal values but different labels: the first label wins, as in recommend, without asking it.
    options = [OptionInput(family="formation", label="B", reduction=0.3),
               OptionInput(family="formation", label="A", reduction=0.3)]
    params = {**DEFAULT_PARAMETERS, "draws": 20, "uncertainty_by_evidence": ZERO_WIDTH, "risk_spread": 0.0}
    drawn = draw_inputs(BIG, options, params, seed=3)
    asked: list[int] = []
    winners, _adjusted = _by_arrays(BIG, options, params, drawn, asked)
    assert asked == [] and winners.tolist() == [1] * 20
    assert recommend(BIG, options, params).label == "A"


def test_a_value_too_large_to_compare_is_left_to_recommend():
    # 1e308 occurrences: the cost overflows to infinity, and a reduction of 0 times infinity is not a number.
    huge = IrritantInput(occurrences_per_month=1e308, minutes_per_occurrence=60, agents_affected=10,
                         evidence_level=3, actionability=3)
    options = [OptionInput(family="formation", label="A", reduction=0.0),
               OptionInput(family="processus", label="B", reduction=0.4)]
    params = {**DEFAULT_PARAMETERS, "draws": 10, "uncertainty_by_evidence": ZERO_WIDTH}
    drawn = draw_inputs(huge, options, params, seed=5)
    asked: list[int] = []
    winners, _adjusted = _by_arrays(huge, options, params, drawn, asked)
    assert asked == list(range(10))
    assert winners.tolist() == [_code(recommend_in_draw(huge, options, params, drawn, d)) for d in range(10)]


# Fifty hours a year: under the 100 hours that make a problem major, so only a severity flag qualifies it.
FIFTY_HOURS = IrritantInput(occurrences_per_month=10, minutes_per_occurrence=25, agents_affected=1, evidence_level=3,
                            actionability=3)
STILL = {**DEFAULT_PARAMETERS, "draws": 10, "uncertainty_by_evidence": ZERO_WIDTH, "risk_spread": 0.0}
TRAINING = OptionInput(family="formation", label="Formation", reduction=0.2)
ASSISTANT = OptionInput(family="ia_generative", label="Assistant", reduction=0.9)


@pytest.mark.parametrize(("irritant", "options", "params", "family"), [
    # AI worth exactly the frugal value plus the margin (10,000 € against 1.25 × 8,000 €) is recommended.
    (EXAMPLE_IRRITANT, [FRUGAL, AI], {**STILL, "delivery_outil_classique": 1.0, "delivery_ia_specialisee": 1.0},
     "ia_specialisee"),
    # Each severity flag alone makes fifty hours major; AI is considered from 10 hours here.
    *[(IrritantInput(**{**FIFTY_HOURS.__dict__, flag: True}), [TRAINING, ASSISTANT],
       {**STILL, "high_value_threshold_hours": 10.0}, "ia_generative")
      for flag in ("impact_citizens", "compliance_risk", "mental_load")],
    (FIFTY_HOURS, [TRAINING, ASSISTANT], {**STILL, "high_value_threshold_hours": 10.0}, "formation"),
], ids=["exact-margin", "impact-citizens", "compliance-risk", "mental-load", "no-flag"])
def test_the_rule_s_edges_give_the_same_answer_by_arrays(irritant, options, params, family):
    assert recommend(irritant, options, params).family == family
    drawn = draw_inputs(irritant, options, params, seed=1)
    asked: list[int] = []
    winners, _adjusted = _by_arrays(irritant, options, params, drawn, asked)
    assert asked == []
    assert winners.tolist() == [_code(recommend(irritant, options, params))] * 10
