"""The method returns its reasons as data; the ground floor words them in the reader's language."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace

import grimp
from flask import session

from hub.core.i18n import say
from irritants.robustness import robustness
from irritants.scoring import IrritantInput, OptionInput, recommend
from participants.reasons import N_, Series
from participants.selection import Candidate, propose

BIG = IrritantInput(occurrences_per_month=60, minutes_per_occurrence=25, agents_affected=2, evidence_level=2,
                    actionability=2)  # 600 h a year, 18 000 €
FILING_PLAN = OptionInput(family="outil_classique", label="Plan de classement", reduction=0.5, one_off_cost=1500)
SEARCH = OptionInput(family="ia_specialisee", label="Recherche sémantique", reduction=0.9, one_off_cost=3000,
                     recurring_cost=500, requests_per_year=5000)

METHOD = ("irritants.scoring", "irritants.robustness", "irritants.similarity", "participants.selection",
          "participants.adoption", "exports.compare", "participants.reasons")
FORBIDDEN = ("flask", "flask_babel", "babel", "sqlalchemy", "sqlmodel", "hub")


@contextmanager
def reading_in(app, lang: str):
    """A request whose visitor chose ``lang``, as the language switch records it in the session."""
    with app.test_request_context():
        session["lang"] = lang
        yield


def test_the_same_reason_reads_in_french_and_in_english_with_each_language_s_numbers(app):
    result = recommend(BIG, [FILING_PLAN, SEARCH])
    comparison = result.conditions[2][1]
    with reading_in(app, "fr"):
        french = say(comparison)
    with reading_in(app, "en"):
        english = say(comparison)
    # A plain sentence; its figures one click away, in its detail, each in the reader's conventions.
    assert french == ("L'option d'IA « Recherche sémantique » rapporte nettement plus que la meilleure solution sans "
                      "IA : 11\u202f025 € par an une fois ses risques comptés, contre 7\u202f225 €.")
    assert english == ("The AI option “Recherche sémantique” brings in clearly more than the best non-AI solution: "
                       "€11,025 a year once its risks are counted, against €7,225.")
    with reading_in(app, "fr"):
        assert say(comparison.detail) == (
            "Valeur nette 14\u202f700 € par an ; ses risques en retirent 25\u00a0% ; reste 11\u202f025 €. Il fallait "
            "au moins la meilleure solution sans IA (7\u202f225 €) plus 25\u00a0%, soit 9\u202f031 €.")
    with reading_in(app, "en"):
        assert say(comparison.detail) == (
            "Net value €14,700 a year; its risks take off 25%; €11,025 remains. It needed at least the best non-AI "
            "solution (€7,225) plus 25%, that is €9,031.")


def test_nested_reasons_series_and_plurals_are_worded_too(app):
    blocked = recommend(BIG, [FILING_PLAN, replace(SEARCH, ai_act_class="prohibited"),
                              replace(SEARCH, label="Tri", ai_act_class="high_risk",
                                      ai_act_duties=("fria", "oversight", "logs", "inform_workers"))])
    ruled_out = blocked.conditions[3][1]
    candidates = [Candidate(1, "A", "71", "commune", 5), Candidate(2, "B", "58", "commune", 4),
                  Candidate(3, "C", "89", "commune", 3)]
    left_out = {p.candidate_id: p for p in propose(candidates, seats=2, cohort_departements={"71"})}[1].reason
    with reading_in(app, "fr"):
        assert say(ruled_out) == ("La réglementation écarte : « Recherche sémantique » (pratique interdite par l'AI "
                                  "Act (art. 5)) ; « Tri » (haut risque, obligations du déployeur non remplies : "
                                  "analyse d'impact relative à la protection des données (RGPD art. 35 ; art. 26, "
                                  "paragraphe 9)).")
        assert "et sa motivation (5/5) ne la classe pas dans les 2 places." in say(left_out)
    with reading_in(app, "en"):
        assert say(ruled_out) == ("The regulations rule out: “Recherche sémantique” (practice prohibited by the AI "
                                  "Act (Art. 5)); “Tri” (high-risk, deployer's duties not met: data protection impact "
                                  "assessment (GDPR Art. 35; Art. 26(9))).")
        assert "its motivation (5/5) does not rank it within the 2 places." in say(left_out)


def test_numbers_are_formatted_where_the_reason_is_read(app):
    reason = N_("Le problème est majeur : il fait perdre %(hours)s heures par an, au moins les %(threshold)s heures "
                "qui font un problème majeur.", hours=12500.4, threshold=-300)
    french = ("Le problème est majeur : il fait perdre 12\u202f500 heures par an, au moins les −300 heures qui font "
              "un problème majeur.")
    with reading_in(app, "fr"):
        assert say(reason) == french
    with reading_in(app, "en"):
        assert say(reason) == ("The problem is major: it costs 12,500 hours a year, at least the −300 hours that "
                               "make a problem major.")
    # Outside a request (a command, the report's worker thread): French, as the published report.
    assert say(reason) == french
    assert say("Plan de classement") == "Plan de classement"  # text already written is left as typed
    assert say(Series(("a", "b"), "semicolons")) == "a ; b"


def _values(reason):
    """Every value inside a reason, nested reasons and series opened."""
    for value in getattr(reason, "items", None) or getattr(reason, "values", {}).values():
        if hasattr(value, "msgid") or hasattr(value, "items"):
            yield from _values(value)
        else:
            yield value


def test_the_method_returns_numbers_as_numbers_not_as_text():
    close = replace(SEARCH, reduction=0.75)
    reasons = [*recommend(BIG, [FILING_PLAN, close]).reasons, robustness(BIG, [FILING_PLAN, close]).reason,
               *(p.reason for p in propose([Candidate(1, "A", "71", "commune", 3, population=9000),
                                            Candidate(2, "B", "71", "commune", 3, population=500)], seats=1,
                                           cohort_departements={"71"}, cohort_kinds={"commune"}))]
    values = [value for reason in reasons for value in _values(reason)]
    assert 600 in values and 9000 in values and 3 in values  # hours, a population, a motivation score
    texts = [value for value in values if isinstance(value, str)]
    # Only words and codes: a label, a comparison sign, a département code; never a formatted figure.
    assert not [text for text in texts if any(c.isdigit() for c in text) and text not in ("71",)], texts


def test_the_method_imports_no_web_framework_no_database_and_nothing_of_hub():
    graph = grimp.build_graph("hub", "participants", "workshops", "irritants", "exports",
                              include_external_packages=True, cache_dir=None)
    chains = {(module, forbidden): graph.find_shortest_chain(importer=module, imported=forbidden, as_packages=True)
              for module in METHOD for forbidden in FORBIDDEN}
    assert not {pair: chain for pair, chain in chains.items() if chain}
