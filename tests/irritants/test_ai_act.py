"""The EU AI Act as a gate: each rule of irritants.ai_act, one test each, and the demo fully classified."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlmodel import select

from hub.app.demo.arnia import IRRITANT_KINDS
from hub.core.i18n import say
from irritants import ai_act
from irritants.models import AI_FAMILIES, RemedyOption
from irritants.scoring import IrritantInput, OptionInput, recommend

# 60 × 12 × 25 / 60 × 2 = 600 h a year, 18,000 €. The filing plan: 9,000 − 500 = 8,500 € × 0.85 (delivery of a
# tool) = 7,225 €; AI needs 1.25 × 7,225 = 9,031.25 €. The search: 18,000 − 500 − 1,000 = 16,500 € × 0.75 (delivery
# of a specialised model) = 12,375 € when minimal; high-risk with every duty ticked, × 0.8 more: 9,900 €, still
# enough: so whether it is recommended depends on the AI Act gate alone.
BIG = IrritantInput(occurrences_per_month=60, minutes_per_occurrence=25, agents_affected=2, evidence_level=2,
                    actionability=2)
FILING_PLAN = OptionInput(family="outil_classique", label="Plan de classement", reduction=0.5, one_off_cost=1500)
SEARCH = OptionInput(family="ia_specialisee", label="Recherche sémantique", reduction=1.0, one_off_cost=3000,
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
    cleared = recommend(BIG, [FILING_PLAN, _ai("high_risk", ai_act.DUTIES)])
    assert cleared.family == "ia_specialisee" and cleared.value == pytest.approx(9900)
    assert [key for _name, _value, key in cleared.chosen.risk.parts] == ["delivery_ia_specialisee",
                                                                         "risk_high_risk_class"]


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
    assert recommend(BIG, [replace(FILING_PLAN, ai_act_class="to_classify")]).chosen.blocked is None


def test_the_ai_act_s_blocking_reasons_are_plain_sentences():
    reasons = [ai_act.blocking_reason("prohibited"), ai_act.blocking_reason("to_classify"),
               ai_act.blocking_reason("high_risk", ["fria"])]
    assert say(reasons[0]) == "pratique interdite par l'AI Act (art. 5)"
    assert say(reasons[1]) == "usage à classer : une personne doit confirmer la classe AI Act"
    assert say(reasons[2]).startswith("haut risque, obligations du déployeur non remplies : contrôle humain")
    assert ai_act.blocking_reason("high_risk", ai_act.DUTIES) is None
    assert ai_act.blocking_reason("limited") is None and ai_act.blocking_reason(None) is None
    blocked = recommend(BIG, [FILING_PLAN, _ai("to_classify")])
    sentence = say(blocked.conditions[3][1])
    assert sentence.startswith("La réglementation écarte : « Recherche sémantique »")
    assert "usage à classer : une personne doit confirmer la classe AI Act" in sentence
    for text in [say(r) for r in reasons] + [say(r) for _ok, r in blocked.conditions]:
        assert not any(word in text for word in ("≥", "<", "facteur", "version 0"))


def test_explain_shows_the_confirmed_class_s_own_article():
    assert ai_act.explain("hr_decisions", "high_risk", None).klass == "high_risk"
    confirmed = ai_act.explain("hr_decisions", "high_risk", "minimal")
    assert confirmed.klass == "minimal"
    assert say(confirmed.article) == "AI Act, risque minimal (aucune obligation propre)"
    assert say(confirmed.explanation) == say(ai_act.USES["hr_decisions"].explanation)
    unknown = ai_act.explain("drone_counting", None, "limited")
    assert unknown.klass == "limited" and say(unknown.explanation) == say(ai_act.UNKNOWN.explanation)
    assert ai_act.explain("drone_counting", None, None).klass == "to_classify"
    # A stored high-risk proposal for a derogation means profiling: the profiling article.
    profiled = ai_act.explain("preparatory_task", "high_risk", None)
    assert profiled.klass == "high_risk" and "dernier alinéa" in say(profiled.article)
    reviewed = ai_act.explain("published_text", "minimal", None, human_review=True)
    assert "dérogation" in say(reviewed.article)
    assert ai_act.missing_duties(None) == tuple(ai_act.DUTIES)
    assert ai_act.missing_duties(["logs", "fria"]) == ("oversight", "inform_workers", "dpia")


def test_every_use_cites_its_article_and_explains_itself():
    for use in ai_act.USES:
        found = ai_act.classify(use)
        assert say(found.article).startswith("AI Act") and say(found.explanation).endswith(".")


def test_the_service_reads_the_confirmation_and_the_duties(db):
    from irritants.answers import method_inputs
    option = RemedyOption(irritant_id=1, collectivity_id=1, family="ia_generative", label="X", ai_act_use="other",
                          ai_act_class="to_classify", ai_act_confirmed_class="high_risk",
                          ai_act_duties=list(ai_act.DUTIES))
    unclassified = RemedyOption(irritant_id=1, collectivity_id=1, family="ia_generative", label="Y")
    _subject, (read, blank) = method_inputs(type("I", (), {name: 1 for name in (
        "occurrences_per_month", "minutes_per_occurrence", "agents_affected", "evidence_level", "actionability",
        "impact_citizens", "compliance_risk", "mental_load", "volume_unknown")})(), [option, unclassified])
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


def test_the_national_demo_has_no_unclassified_ai_option():
    from hub.app.demo import national  # imported here: a broken demo module fails this test, not the whole file

    for kind in IRRITANT_KINDS:  # the national scale-up demo uses the same options
        for row in national._options(kind, 10, team_id=1):
            assert row["family"] not in AI_FAMILIES or row["ai_act_confirmed_class"] not in (None, "to_classify")


def test_what_the_tool_proposes_carries_its_article_explanation_and_reminders():
    unknown = ai_act.classify("drone_counting")
    assert say(unknown.article) == "AI Act, art. 6" and say(unknown.explanation).startswith("Usage non répertorié")
    assert unknown.reminders == ()
    profiled = ai_act.classify("preparatory_task", profiling=True)
    assert say(profiled.explanation).startswith("Un système qui profile des personnes physiques est toujours")
    # Reminders only for a derogation: a high-risk, limited or minimal use of its own carries none.
    for use in ("hr_decisions", "public_chatbot", "internal_assistance", "social_scoring"):
        assert ai_act.classify(use).reminders == ()
    # Profiling changes only the derogations.
    assert ai_act.classify("internal_assistance", profiling=True).klass == "minimal"
    # The proposal passes the review on: reviewed generated text is minimal, unreviewed limited.
    assert ai_act.propose_ai_act_class("published_text", human_review=True)[0] == "minimal"
    assert ai_act.propose_ai_act_class("published_text")[0] == "limited"
    klass, why = ai_act.propose_ai_act_class("published_text", human_review=True)
    assert "responsabilité éditoriale" in say(why)


def test_explain_keeps_a_derogation_s_own_article_when_nothing_says_profiling():
    kept = ai_act.explain("preparatory_task", "minimal", None)
    assert kept.klass == "minimal" and say(kept.article) == "AI Act, art. 6, paragraphe 3, point d"
    assert len(kept.reminders) == 2
    assert ai_act.explain("preparatory_task", None, "minimal").reminders == kept.reminders


def test_text_is_taken_as_unreviewed_unless_said_otherwise():
    assert ai_act.classify("published_text").klass == "limited"
    assert ai_act.propose_ai_act_class("published_text") == ("limited", ai_act.USES["published_text"].explanation)
    shown = ai_act.explain("published_text", "limited", None)
    assert shown.klass == "limited" and say(shown.article) == "AI Act, art. 50, paragraphe 4"


def test_missing_duties_are_listed_one_after_the_other_with_semicolons():
    assert say(ai_act.blocking_reason("high_risk", ["fria", "oversight", "logs"])) == (
        "haut risque, obligations du déployeur non remplies : information des agents et de leurs représentants "
        "(art. 26, paragraphe 7) ; analyse d'impact relative à la protection des données (RGPD art. 35 ; art. 26, "
        "paragraphe 9)")
