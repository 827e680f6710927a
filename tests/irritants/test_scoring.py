"""The method's first pass, checked on worked examples with the arithmetic written out."""

from __future__ import annotations

import pytest

from irritants import scoring
from irritants.scoring import DEFAULT_PARAMETERS, OptionInput, qualify, recommend


def test_hours_and_cost_per_year():
    # 20 times a month × 12 × 15 min / 60 × 3 agents = 20 × 12 × 0.25 × 3 = 180 h
    assert scoring.hours_per_year(20, 15, 3) == pytest.approx(180)
    # 180 h × 30 €/h = 5,400 €
    assert scoring.cost_per_year(180, 30) == pytest.approx(5400)


def _qualify(**overrides):
    values = dict(evidence_level=2, hours=150, impact_citizens=False, compliance_risk=False, mental_load=False,
                  actionability=2)
    values.update(overrides)
    return qualify(**values)


def test_qualified_when_real_major_and_actionable():
    assert _qualify().qualified


@pytest.mark.parametrize("overrides, failing", [
    ({"evidence_level": 1}, "reel"),
    ({"hours": 99}, "majeur"),
    ({"actionability": 1}, "actionnable"),
])
def test_each_failing_condition_is_named(overrides, failing):
    result = _qualify(**overrides)
    assert not result.qualified
    assert not getattr(result, failing)
    assert any("<" in reason for reason in result.reasons)


def test_a_severity_flag_makes_a_small_irritant_major():
    result = _qualify(hours=10, compliance_risk=True)
    assert result.majeur
    assert "risque d'erreur ou de conformité" in result.reasons[1]


def test_net_annual_value():
    # 40 % of 9,000 € = 3,600; less 600 € a year; less 1,500 € over 3 years = 500 → 2,500 €
    assert scoring.net_annual_value(reduction=0.4, cost=9000, recurring_cost=600, one_off_cost=1500,
                                    amortisation_years=3) == pytest.approx(2500)


FRUGAL = OptionInput(family="outil_classique", label="Plan de classement", reduction=0.5, one_off_cost=1500)
AI = OptionInput(family="ia_specialisee", label="Recherche sémantique", reduction=0.9, one_off_cost=3000,
                 recurring_cost=500)


def test_ai_is_recommended_only_when_every_condition_holds():
    # 400 h × 30 € = 12,000 €. Frugal: 0.5 × 12,000 − 1,500/3 = 5,500 €.
    # AI: 0.9 × 12,000 − 500 − 3,000/3 = 9,300 € ≥ 1.25 × 5,500 = 6,875 €.
    result = recommend(qualification=_qualify(hours=400), hours=400, cost=12000, options=[FRUGAL, AI])
    assert result.family == "ia_specialisee"
    assert result.value == pytest.approx(9300)
    assert any("9300 €" in r and "6875 €" in r for r in result.reasons)


def test_below_the_high_value_threshold_frugal_wins():
    # 250 h < 300 h: AI is not considered worth it, whatever its value.
    result = recommend(qualification=_qualify(hours=250), hours=250, cost=7500, options=[FRUGAL, AI])
    assert result.family == "outil_classique"
    assert any("250 h par an < le seuil" in r for r in result.reasons)


def test_an_unqualified_irritant_never_gets_ai():
    result = recommend(qualification=_qualify(hours=400, evidence_level=0), hours=400, cost=12000,
                       options=[FRUGAL, AI])
    assert result.family == "outil_classique"


def test_a_blocked_ai_option_is_never_recommended():
    blocked = OptionInput(**{**AI.__dict__, "blocked": True})
    result = recommend(qualification=_qualify(hours=400), hours=400, cost=12000, options=[blocked])
    assert result.family == "reformulate"


def test_no_option_with_positive_value_means_reformulate():
    costly = OptionInput(family="formation", label="Formation", reduction=0.1, one_off_cost=30000)
    result = recommend(qualification=_qualify(), hours=150, cost=4500, options=[costly])
    assert result.family == "reformulate" and result.value is None


def test_defaults_are_the_design_values():
    assert DEFAULT_PARAMETERS["major_threshold_hours"] == 100
    assert DEFAULT_PARAMETERS["high_value_threshold_hours"] == 300
    assert DEFAULT_PARAMETERS["margin"] == 0.25
    assert DEFAULT_PARAMETERS["amortisation_years"] == 3
