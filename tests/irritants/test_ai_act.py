"""The EU AI Act as a gate: each rule of irritants.ai_act, one test each, and the demo fully classified."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlmodel import select

from hub.app.demo import national
from hub.app.demo.arnia import IRRITANT_KINDS
from hub.core.i18n import say
from irritants import ai_act
from irritants.models import AI_FAMILIES, RemedyOption
from irritants.scoring import IrritantInput, OptionInput, recommend

BIG = IrritantInput(occurrences_per_month=60, minutes_per_occurrence=25, agents_affected=2, evidence_level=2,
                    actionability=2)
FILING_PLAN = OptionInput(family="outil_classique", label="Plan de classement", reduction=0.5, one_off_cost=1500)
SEARCH = OptionInput(family="ia_specialisee", label="Recherche sémantique", reduction=0.9, one_off_cost=3000,
                     recurring_cost=500, requests_per_year=5000, ai_act_class="minimal")
PROHIBITED = ("social_scoring", "workplace_emotion", "biometric_categorisation", "predictive_policing",
              "facial_scraping")
ANNEX_III = ("remote_biometric_id", "critical_infrastructure", "education_assessment", "hr_decisions",
             "benefits_eligibility", "emergency_triage", "law_enforcement", "democratic_processes")


def _ai(klass, duties=()):
    return replace(SEARCH, ai_act_class=klass, ai_act_duties=tuple(duties))


@pytest.mark.parametrize("use", PROHIBITED)
def test_each_art_5_use_is_prohibited_and_blocks(use):
    found = ai_act.classify(use)
    assert found.klass == "prohibited" and "art. 5" in say(found.article)
    assert recommend(BIG, [FILING_PLAN, _ai(found.klass, ai_act.DUTIES)]).family == "outil_classique"


@pytest.mark.parametrize("use", ANNEX_III)
def test_each_annex_iii_use_is_high_risk_and_blocks_until_every_duty_is_ticked(use):
    found = ai_act.classify(use)
    assert found.klass == "high_risk" and "annexe III" in say(found.article)
    assert recommend(BIG, [FILING_PLAN, _ai("high_risk")]).family == "outil_classique"
    fria_only = recommend(BIG, [FILING_PLAN, _ai("high_risk", ["fria"])])
    assert fria_only.family == "outil_classique"  # the FRIA alone is not enough
    reason = say(ai_act.blocking_reason("high_risk", ["fria"]))
    assert "art. 26, paragraphe 2" in reason and "RGPD art. 35" in reason and "art. 27" not in reason
    for missing in ai_act.DUTIES:
        almost = [d for d in ai_act.DUTIES if d != missing]
        assert recommend(BIG, [FILING_PLAN, _ai("high_risk", almost)]).family == "outil_classique"
    assert recommend(BIG, [FILING_PLAN, _ai("high_risk", ai_act.DUTIES)]).family == "ia_specialisee"


def test_election_influence_is_annex_iii_point_8_b():
    assert say(ai_act.classify("democratic_processes").article) == "AI Act, annexe III, point 8 b"


@pytest.mark.parametrize("use", ai_act.DEROGATIONS)
def test_profiling_turns_every_art_6_3_derogation_into_high_risk(use):
    assert ai_act.classify(use).klass == "minimal"
    profiled = ai_act.classify(use, profiling=True)
    assert profiled.klass == "high_risk" and not profiled.reminders
    assert "6, paragraphe 3" in say(profiled.article)


@pytest.mark.parametrize("use", ai_act.DEROGATIONS)
def test_an_exempted_use_carries_the_6_4_and_49_2_reminders(use):
    reminders = " ".join(say(r) for r in ai_act.classify(use).reminders)
    assert "art. 6, paragraphe 4" in reminders and "art. 49, paragraphe 2" in reminders


def test_art_50_4_reviewed_text_is_minimal_with_the_exemption_unreviewed_is_limited():
    reviewed = ai_act.classify("published_text", human_review=True)
    assert reviewed.klass == "minimal" and "50, paragraphe 4, dérogation" in say(reviewed.article)
    assert "responsabilité éditoriale" in say(reviewed.explanation)
    unreviewed = ai_act.classify("published_text", human_review=False)
    assert unreviewed.klass == "limited" and say(unreviewed.article) == "AI Act, art. 50, paragraphe 4"
    assert ai_act.classify("public_chatbot").klass == "limited"


def test_an_unknown_use_is_to_classify_and_blocks_until_confirmed():
    found = ai_act.classify("drone_counting")
    assert found.klass == "to_classify"
    assert recommend(BIG, [FILING_PLAN, _ai(ai_act.effective_class("to_classify", None))]).family == "outil_classique"
    confirmed = ai_act.effective_class("to_classify", "minimal")
    assert confirmed == "minimal"
    assert recommend(BIG, [FILING_PLAN, _ai(confirmed)]).family == "ia_specialisee"


def test_the_confirmed_class_wins_over_the_proposed_one():
    assert ai_act.effective_class("minimal", "high_risk") == "high_risk"
    assert ai_act.effective_class("high_risk", None) == "high_risk"
    assert recommend(BIG, [FILING_PLAN, _ai(ai_act.effective_class("minimal", "prohibited"))]).family \
        == "outil_classique"


def test_frugal_options_are_never_blocked_by_the_ai_act():
    assert recommend(BIG, [replace(FILING_PLAN, ai_act_class="prohibited")]).family == "outil_classique"


def test_every_use_cites_its_article_and_explains_itself():
    for use in ai_act.USES:
        found = ai_act.classify(use)
        assert say(found.article).startswith("AI Act") and say(found.explanation).endswith(".")


def test_the_service_reads_the_confirmation_and_the_duties(db):
    from irritants.service import method_inputs
    option = RemedyOption(irritant_id=1, collectivity_id=1, family="ia_generative", label="X", ai_act_use="other",
                          ai_act_class="to_classify", ai_act_confirmed_class="high_risk",
                          ai_act_duties=list(ai_act.DUTIES))
    unclassified = RemedyOption(irritant_id=1, collectivity_id=1, family="ia_generative", label="Y")
    _subject, (read, blank) = method_inputs(type("I", (), {name: 1 for name in (
        "occurrences_per_month", "minutes_per_occurrence", "agents_affected", "evidence_level", "actionability",
        "impact_citizens", "compliance_risk", "mental_load")})(), [option, unclassified])
    assert read.ai_act_class == "high_risk" and set(read.ai_act_duties) == set(ai_act.DUTIES)
    assert blank.ai_act_class == "to_classify"


def test_the_demo_has_no_unclassified_ai_option(runner, db):
    result = runner.invoke(args=["demo"], env={"HUB_DEMO_PASSWORD": "mot-de-passe-demo"})
    assert result.exit_code == 0, result.output
    options = db.exec(select(RemedyOption).where(RemedyOption.family.in_(AI_FAMILIES))).all()
    assert options
    for option in options:
        assert option.ai_act_use in ai_act.USES and option.ai_act_class in ("minimal", "limited")
        assert option.ai_act_confirmed_class and option.ai_act_confirmed_by_id and option.ai_act_confirmed_at
    for kind in IRRITANT_KINDS:  # the national scale-up demo uses the same options
        for row in national._options(kind, 10, team_id=1):
            assert row["family"] not in AI_FAMILIES or row["ai_act_confirmed_class"] not in (None, "to_classify")
