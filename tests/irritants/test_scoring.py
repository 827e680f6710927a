"""The method, checked on worked examples (the arithmetic is written out) and by property tests."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from flask_babel import force_locale
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.core.i18n import say
from irritants import ai_act, scoring
from irritants.qualification import qualify
from irritants.robustness import robustness
from irritants.scoring import DEFAULT_PARAMETERS, IrritantInput, OptionInput, option_risk, recommend

# 60 times a month × 12 × 25 min / 60 × 2 agents = 600 h a year; × 30 €/h = 18 000 € a year.
BIG = IrritantInput(occurrences_per_month=60, minutes_per_occurrence=25, agents_affected=2, evidence_level=2,
                    actionability=2)
# 0.5 × 18,000 − 1,500 / 3 = 8,500 € net; its delivery risk (an outil classique) keeps 0.85: 7,225 €.
FILING_PLAN = OptionInput(family="outil_classique", label="Plan de classement", reduction=0.5, one_off_cost=1500)
# 0.9 × 18,000 − 500 − 3,000 / 3 = 14,700 € net; its delivery risk (a specialised model) keeps 0.75: 11,025 €.
SEARCH = OptionInput(family="ia_specialisee", label="Recherche sémantique", reduction=0.9, one_off_cost=3000,
                     recurring_cost=500, requests_per_year=5000)
# What no sentence shown to a committee may hold any more: symbols, jargon, and internal version numbers.
FORBIDDEN = ("≥", "<", "facteur", "version 0")


def sentences(reason) -> list[str]:
    """A reason in words, then its detail (the figures one click away) in words, and so on down."""
    worded = []
    while reason is not None:
        worded.append(say(reason))
        reason = getattr(reason, "detail", None)
    return worded


def shown(result: scoring.Recommendation) -> list[str]:
    """Every sentence a recommendation shows: qualification, conditions, reasons, each with its detail."""
    reasons = [*result.qualification.reasons, *(r for _ok, r in result.conditions), *result.reasons]
    return [text for reason in reasons for text in sentences(reason)]


def assert_plain(texts):
    for text in texts:
        for word in FORBIDDEN:
            assert word not in text, f"{word!r} in {text!r}"


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


@pytest.mark.parametrize("overrides, failing", [
    ({"evidence_level": 1}, "reel"), ({"hours": 99}, "majeur"), ({"actionability": 1}, "actionnable"),
])
def test_each_failing_qualification_is_named(overrides, failing):
    result = _qualify(**overrides)
    assert not result.qualified and not getattr(result, failing)
    assert _qualify().qualified


def test_qualification_speaks_in_plain_sentences_with_its_figures_one_click_away():
    reel, majeur, actionnable = _qualify().reasons
    assert say(reel) == "Le besoin est avéré : observé pendant l'atelier."
    assert say(reel.detail) == "Niveau de preuve 2 sur 3 ; le programme demande au moins 2."
    assert say(majeur) == ("Le problème est majeur : il fait perdre 150 heures par an, au moins les 100 heures qui "
                           "font un problème majeur.")
    assert say(actionnable) == "La collectivité peut agir : un responsable est désigné."
    weak = _qualify(evidence_level=1, hours=99, actionability=1).reasons
    assert say(weak[0]) == ("Le besoin n'est pas encore assez établi : rapporté par plusieurs agents ; il faut qu'il "
                            "soit au moins observé pendant l'atelier.")
    assert say(weak[1]) == ("Le problème n'est pas majeur : 99 heures perdues par an, moins que les 100 heures d'un "
                            "problème majeur, et aucun signal de gravité.")
    assert say(weak[1].detail) == ("99 heures perdues par an ; seuil du programme : 100 heures ; signaux de gravité : "
                                   "aucun.")
    assert say(weak[2]) == ("La collectivité ne peut pas encore agir : dépend d'un tiers ; il faut au moins que un "
                            "responsable est désigné.")
    assert_plain(text for r in (*_qualify().reasons, *weak) for text in sentences(r))


def test_a_severity_flag_makes_a_small_irritant_major():
    result = _qualify(hours=10, compliance_risk=True, mental_load=True)
    assert result.majeur
    assert say(result.reasons[1]) == ("Le problème est majeur par sa gravité (risque d'erreur ou de conformité, "
                                      "charge mentale forte), même s'il fait perdre moins de 100 heures par an.")


def test_net_annual_value():
    # 40 % of 9,000 € = 3,600; less 600 € a year; less 1,500 € over 3 years = 500 → 2,500 €
    assert scoring.net_annual_value(reduction=0.4, cost=9000, recurring_cost=600, one_off_cost=1500,
                                    amortisation_years=3) == pytest.approx(2500)


def test_worked_example_ai_wins_when_every_condition_holds():
    # Frugal: 8,500 € × 0.85 (delivery of a tool) = 7,225 €. AI: 14,700 € × 0.75 (delivery of a specialised
    # model) = 11,025 €. Needed: 1.25 × 7,225 = 9,031.25 € ≤ 11,025 €; 600 h ≥ 300 h; qualified; nothing blocked.
    result = recommend(BIG, [FILING_PLAN, SEARCH])
    assert result.family == "ia_specialisee"
    assert result.value == pytest.approx(11025)
    assert [holds for holds, _reason in result.conditions] == [True, True, True, True]
    qualified, hours, comparison, blocking = (say(reason) for _ok, reason in result.conditions)
    assert qualified == "Le besoin est qualifié : avéré, majeur, et la collectivité peut agir."
    assert hours == ("Le gain possible est très fort : 600 heures perdues par an, au moins les 300 heures à partir "
                     "desquelles une IA est envisagée.")
    assert comparison == ("L'option d'IA « Recherche sémantique » rapporte nettement plus que la meilleure solution "
                          "sans IA : 11\u202f025 € par an une fois ses risques comptés, contre 7\u202f225 €.")
    assert say(result.conditions[2][1].detail) == (
        "Valeur nette 14\u202f700 € par an ; ses risques en retirent 25\u00a0% ; reste 11\u202f025 €. Il fallait au "
        "moins la meilleure solution sans IA (7\u202f225 €) plus 25\u00a0%, soit 9\u202f031 €.")
    assert blocking == "Aucune option d'IA n'est écartée par la réglementation."
    assert_plain(shown(result))


def test_the_worked_example_s_reasons_are_data_with_its_numbers_as_numbers():
    comparison = recommend(BIG, [FILING_PLAN, SEARCH]).conditions[2][1]
    assert comparison.msgid.startswith("L'option d'IA « %(option)s » rapporte nettement plus")
    assert comparison.values["value"] == pytest.approx(11025) and comparison.values["frugal"] == pytest.approx(7225)
    needed = comparison.detail
    assert needed.values["needed"] == pytest.approx(9031.25) and needed.values["margin"] == 25
    risk = needed.values["risk"]
    assert (risk.values["net"], risk.values["off"], risk.values["value"]) == (pytest.approx(14700), 25,
                                                                            pytest.approx(11025))


def test_worked_example_risk_sends_it_back_to_frugal():
    # Delivery × 0.75, sensitive data on a non-sovereign tool × 0.5, no human review × 0.9: 0.3375.
    # 14,700 × 0.3375 = 4,961.25 € < 9,031.25 € needed: frugal first, 7,225 €.
    risky = replace(SEARCH, personal_data="sensitive", sovereign_tool=False, human_review=False)
    risk = option_risk(risky)
    assert risk.factor == pytest.approx(0.3375)
    assert [(say(name), value, key) for name, value, key in risk.parts] == [
        ("mise en œuvre d'un modèle d'IA spécialisé", 0.75, "delivery_ia_specialisee"),
        ("données sensibles sur un outil non souverain", 0.5, "risk_sensitive_data"),
        ("pas de relecture humaine des résultats", 0.9, "risk_no_review")]
    result = recommend(BIG, [FILING_PLAN, risky])
    assert result.family == "outil_classique" and result.value == pytest.approx(7225)
    assert say(result.conditions[2][1]) == (
        "L'option d'IA « Recherche sémantique » ne rapporte pas assez de plus que la meilleure solution sans IA : "
        "4\u202f961 € par an une fois ses risques comptés, contre 7\u202f225 € ; il fallait 25\u00a0% de plus.")
    assert say(result.reasons[-1]) == ("Frugal d'abord : la solution sans IA « Plan de classement » rapporte "
                                       "7\u202f225 € par an une fois ses risques comptés.")
    assert say(result.reasons[-1].detail) == ("Valeur nette 8\u202f500 € par an ; ses risques en retirent 15\u00a0% "
                                              "; reste 7\u202f225 €.")
    assert_plain(shown(result))


def test_risk_factors_are_read_from_the_parameters():
    # No human review: 0.75 × 0.9 = 0.675 by default; a programme that sets risk_no_review to 0.5: 0.375.
    unreviewed = replace(SEARCH, human_review=False)
    assert option_risk(unreviewed).factor == pytest.approx(0.675)
    stricter = {**DEFAULT_PARAMETERS, "risk_no_review": 0.5}
    assert option_risk(unreviewed, stricter).factor == pytest.approx(0.375)
    # 14,700 × 0.675 = 9,922.50 € by default; 14,700 × 0.375 = 5,512.50 € with the programme's factor.
    assert scoring.assess_option(unreviewed, 18000).adjusted_value == pytest.approx(9922.5)
    assert scoring.assess_option(unreviewed, 18000, stricter).adjusted_value == pytest.approx(5512.5)
    assert recommend(BIG, [FILING_PLAN, unreviewed]).is_ai  # 9,922.50 ≥ 9,031.25
    assert not recommend(BIG, [FILING_PLAN, unreviewed], stricter).is_ai


def test_frugal_options_carry_a_delivery_risk_too():
    # A plan de classement: 8,500 € net, × 0.85 = 7,225 €; the same as a training (× 0.9) 7,650 €, as a
    # process change (× 0.85) 7,225 €.
    assert scoring.assess_option(FILING_PLAN, 18000).adjusted_value == pytest.approx(7225)
    for family, kept in (("formation", 0.9), ("processus", 0.85), ("outil_classique", 0.85)):
        risk = option_risk(replace(FILING_PLAN, family=family))
        assert risk.factor == pytest.approx(kept) and [key for _n, _v, key in risk.parts] == [f"delivery_{family}"]
    # Only the delivery risk: data and review risks are AI's, whatever a frugal option declares.
    careless = replace(FILING_PLAN, personal_data="sensitive", sovereign_tool=False, human_review=False,
                       citizen_facing=True, ai_act_class="high_risk")
    assert scoring.risk_keys(careless) == ("delivery_outil_classique",)
    assert option_risk(replace(FILING_PLAN, family="formation"), {**DEFAULT_PARAMETERS,
                                                                  "delivery_formation": 0.6}).factor == 0.6


def test_worked_example_footprint_keeps_its_source():
    # 5,000 requests × 0.24 Wh = 1.2 kWh a year; 5,000 × 0.03 g = 0.15 kg CO2e (the programme's default factor).
    figures = scoring.footprint(SEARCH)
    assert figures.kwh_per_year == pytest.approx(1.2) and figures.co2e_kg_per_year == pytest.approx(0.15)
    assert "Google" in figures.source and figures.requests_per_year == 5000
    assert scoring.footprint(FILING_PLAN) == scoring.footprints.NONE


def test_a_shared_option_splits_its_one_off_cost_plus_coordination():
    # Shared by 3 collectivities: 3,000 / 3 + 1,500 coordination = 2,500 € one-off (less than 3,000 alone);
    # over 3 years 833.33 €: 16,200 − 500 − 833.33 = 14,866.67 €, 166.67 € more than alone.
    alone = scoring.assess_option(SEARCH, 18000)
    shared = scoring.assess_option(replace(SEARCH, shared_between=3), 18000)
    assert (alone.one_off_share, shared.one_off_share) == (3000, 2500)
    assert shared.net_value - alone.net_value == pytest.approx(500 / 3)
    # Not shareable (a training of one's own agents): never split, whatever the group.
    assert scoring.assess_option(replace(SEARCH, shared_between=3, shareable=False), 18000).one_off_share == 3000


def test_ai_act_proposals():
    assert ai_act.propose_ai_act_class("hr_decisions")[0] == "high_risk"
    assert ai_act.propose_ai_act_class("benefits_eligibility")[0] == "high_risk"
    assert ai_act.propose_ai_act_class("public_chatbot")[0] == "limited"
    assert ai_act.propose_ai_act_class("social_scoring")[0] == "prohibited"
    assert ai_act.propose_ai_act_class("preparatory_task")[0] == "minimal"
    assert ai_act.propose_ai_act_class("preparatory_task", profiling=True)[0] == "high_risk"


def test_blocked_options_are_named_and_never_recommended():
    for blocked in (replace(SEARCH, ai_act_class="prohibited"), replace(SEARCH, ai_act_class="high_risk")):
        result = recommend(BIG, [FILING_PLAN, blocked])
        assert result.family == "outil_classique"
        assert say(result.conditions[3][1]).startswith("La réglementation écarte : « Recherche sémantique »")
        assert_plain(shown(result))
    duties = tuple(ai_act.DUTIES)  # every deployer's duty ticked, not only the impact assessment
    cleared = replace(SEARCH, ai_act_class="high_risk", ai_act_duties=duties)
    # Unblocked, but the high-risk class costs 0.8: 14,700 × 0.75 × 0.8 = 8,820 € < 9,031.25 €: frugal first.
    assessed = recommend(BIG, [FILING_PLAN, cleared])
    assert assessed.assessments[1].blocked is None and assessed.family == "outil_classique"
    # Without delivery risks (this test is about the gate, not delivery): 14,700 × 0.8 = 11,760 € ≥ 1.25 × 8,500.
    no_delivery = {**DEFAULT_PARAMETERS, **{key: 1.0 for key in DEFAULT_PARAMETERS if key.startswith("delivery_")}}
    allowed = recommend(BIG, [FILING_PLAN, cleared], no_delivery)
    assert allowed.family == "ia_specialisee" and allowed.value == pytest.approx(11760)


def test_robustness_names_what_flips_it():
    # Measured (evidence 3, ranges ±15 %, risks ±0.1): AI wins by 11,025 against 9,031.25 € needed in 85 % of
    # the draws. A closer AI option (0.8: 14,400 − 1,500 = 12,900 × 0.75 = 9,675 € against 9,031.25 €) loses
    # often enough to be fragile, and its own expected reduction is what moves the answer most.
    measured = replace(BIG, evidence_level=3, actionability=3)
    assert robustness(measured, [FILING_PLAN, SEARCH]).robust
    close = replace(SEARCH, reduction=0.8)
    verdict = robustness(measured, [FILING_PLAN, close])
    assert not verdict.robust and verdict.runner_up == 0
    assert verdict.movers[0].key == "reduction:1"
    assert "la réduction attendue de « Recherche sémantique »" in say(verdict.reason)
    assert "au profit de « Plan de classement »" in say(verdict.reason)
    assert_plain([say(verdict.reason)])


def test_sentences_are_french_outside_a_request_and_in_the_reader_s_language_inside(app):
    close = replace(SEARCH, reduction=0.8)
    outside = [say(s) for _ok, s in recommend(BIG, [FILING_PLAN, SEARCH]).conditions]  # no app: a bench script
    assert any("rapporte nettement plus que la meilleure solution sans IA : 11\u202f025 €" in s for s in outside)
    with app.app_context():  # a command or the report's worker thread: no request, no language chosen
        assert [say(s) for _ok, s in recommend(BIG, [FILING_PLAN, SEARCH]).conditions] == outside
        assert say(robustness(BIG, [FILING_PLAN, close]).reason).startswith("Réponse fragile : elle ne l'emporte que")
    with app.test_request_context(), force_locale("en"):
        blocked = recommend(BIG, [FILING_PLAN, replace(SEARCH, ai_act_class="prohibited")])
        verdict = say(robustness(BIG, [FILING_PLAN, close]).reason)
        assert verdict.startswith("Fragile answer: it wins in only ")
        assert "“Plan de classement”" in verdict
        assert say(ai_act.propose_ai_act_class("hr_decisions")[1]).startswith("Recruiting, promoting")
        assert say(option_risk(replace(SEARCH, human_review=False)).parts[1][0]) == "no human review of the results"
        assert_plain([*shown(blocked), verdict])
        assert_plain(shown(recommend(BIG, [FILING_PLAN, SEARCH])))
        assert_plain(shown(recommend(replace(BIG, evidence_level=0, actionability=0, occurrences_per_month=1),
                                     [FILING_PLAN, SEARCH])))


def test_the_method_s_new_sentences_are_translated_into_english(app):
    result = recommend(BIG, [FILING_PLAN, SEARCH])
    with app.test_request_context(), force_locale("en"):
        english = shown(result)
    french = shown(result)
    assert all(en != fr for en, fr in zip(english, french))


# --- properties the steering committee relies on --------------------------------------------------

irritants = st.builds(
    IrritantInput, occurrences_per_month=st.floats(0, 500), minutes_per_occurrence=st.floats(0, 240),
    agents_affected=st.integers(1, 50), evidence_level=st.integers(0, 3), actionability=st.integers(0, 3),
    impact_citizens=st.booleans(), compliance_risk=st.booleans(), mental_load=st.booleans())


def _option(families):
    return st.builds(
        OptionInput, family=st.sampled_from(families), label=st.sampled_from(["A", "B", "C"]),
        reduction=st.floats(0, 1), one_off_cost=st.floats(0, 50_000), recurring_cost=st.floats(0, 10_000),
        months_to_value=st.integers(0, 24), requests_per_year=st.integers(0, 100_000),
        personal_data=st.sampled_from(["none", "personal", "sensitive"]), human_review=st.booleans(),
        citizen_facing=st.booleans(), sovereign_tool=st.booleans(),
        ai_act_class=st.sampled_from([None, "minimal", "limited", "high_risk", "prohibited"]),
        ai_act_duties=st.sampled_from([(), ("fria",), tuple(ai_act.DUTIES)]))


frugal_options = _option(scoring.FRUGAL_FAMILIES)
ai_options = _option(scoring.AI_FAMILIES)
option_lists = st.lists(st.one_of(frugal_options, ai_options), min_size=1, max_size=4)


@settings(max_examples=200, deadline=None)
@given(irritants, option_lists, st.floats(1.0, 3.0))
def test_more_hours_lost_never_lower_the_stake(irritant, options, factor):
    # The stake (« enjeu »), not the priority: frugal first may lower the recommended value (test_scoring_rules).
    more = replace(irritant, occurrences_per_month=irritant.occurrences_per_month * factor)
    before, after = recommend(irritant, options).stake, recommend(more, options).stake
    if before is None:  # every option blocked, whatever the hours
        assert after is None
        return
    assert after >= before - 1e-6


@settings(max_examples=200, deadline=None)
@given(irritants, st.lists(frugal_options, min_size=1, max_size=2), ai_options)
def test_more_risk_on_the_ai_option_never_turns_frugal_into_ai(irritant, frugal, ai):
    if recommend(irritant, [*frugal, ai]).is_ai:
        return
    riskier = replace(ai, human_review=False, sovereign_tool=False, personal_data="sensitive")
    assert not recommend(irritant, [*frugal, riskier]).is_ai


@settings(max_examples=200, deadline=None)
@given(irritants, frugal_options, ai_options, st.floats(0, 1))
def test_a_better_frugal_option_never_turns_frugal_into_ai(irritant, frugal, ai, gain):
    if recommend(irritant, [frugal, ai]).is_ai:
        return
    better = replace(frugal, reduction=min(1.0, frugal.reduction + gain))
    assert not recommend(irritant, [better, ai]).is_ai


@settings(max_examples=200, deadline=None)
@given(irritants, option_lists)
def test_blocked_options_and_unqualified_irritants_never_get_them(irritant, options):
    result = recommend(irritant, options)
    if result.chosen is None:
        assert result.family == scoring.REFORMULATE
        return
    assert result.chosen.blocked is None
    if result.is_ai:
        assert result.qualification.qualified
        assert result.chosen.option.ai_act_class != "prohibited"
        chosen = result.chosen.option
        assert chosen.ai_act_class != "high_risk" or not ai_act.missing_duties(chosen.ai_act_duties)


@settings(max_examples=200, deadline=None)
@given(irritants, st.lists(frugal_options, max_size=2), st.lists(ai_options, min_size=1, max_size=2))
def test_every_explanation_states_each_condition_in_plain_words_with_its_numbers(irritant, frugal, ai):
    result = recommend(irritant, [*frugal, *ai])
    assert len(result.conditions) == 4
    qualified, value, comparison, blocking = (say(reason) for _ok, reason in result.conditions)
    assert re.search(r"\d", value) and "heures perdues par an" in value
    assert re.search(r"\d", comparison) or comparison == "Aucune option d'IA ne peut être comparée aux solutions " \
                                                         "sans IA."
    assert qualified.startswith(("Le besoin est qualifié", "Le besoin n'est pas encore qualifié."))
    assert blocking.startswith(("La réglementation écarte : ", "Aucune option d'IA n'est écartée"))
    assert_plain(shown(result))


def test_every_qualification_sentence_keeps_its_figures_one_click_away():
    # Met: each detail names the level or the hours and the programme's minimum.
    reel, majeur, actionnable = _qualify(evidence_level=3, hours=100, actionability=3).reasons
    assert say(reel.detail) == "Niveau de preuve 3 sur 3 ; le programme demande au moins 2."
    assert say(majeur).startswith("Le problème est majeur : il fait perdre 100 heures par an")  # 100 h exactly
    assert say(majeur.detail) == ("100 heures perdues par an ; seuil du programme : 100 heures ; signaux de "
                                  "gravité : aucun.")
    assert say(actionnable) == "La collectivité peut agir : un responsable est désigné et a les moyens."
    assert say(actionnable.detail) == "Niveau d'action 3 sur 3 ; le programme demande au moins 2."
    # Not met: the same figures.
    reel, majeur, actionnable = _qualify(evidence_level=0, hours=10, actionability=0).reasons
    assert say(reel.detail) == "Niveau de preuve 0 sur 3 ; le programme demande au moins 2."
    assert say(actionnable.detail) == "Niveau d'action 0 sur 3 ; le programme demande au moins 2."
    assert say(reel).startswith("Le besoin n'est pas encore assez établi : ressenti par une personne ;")
    assert say(actionnable).startswith("La collectivité ne peut pas encore agir : hors des compétences")
    # Major by its flags: the flags listed in the detail too.
    flagged = _qualify(hours=10, impact_citizens=True, mental_load=True).reasons[1]
    assert say(flagged.detail) == ("10 heures perdues par an ; seuil du programme : 100 heures ; signaux de gravité : "
                                   "impact sur les citoyens, charge mentale forte.")


@pytest.mark.parametrize("level, words", [(-1, "ressenti par une personne"), (7, "mesuré (comptages, journaux)")])
def test_a_level_out_of_range_is_worded_as_the_nearest_level(level, words):
    assert words in say(_qualify(evidence_level=level).reasons[0])
