"""The method's details that mutation testing (make mutation) found the edge tests did not check.

Each test names the figure it sits on; the worked examples are those of test_scoring_rules (scoring_examples).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from hub.core.i18n import say
from irritants import scoring
from irritants.scoring import DEFAULT_PARAMETERS, IrritantInput, recommend
from tests.irritants.scoring_examples import AI, BIG, EXACT, FRUGAL, LOSS, WORTH_NOTHING, exact, with_parameters

# --- 7. what mutation testing (make mutation) found the tests did not check ----------------------

def test_the_best_option_is_never_a_lower_value_under_the_same_name():
    # Two versions of the plan under one label and family: 0.4 and 0.5 × 18,000 − 1,000 = 6,200 and 8,000 €,
    # × 0.85 = 5,270 and 6,800 €. Only options alike in value go to the tie-break (the 0.4 one would win it).
    low, high = replace(FRUGAL, reduction=0.4), FRUGAL
    for options in ([low, high], [high, low]):
        assert recommend(BIG, options).value == pytest.approx(6800)


def test_the_recommendation_carries_its_hours_cost_and_qualification():
    for result in (recommend(BIG, [FRUGAL, AI], EXACT), recommend(BIG, [FRUGAL]), recommend(BIG, []),
                   recommend(replace(BIG, volume_unknown=True), [FRUGAL])):
        assert (result.hours, result.cost) == (pytest.approx(600), pytest.approx(18000))
        assert result.qualification.qualified
    # Each option's time freed, apart from cash: 0.5 × 600 h = 300 h a year.
    assert recommend(BIG, [FRUGAL]).assessments[0].over_time.hours_freed_per_year == pytest.approx(300)


@pytest.mark.parametrize("flag", ["impact_citizens", "compliance_risk", "mental_load"])
def test_recommend_reads_each_severity_flag(flag):
    # 1 time a month × 12 × 5 min / 60 × 1 agent = 1 h a year: major only by its flag.
    small = IrritantInput(occurrences_per_month=1, minutes_per_occurrence=5, agents_affected=1, evidence_level=2,
                          actionability=2)
    assert not recommend(small, [FRUGAL]).qualification.majeur
    assert recommend(replace(small, **{flag: True}), [FRUGAL]).qualification.majeur


def test_recommend_qualifies_with_the_programme_s_thresholds():
    strict = exact(min_evidence_level=3, major_threshold_hours=700, min_actionability=3)
    result = recommend(BIG, [FRUGAL, AI], strict)
    assert not (result.qualification.reel or result.qualification.majeur or result.qualification.actionnable)
    assert not result.is_ai


def test_without_frugal_options_an_ai_option_needs_only_a_positive_value():
    # 1 € net × 0.85 = 0.85 € a year, compared with nothing (0 €): recommended, and said so plainly.
    result = recommend(BIG, [replace(WORTH_NOTHING, recurring_cost=8999)])
    assert result.is_ai and result.value == pytest.approx(0.85)
    assert say(result.conditions[2][1]) == ("L'option d'IA « Assistant » rapporte nettement plus que la meilleure "
                                            "solution sans IA : 1 € par an une fois ses risques comptés, contre 0 €.")


def test_the_comparison_sentence_at_the_margin_and_its_figures():
    # Exactly the margin (EXACT: 10,000 € against 10,000 € needed): "nettement plus", with its figures one click away.
    at = recommend(BIG, [FRUGAL, AI], EXACT).conditions[2][1]
    assert say(at).startswith("L'option d'IA « Recherche sémantique » rapporte nettement plus")
    # A cent short: "pas assez", with the same figures one click away.
    short = recommend(BIG, [FRUGAL, replace(AI, recurring_cost=3500.01)], EXACT).conditions[2][1]
    assert say(short).startswith("L'option d'IA « Recherche sémantique » ne rapporte pas assez de plus")
    assert say(short.detail) == ("Valeur nette 10\u202f000 € par an ; ses risques en retirent 0\u00a0% ; reste "
                                 "10\u202f000 €. Il fallait au moins la meilleure solution sans IA (8\u202f000 €) plus "
                                 "25\u00a0%, soit 10\u202f000 €.")
    # A margin of 90 %: said as 90 %, not 91.
    wide = recommend(BIG, [FRUGAL, AI], exact(margin=0.9)).conditions[2][1]
    assert "il fallait 90\u00a0% de plus" in say(wide) and "plus 90\u00a0%, soit 15\u202f200 €" in say(wide.detail)
    # The share its risks take off: a third of the value at 1 − 0.3375 = 66.25 %, said 66 %.
    risky = replace(AI, personal_data="sensitive", sovereign_tool=False, human_review=False)
    detail = recommend(BIG, [FRUGAL, risky]).conditions[2][1].detail
    assert "ses risques en retirent 66\u00a0%" in say(detail)


def test_an_ai_option_worth_nothing_says_so_with_its_figures():
    reason = recommend(BIG, [LOSS, WORTH_NOTHING]).conditions[2][1]
    assert say(reason.detail) == "Valeur nette 0 € par an ; ses risques en retirent 15\u00a0% ; reste 0 €."


def test_exactly_the_high_value_threshold_is_very_high():
    # 30 × 12 × 25 / 60 × 2 = 300 h exactly: "très fort", not "ne justifie pas".
    reason = recommend(replace(BIG, occurrences_per_month=30), [FRUGAL, AI]).conditions[1][1]
    assert say(reason).startswith("Le gain possible est très fort : 300 heures perdues par an")


@pytest.mark.parametrize("personal_data, sovereign, data_risk", [
    ("sensitive", False, ["risk_sensitive_data"]), ("personal", False, ["risk_personal_data"]),
    ("none", False, []), ("sensitive", True, []), ("personal", True, []), ("none", True, []),
])
def test_data_risks_apply_only_to_personal_data_on_a_non_sovereign_tool(personal_data, sovereign, data_risk):
    option = replace(AI, personal_data=personal_data, sovereign_tool=sovereign)
    assert list(scoring.risk_keys(option)) == ["delivery_ia_specialisee", *data_risk]


@pytest.mark.parametrize("citizen_facing, reviewed, review_risk", [
    (True, False, ["risk_public_unreviewed"]), (False, False, ["risk_no_review"]), (True, True, []), (False, True, []),
])
def test_review_risks_name_the_public_case_apart(citizen_facing, reviewed, review_risk):
    option = replace(AI, citizen_facing=citizen_facing, human_review=reviewed)
    assert list(scoring.risk_keys(option)) == ["delivery_ia_specialisee", *review_risk]
    # Public text unreviewed: 0.75 × 0.6 = 0.45.
    if review_risk == ["risk_public_unreviewed"]:
        assert scoring.option_risk(option).factor == pytest.approx(0.45)


def test_a_risk_missing_from_the_parameters_takes_its_default_and_any_value_is_kept_in_0_1():
    # A programme saved before the risks were parameters: each takes its default (0.75 × 0.9 = 0.675).
    unreviewed = replace(AI, human_review=False)
    older = {key: value for key, value in DEFAULT_PARAMETERS.items() if key not in ("risk_no_review",
                                                                                    "delivery_ia_specialisee")}
    assert scoring.option_risk(unreviewed, older).factor == pytest.approx(0.675)
    assert scoring.option_risk(unreviewed, with_parameters(risk_no_review=1.5)).factor == pytest.approx(0.75)
    assert scoring.option_risk(unreviewed, with_parameters(risk_no_review=-0.2)).factor == 0
    # An unknown family carries no named risk.
    assert scoring.option_risk(replace(FRUGAL, family="autre")) == scoring.Risk(1.0, ())


def test_the_assessment_carries_the_option_s_own_footprint_with_the_programme_s_parameters():
    own = replace(AI, energy_wh_per_request=2.0, co2e_g_per_request=0.5, footprint_source="fiche")
    figures = scoring.footprint(own)  # 5,000 × 2 Wh = 10 kWh; 5,000 × 0.5 g = 2.5 kg; its source
    assert (figures.kwh_per_year, figures.co2e_kg_per_year, figures.source) == (10.0, 2.5, "fiche")
    assert scoring.assess_option(own, 18000).footprint == figures
    params = with_parameters(energy_wh_per_request=1.0, co2e_g_per_request=0.1, footprint_source="programme")
    assert scoring.assess_option(AI, 18000, params).footprint.source == "programme"
    # Without the irritant's hours, no time freed is made up.
    assert scoring.assess_option(AI, 18000).over_time.hours_freed_per_year == 0


def test_a_reformulate_answer_names_no_option():
    result = recommend(BIG, [replace(FRUGAL, one_off_cost=27000)])
    assert (result.family, result.label, result.value, result.chosen) == (scoring.REFORMULATE, "", None, None)
    assert result.hours == pytest.approx(600)


def test_the_programme_s_default_horizon_counts_when_no_horizon_is_chosen():
    assert scoring.horizon_months(with_parameters(horizon_months=0, horizon_default_months=48)) == 48
    assert scoring.horizon_months(with_parameters(horizon_months=1, horizon_default_months=48)) == 1
    assert scoring.horizon_months(with_parameters(horizon_months=0, horizon_default_months=1)) == 1


def test_two_members_split_a_large_one_off_cost():
    # 10,000 € between 2 collectivities: 5,000 + 1,500 coordination = 6,500 € each, less than 10,000 alone.
    assert scoring.one_off_share(10000, shared_between=2, shareable=True, coordination_cost=1500) == 6500
    # 2,000 € between 2: 1,000 + 1,500 = 2,500 € would cost more than alone: 2,000 €.
    assert scoring.one_off_share(2000, shared_between=2, shareable=True, coordination_cost=1500) == 2000
    assert scoring.one_off_share(10000, shared_between=0, shareable=True, coordination_cost=0) == 10000
