"""The method's edges: every threshold exactly at and just below, ties, zeros, and the frugal-first rule's parts.

Each test names the figure it sits on; worked examples share test_scoring's irritant (600 h, 18,000 € a year).
"""

from __future__ import annotations

from dataclasses import replace
from itertools import permutations

import pytest

from hub.core.i18n import say
from irritants import scoring
from irritants.scoring import DEFAULT_PARAMETERS, IrritantInput, OptionInput, qualify, recommend

# 60 times a month × 12 × 25 min / 60 × 2 agents = 600 h a year; × 30 €/h = 18,000 € a year.
BIG = IrritantInput(occurrences_per_month=60, minutes_per_occurrence=25, agents_affected=2, evidence_level=2,
                    actionability=2)
# 0.5 × 18,000 − 3,000 / 3 = 8,000 €: needed of AI, 1.25 × 8,000 = 10,000 € (every figure exact in binary).
FRUGAL = OptionInput(family="outil_classique", label="Plan de classement", reduction=0.5, one_off_cost=3000)
# 0.75 × 18,000 − 3,500 = 10,000 €: exactly the margin.
AI = OptionInput(family="ia_specialisee", label="Recherche sémantique", reduction=0.75, recurring_cost=3500,
                 requests_per_year=5000)


def _params(**overrides) -> dict:
    return {**DEFAULT_PARAMETERS, **overrides}


# --- 1. no parameter value crashes the method ---------------------------------------------------

def test_a_default_energy_of_zero_never_divides_by_zero():
    # Today: 0.03 g / 0.00 Wh raised ZeroDivisionError for every AI option, hence every recommendation.
    params = _params(energy_wh_per_request=0.0)
    assert recommend(BIG, [FRUGAL, AI], params).family == "ia_specialisee"
    default = scoring.footprint(AI, params)  # 5,000 requests × 0 Wh; 5,000 × 0.03 g = 0.15 kg
    assert default.kwh_per_year == 0 and default.co2e_kg_per_year == pytest.approx(0.15)
    own = scoring.footprint(replace(AI, energy_wh_per_request=0.5), params)  # no intensity: per request
    assert own.kwh_per_year == pytest.approx(2.5) and own.co2e_kg_per_year == pytest.approx(0.15)


def test_an_option_s_explicit_zero_energy_counts_as_zero_not_as_the_default():
    figures = scoring.footprint(replace(AI, energy_wh_per_request=0.0))
    assert figures.kwh_per_year == 0 and figures.co2e_kg_per_year == 0  # today 1.2 kWh and 0.15 kg
    # An explicit 1.2 Wh: 6 kWh; the default intensity 0.03 / 0.24 = 0.125 g per Wh gives 0.75 kg.
    own = scoring.footprint(replace(AI, energy_wh_per_request=1.2))
    assert own.kwh_per_year == pytest.approx(6) and own.co2e_kg_per_year == pytest.approx(0.75)


def test_an_amortisation_of_zero_years_counts_the_one_off_cost_once():
    # Today: 3,000 / 0 raised ZeroDivisionError. Spread over less than a year, it counts once: 9,000 − 3,000.
    assert scoring.assess_option(FRUGAL, 18000, _params(amortisation_years=0)).net_value == pytest.approx(6000)
    assert recommend(BIG, [FRUGAL, AI], _params(amortisation_years=0)).value == pytest.approx(10000)


# --- 2. an AI option is recommended only with a positive value -----------------------------------

# 0.5 × 18,000 − 9,000 = 0 € a year; the frugal option: 0 − 24,600 / 3 = −8,200 €.
WORTH_NOTHING = OptionInput(family="ia_generative", label="Assistant", reduction=0.5, recurring_cost=9000)
LOSS = OptionInput(family="formation", label="Formation lourde", reduction=0.0, one_off_cost=24600)


def test_an_ai_option_worth_nothing_is_never_recommended():
    result = recommend(BIG, [LOSS, WORTH_NOTHING])
    assert result.family == scoring.REFORMULATE and result.value is None  # today: AI, worth 0 €
    holds, reason = result.conditions[2]
    assert not holds and "n'est recommandée qu'avec une valeur positive" in say(reason)
    assert recommend(BIG, [WORTH_NOTHING]).family == scoring.REFORMULATE
    # The same option labelled as training gets the same answer.
    assert recommend(BIG, [LOSS, replace(WORTH_NOTHING, family="formation")]).family == scoring.REFORMULATE


def test_an_ai_option_worth_one_euro_is_recommended_against_a_loss():
    result = recommend(BIG, [LOSS, replace(WORTH_NOTHING, recurring_cost=8999)])
    assert result.family == "ia_generative" and result.value == pytest.approx(1)


# --- 5. ties: the order options were entered never changes the answer ----------------------------

def test_equal_frugal_options_are_chosen_by_label_whatever_their_order():
    # The label first, then the family (« formation » would come before « outil_classique »).
    a, b = replace(FRUGAL, label="A — plan"), replace(FRUGAL, label="B — plan", family="formation")
    answers = {(r.family, r.label) for r in (recommend(BIG, [a, b]), recommend(BIG, [b, a]))}
    assert answers == {("outil_classique", "A — plan")}  # today: whichever came first


def test_equal_ai_options_are_chosen_by_label_then_family_whatever_their_order():
    options = [replace(AI, label="Z"), replace(AI, label="M", family="ia_generative"), replace(AI, label="M")]
    answers = {(r.family, r.label, r.reasons) for r in (recommend(BIG, list(p)) for p in permutations(options))}
    assert {(family, label) for family, label, _reasons in answers} == {("ia_generative", "M")}
    assert len(answers) == 1  # the reasons too


def test_options_alike_in_value_label_and_family_are_chosen_by_their_other_fields_whatever_their_order():
    # 0.5 × 18,000 − 3,000 / 3 and 0.5 × 18,000 − 1,000 a year: 8,000 € each, under one name.
    one_off, recurring = FRUGAL, replace(FRUGAL, one_off_cost=0, recurring_cost=1000)
    assert recommend(BIG, [one_off, recurring]).chosen == recommend(BIG, [recurring, one_off]).chosen


def test_blocked_options_are_listed_in_label_order_whatever_their_order():
    first, second = replace(AI, label="B", ai_act_class="prohibited"), replace(AI, label="A", ai_act_class="prohibited")
    assert recommend(BIG, [FRUGAL, first, second]).reasons == recommend(BIG, [FRUGAL, second, first]).reasons


# --- 6. every threshold exactly at and just below; max, not min; every condition needed ----------

@pytest.mark.parametrize("level, holds", [(3, True), (2, False)])
def test_evidence_threshold(level, holds):
    result = qualify(evidence_level=level, hours=500, impact_citizens=False, compliance_risk=False,
                     mental_load=False, actionability=3, parameters=_params(min_evidence_level=3))
    assert result.reel is holds and result.qualified is holds


@pytest.mark.parametrize("level, holds", [(3, True), (2, False)])
def test_actionability_threshold(level, holds):
    result = qualify(evidence_level=3, hours=500, impact_citizens=False, compliance_risk=False,
                     mental_load=False, actionability=level, parameters=_params(min_actionability=3))
    assert result.actionnable is holds and result.qualified is holds


@pytest.mark.parametrize("hours, holds", [(100.0, True), (99.99, False)])
def test_major_threshold(hours, holds):
    result = qualify(evidence_level=2, hours=hours, impact_citizens=False, compliance_risk=False,
                     mental_load=False, actionability=2)
    assert result.majeur is holds and result.qualified is holds


@pytest.mark.parametrize("flag", ["impact_citizens", "compliance_risk", "mental_load"])
def test_each_severity_flag_alone_makes_a_small_irritant_major(flag):
    flags = {"impact_citizens": False, "compliance_risk": False, "mental_load": False, flag: True}
    assert qualify(evidence_level=2, hours=1, actionability=2, **flags).majeur


@pytest.mark.parametrize("occurrences, family", [(30, "ia_specialisee"), (29.99, "outil_classique")])
def test_high_value_threshold(occurrences, family):
    # 30 × 12 × 25 / 60 × 2 = 300 h exactly (9,000 € a year), and 29.99 times a month 299.9 h.
    # AI 0.9 × 9,000 − 500 − 3,000 / 3 = 6,600 € ≥ 1.25 × (4,500 − 1,000) = 4,375 €: only the hours decide.
    ai = OptionInput(family="ia_specialisee", label="Recherche", reduction=0.9, one_off_cost=3000, recurring_cost=500)
    irritant = replace(BIG, occurrences_per_month=occurrences)
    result = recommend(irritant, [FRUGAL, ai])
    assert result.family == family
    assert result.conditions[1][0] is (family == "ia_specialisee")


@pytest.mark.parametrize("recurring, family", [(3500, "ia_specialisee"), (3500.01, "outil_classique")])
def test_margin_threshold(recurring, family):
    # AI 13,500 − 3,500 = 10,000 € = 1.25 × 8,000 € exactly: AI; one cent less and frugal first.
    result = recommend(BIG, [FRUGAL, replace(AI, recurring_cost=recurring)])
    assert result.family == family


def test_a_zero_margin_lets_ai_win_a_tie_with_frugal():
    # 8,000 € against 8,000 €: the condition is ≥ (1 + margin) × frugal.
    assert recommend(BIG, [FRUGAL, replace(AI, recurring_cost=5500)], _params(margin=0.0)).is_ai


@pytest.mark.parametrize("one_off, family", [(27000, scoring.REFORMULATE), (26999.97, "outil_classique")])
def test_a_frugal_option_needs_a_positive_value(one_off, family):
    # 9,000 − 27,000 / 3 = 0 €: reformulate; a cent a year more and it is recommended.
    assert recommend(BIG, [replace(FRUGAL, one_off_cost=one_off)]).family == family


def test_the_best_option_of_each_kind_is_the_highest_value_not_the_lowest():
    # Frugal: 0.2, 0.6, 0.4 × 18,000 = 3,600, 10,800, 7,200 €.
    frugal = [replace(FRUGAL, label=f"F{r}", reduction=r, one_off_cost=0) for r in (0.2, 0.6, 0.4)]
    result = recommend(BIG, frugal)
    assert result.label == "F0.6" and result.value == pytest.approx(10800)
    # AI: 0.8, 0.95, 0.9 × 18,000 = 14,400, 17,100, 16,200 € against 1.25 × 10,800 = 13,500 €.
    ai = [replace(AI, label=f"A{r}", reduction=r, recurring_cost=0) for r in (0.8, 0.95, 0.9)]
    result = recommend(BIG, [*frugal, *ai])
    assert result.label == "A0.95" and result.value == pytest.approx(17100)
    # The comparison reason names the best AI option and the best frugal option's value.
    assert result.conditions[2][1].values["option"] == "A0.95"
    assert result.conditions[2][1].values["frugal"] == pytest.approx(10800)


@pytest.mark.parametrize("change, failing", [
    ({"irritant": {"evidence_level": 1}}, 0),  # not qualified
    ({"params": {"high_value_threshold_hours": 600.01}}, 1),  # 600 h, just below the threshold
    ({"ai": {"recurring_cost": 3600}}, 2),  # 9,900 € < 10,000 €
    ({"ai": {"ai_act_class": "high_risk"}}, 3),  # blocked: no impact assessment (nothing left to compare either)
])
def test_the_frugal_first_rule_needs_every_condition(change, failing):
    # Every condition holds in the base case; any one failing sends the answer back to frugal (an "and", not "or").
    assert recommend(BIG, [FRUGAL, AI]).is_ai
    irritant = replace(BIG, **change.get("irritant", {}))
    result = recommend(irritant, [FRUGAL, replace(AI, **change.get("ai", {}))], _params(**change.get("params", {})))
    assert result.family == "outil_classique" and result.value == pytest.approx(8000)
    holds = [holds for holds, _reason in result.conditions]
    assert not holds[failing]
    assert holds.count(False) == (2 if failing == 3 else 1)


def test_the_comparison_condition_holds_only_with_a_comparable_ai_option():
    # Only blocked AI options: nothing to compare, condition 3 fails, frugal first.
    result = recommend(BIG, [FRUGAL, replace(AI, ai_act_class="prohibited")])
    assert [holds for holds, _reason in result.conditions] == [True, True, False, False]
    assert say(result.conditions[2][1]) == "Aucune option IA admissible à comparer."


def test_frugal_first_may_lower_the_recommended_value_as_hours_grow_but_never_beyond_the_margin():
    # A process reform removing everything for 36,000 € (12,000 € a year) against an AI assistant removing half.
    # 600 h (18,000 €): AI 9,000 € ≥ 1.25 × 6,000 = 7,500 €. 680 h (20,400 €): AI 10,200 € < 1.25 × 8,400 =
    # 10,500 €, so frugal first: 8,400 €, less than before, but more than 9,000 / 1.25 = 7,200 €.
    reform = OptionInput(family="processus", label="Refonte", reduction=1.0, one_off_cost=36000)
    assistant = OptionInput(family="ia_generative", label="Assistant", reduction=0.5)
    before = recommend(BIG, [reform, assistant])
    after = recommend(replace(BIG, occurrences_per_month=68), [reform, assistant])
    assert (before.family, before.value) == ("ia_generative", pytest.approx(9000))
    assert (after.family, after.value) == ("processus", pytest.approx(8400))
    assert after.value * 1.25 >= before.value
