"""The method's edges: every threshold exactly at and just below, ties, zeros, and the frugal-first rule's parts.

Each test names the figure it sits on; worked examples share test_scoring's irritant (600 h, 18,000 € a year).
"""

from __future__ import annotations

from dataclasses import replace
from itertools import permutations

import pytest

from hub.core.i18n import say
from irritants import scoring
from irritants.qualification import qualify
from irritants.scoring import DEFAULT_PARAMETERS, OptionInput, recommend
from tests.irritants.scoring_examples import AI, BIG, EXACT, FRUGAL, LOSS, WORTH_NOTHING, exact, with_parameters

# --- 1. no parameter value crashes the method ---------------------------------------------------

def test_a_default_energy_of_zero_never_divides_by_zero():
    # An old bug: 0.03 g / 0.00 Wh raised ZeroDivisionError for every AI option, hence every recommendation.
    params = with_parameters(energy_wh_per_request=0.0)
    assert recommend(BIG, [FRUGAL, AI], exact(energy_wh_per_request=0.0)).family == "ia_specialisee"
    default = scoring.footprint(AI, params)  # 5,000 requests × 0 Wh; 5,000 × 0.03 g = 0.15 kg
    assert default.kwh_per_year == 0 and default.co2e_kg_per_year == pytest.approx(0.15)
    # The option's own 0.5 Wh: 2.5 kWh; its emissions from the grid, 0.5 × 0.04144 g × 5,000 = 0.1036 kg.
    own = scoring.footprint(replace(AI, energy_wh_per_request=0.5), params)
    assert own.kwh_per_year == pytest.approx(2.5) and own.co2e_kg_per_year == pytest.approx(0.1036)


def test_an_option_s_explicit_zero_energy_counts_as_zero_not_as_the_default():
    figures = scoring.footprint(replace(AI, energy_wh_per_request=0.0))
    assert figures.kwh_per_year == 0 and figures.co2e_kg_per_year == 0  # not 1.2 kWh and 0.15 kg
    # An explicit 1.2 Wh: 6 kWh; the grid's 0.04144 g per Wh gives 0.2486 kg (never Google's 0.125 g per Wh:
    # 0.75 kg, which mixed the option's energy with another source's emissions).
    own = scoring.footprint(replace(AI, energy_wh_per_request=1.2))
    assert own.kwh_per_year == pytest.approx(6) and own.co2e_kg_per_year == pytest.approx(0.24864)


def test_an_amortisation_of_zero_years_counts_the_one_off_cost_once():
    # An old bug: 3,000 / 0 raised ZeroDivisionError. Spread over less than a year, it counts once: 9,000 − 3,000.
    assert scoring.assess_option(FRUGAL, 18000, with_parameters(amortisation_years=0)).net_value == pytest.approx(6000)
    # AI 10,000 € ≥ 1.25 × 6,000 (no delivery risks: exact figures).
    assert recommend(BIG, [FRUGAL, AI], exact(amortisation_years=0)).value == pytest.approx(10000)
    # With them: 6,000 × 0.85 = 5,100 €, needed 6,375 €; AI 10,000 × 0.75 = 7,500 €.
    assert recommend(BIG, [FRUGAL, AI], with_parameters(amortisation_years=0)).value == pytest.approx(7500)


# --- 2. an AI option is recommended only with a positive value -----------------------------------

def test_an_ai_option_worth_nothing_is_never_recommended():
    result = recommend(BIG, [LOSS, WORTH_NOTHING])
    assert result.family == scoring.REFORMULATE and result.value is None
    assert result.assessments[0].adjusted_value == pytest.approx(-8200)
    holds, reason = result.conditions[2]
    assert not holds and say(reason) == ("L'option d'IA « Assistant » ne rapporte rien une fois ses coûts et ses "
                                         "risques comptés (0 € par an) : une IA n'est recommandée que si elle "
                                         "rapporte.")
    assert say(result.reasons[-1]) == ("Aucune option ne rapporte une fois ses coûts et ses risques comptés : "
                                       "reformuler l'irritant ou l'abandonner.")
    assert recommend(BIG, [WORTH_NOTHING]).family == scoring.REFORMULATE
    # The same option labelled as training gets the same answer.
    assert recommend(BIG, [LOSS, replace(WORTH_NOTHING, family="formation")]).family == scoring.REFORMULATE


def test_an_ai_option_worth_one_euro_is_recommended_against_a_loss():
    # 1 € net × 0.85 (delivery of a generative assistant) = 0.85 € a year.
    result = recommend(BIG, [LOSS, replace(WORTH_NOTHING, recurring_cost=8999)])
    assert result.family == "ia_generative" and result.value == pytest.approx(0.85)


# --- 3. a volume nobody knows yet is estimated, not scored ---------------------------------------

def test_an_unknown_volume_answers_estimate_never_reformulate():
    # Frequency typed as 0 because nobody knows it: 0 h, so every option is worth nothing; without the flag the
    # method would answer "reformulate or drop" for lack of an estimate.
    unknown = replace(BIG, occurrences_per_month=0, volume_unknown=True)
    assert recommend(replace(unknown, volume_unknown=False), [FRUGAL, AI]).family == scoring.REFORMULATE
    result = recommend(unknown, [FRUGAL, AI])
    assert result.family == scoring.ESTIMATE and result.value is None and result.chosen is None
    assert result.conditions == () and result.label == ""
    assert [say(reason) for reason in result.reasons] == [
        "Volume à estimer : la fréquence, la durée ou le nombre d'agents n'est pas encore connu ; donnez une "
        "estimation, même approximative, pour obtenir une recommandation."]
    assert len(result.assessments) == 2  # the options are still assessed, for the page
    # Even with a volume typed, an unknown volume is not scored: the flag wins.
    assert recommend(replace(BIG, volume_unknown=True), [FRUGAL, AI]).family == scoring.ESTIMATE


# --- 5. ties: the order options were entered never changes the answer ----------------------------
# (EXACT: without delivery risks, the options below are alike in value; a tie is what they test.)

def test_equal_frugal_options_are_chosen_by_label_whatever_their_order():
    # The label first, then the family (« formation » would come before « outil_classique »).
    a, b = replace(FRUGAL, label="A — plan"), replace(FRUGAL, label="B — plan", family="formation")
    answers = {(r.family, r.label) for r in (recommend(BIG, [a, b], EXACT), recommend(BIG, [b, a], EXACT))}
    assert answers == {("outil_classique", "A — plan")}
    # With the default delivery risks they differ: 8,000 × 0.9 = 7,200 € for the training, 6,800 € for the tool.
    assert recommend(BIG, [a, b]).label == "B — plan"


def test_equal_ai_options_are_chosen_by_label_then_family_whatever_their_order():
    options = [replace(AI, label="Z"), replace(AI, label="M", family="ia_generative"), replace(AI, label="M")]
    answers = {(r.family, r.label, r.reasons) for r in (recommend(BIG, list(p), EXACT)
                                                        for p in permutations(options))}
    assert {(family, label) for family, label, _reasons in answers} == {("ia_generative", "M")}
    assert len(answers) == 1  # the reasons too


def test_options_alike_in_value_label_and_family_are_chosen_by_their_other_fields_whatever_their_order():
    # 0.5 × 18,000 − 3,000 / 3 and 0.5 × 18,000 − 1,000 a year: 8,000 € each (6,800 € after risk), under one name.
    one_off, recurring = FRUGAL, replace(FRUGAL, one_off_cost=0, recurring_cost=1000)
    assert recommend(BIG, [one_off, recurring]).chosen == recommend(BIG, [recurring, one_off]).chosen


def test_blocked_options_are_listed_in_label_order_whatever_their_order():
    first, second = replace(AI, label="B", ai_act_class="prohibited"), replace(AI, label="A", ai_act_class="prohibited")
    assert recommend(BIG, [FRUGAL, first, second]).reasons == recommend(BIG, [FRUGAL, second, first]).reasons
    sentence = say(recommend(BIG, [FRUGAL, first, second]).conditions[3][1])
    assert sentence.startswith("La réglementation écarte : « A »") and sentence.count("pratique interdite") == 2
    assert sentence.index("« A »") < sentence.index("« B »")
    assert ") ; « B »" in sentence  # one after the other, with semicolons


# --- 6. every threshold exactly at and just below; max, not min; every condition needed ----------

@pytest.mark.parametrize("level, holds", [(3, True), (2, False)])
def test_evidence_threshold(level, holds):
    result = qualify(evidence_level=level, hours=500, impact_citizens=False, compliance_risk=False,
                     mental_load=False, actionability=3, parameters=with_parameters(min_evidence_level=3))
    assert result.reel is holds and result.qualified is holds


@pytest.mark.parametrize("level, holds", [(3, True), (2, False)])
def test_actionability_threshold(level, holds):
    result = qualify(evidence_level=3, hours=500, impact_citizens=False, compliance_risk=False,
                     mental_load=False, actionability=level, parameters=with_parameters(min_actionability=3))
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
    # 30 × 12 × 25 / 60 × 2 = 300 h exactly (9,000 € a year), and 29.99 times a month 299.9 h. Without delivery
    # risks (EXACT): AI 0.9 × 9,000 − 500 − 3,000 / 3 = 6,600 € ≥ 1.25 × (4,500 − 1,000) = 4,375 €: only the hours
    # decide. With them: 6,600 × 0.75 = 4,950 € ≥ 1.25 × 3,500 × 0.85 = 3,718.75 €: still only the hours.
    ai = OptionInput(family="ia_specialisee", label="Recherche", reduction=0.9, one_off_cost=3000, recurring_cost=500)
    irritant = replace(BIG, occurrences_per_month=occurrences)
    for params in (EXACT, DEFAULT_PARAMETERS):
        result = recommend(irritant, [FRUGAL, ai], params)
        assert result.family == family
        assert result.conditions[1][0] is (family == "ia_specialisee")
    below = say(recommend(irritant, [FRUGAL, ai]).conditions[1][1])
    if family == "outil_classique":
        assert below == ("Le gain possible ne justifie pas une IA : 300 heures perdues par an, moins que les 300 "
                         "heures à partir desquelles une IA est envisagée.")  # 299.9 h, rounded


@pytest.mark.parametrize("recurring, family", [(3500, "ia_specialisee"), (3500.01, "outil_classique")])
def test_margin_threshold(recurring, family):
    # Without delivery risks: AI 13,500 − 3,500 = 10,000 € = 1.25 × 8,000 € exactly: AI; one cent less and
    # frugal first.
    result = recommend(BIG, [FRUGAL, replace(AI, recurring_cost=recurring)], EXACT)
    assert result.family == family


@pytest.mark.parametrize("recurring, family", [(2166.66, "ia_specialisee"), (2166.67, "outil_classique")])
def test_margin_threshold_with_the_default_delivery_risks(recurring, family):
    # Frugal 8,000 × 0.85 = 6,800 €, needed 1.25 × 6,800 = 8,500 €; AI (13,500 − r) × 0.75 ≥ 8,500 € while
    # 13,500 − r ≥ 11,333.33, that is r ≤ 2,166.67 €: a cent on either side of it.
    assert recommend(BIG, [FRUGAL, replace(AI, recurring_cost=recurring)]).family == family


def test_a_zero_margin_lets_ai_win_a_tie_with_frugal():
    # 8,000 € against 8,000 €: the condition is "at least (1 + margin) × frugal".
    assert recommend(BIG, [FRUGAL, replace(AI, recurring_cost=5500)], exact(margin=0.0)).is_ai


@pytest.mark.parametrize("one_off, family", [(27000, scoring.REFORMULATE), (26999.97, "outil_classique")])
def test_a_frugal_option_needs_a_positive_value(one_off, family):
    # 9,000 − 27,000 / 3 = 0 €: reformulate; a cent a year more (× 0.85, still above 0) and it is recommended.
    assert recommend(BIG, [replace(FRUGAL, one_off_cost=one_off)]).family == family


def test_the_best_option_of_each_kind_is_the_highest_value_not_the_lowest():
    # Frugal (a tool, × 0.85): 0.2, 0.6, 0.4 × 18,000 × 0.85 = 3,060, 9,180, 6,120 €.
    frugal = [replace(FRUGAL, label=f"F{r}", reduction=r, one_off_cost=0) for r in (0.2, 0.6, 0.4)]
    result = recommend(BIG, frugal)
    assert result.label == "F0.6" and result.value == pytest.approx(9180)
    # AI (a specialised model, × 0.75): 0.8, 0.95, 0.9 × 18,000 × 0.75 = 10,800, 12,825, 12,150 € against
    # 1.25 × 9,180 = 11,475 €.
    ai = [replace(AI, label=f"A{r}", reduction=r, recurring_cost=0) for r in (0.8, 0.95, 0.9)]
    result = recommend(BIG, [*frugal, *ai])
    assert result.label == "A0.95" and result.value == pytest.approx(12825)
    # The comparison reason names the best AI option and the best frugal option's value.
    assert result.conditions[2][1].values["option"] == "A0.95"
    assert result.conditions[2][1].values["frugal"] == pytest.approx(9180)


@pytest.mark.parametrize("change, failing", [
    ({"irritant": {"evidence_level": 1}}, 0),  # not qualified
    ({"params": {"high_value_threshold_hours": 600.01}}, 1),  # 600 h, just below the threshold
    ({"ai": {"recurring_cost": 3600}}, 2),  # 9,900 € < 10,000 €
    ({"ai": {"ai_act_class": "high_risk"}}, 3),  # blocked: no impact assessment (nothing left to compare either)
])
def test_the_frugal_first_rule_needs_every_condition(change, failing):
    # Every condition holds in the base case (EXACT: 10,000 € against 10,000 € needed); any one failing sends the
    # answer back to frugal (an "and", not "or").
    assert recommend(BIG, [FRUGAL, AI], EXACT).is_ai
    irritant = replace(BIG, **change.get("irritant", {}))
    result = recommend(irritant, [FRUGAL, replace(AI, **change.get("ai", {}))], exact(**change.get("params", {})))
    assert result.family == "outil_classique" and result.value == pytest.approx(8000)
    holds = [holds for holds, _reason in result.conditions]
    assert not holds[failing]
    assert holds.count(False) == (2 if failing == 3 else 1)


def test_the_comparison_condition_holds_only_with_a_comparable_ai_option():
    # Only blocked AI options: nothing to compare, condition 3 fails, frugal first.
    result = recommend(BIG, [FRUGAL, replace(AI, ai_act_class="prohibited")])
    assert [holds for holds, _reason in result.conditions] == [True, True, False, False]
    assert say(result.conditions[2][1]) == "Aucune option d'IA ne peut être comparée aux solutions sans IA."


def test_an_unqualified_irritant_says_why_in_its_first_condition():
    result = recommend(replace(BIG, evidence_level=1), [FRUGAL, AI])
    assert say(result.conditions[0][1]) == (
        "Le besoin n'est pas encore qualifié. Le besoin n'est pas encore assez établi : rapporté par plusieurs "
        "agents ; il faut qu'il soit au moins observé pendant l'atelier. Le problème est majeur : il fait perdre "
        "600 heures par an, au moins les 100 heures qui font un problème majeur. La collectivité peut agir : un "
        "responsable est désigné.")


def test_frugal_first_may_lower_the_recommended_value_as_hours_grow_but_never_beyond_the_margin():
    # A process reform removing everything for 36,000 € (12,000 € a year) against an AI assistant removing half;
    # both keep 0.85 of their value (delivery of a process change, of a generative assistant).
    # 600 h (18,000 €): reform 6,000 × 0.85 = 5,100 €; AI 9,000 × 0.85 = 7,650 € ≥ 1.25 × 5,100 = 6,375 €.
    # 680 h (20,400 €): reform 8,400 × 0.85 = 7,140 €; AI 10,200 × 0.85 = 8,670 € < 1.25 × 7,140 = 8,925 €, so
    # frugal first: 7,140 €, less than before, but more than 7,650 / 1.25 = 6,120 €.
    reform = OptionInput(family="processus", label="Refonte", reduction=1.0, one_off_cost=36000)
    assistant = OptionInput(family="ia_generative", label="Assistant", reduction=0.5)
    before = recommend(BIG, [reform, assistant])
    after = recommend(replace(BIG, occurrences_per_month=68), [reform, assistant])
    assert (before.family, before.value) == ("ia_generative", pytest.approx(7650))
    assert (after.family, after.value) == ("processus", pytest.approx(7140))
    assert after.value * 1.25 >= before.value
