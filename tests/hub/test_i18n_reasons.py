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
    assert french == ("L'option IA « Recherche sémantique » vaut 14\u202f700 € par an après risque (facteur 1,00), "
                      "≥ 10\u202f625 € = meilleure option frugale (8\u202f500 €) majorée de 25\u00a0%.")
    assert english == ("The AI option “Recherche sémantique” is worth €14,700 a year after risk (factor 1.00), "
                       "≥ €10,625 = the best frugal option (€8,500) plus 25%.")


def test_nested_reasons_series_and_plurals_are_worded_too(app):
    blocked = recommend(BIG, [FILING_PLAN, replace(SEARCH, ai_act_class="prohibited"),
                              replace(SEARCH, label="Tri", ai_act_class="high_risk",
                                      ai_act_duties=("fria", "oversight", "logs", "inform_workers"))])
    ruled_out = blocked.conditions[3][1]
    candidates = [Candidate(1, "A", "71", "commune", 5), Candidate(2, "B", "58", "commune", 4),
                  Candidate(3, "C", "89", "commune", 3)]
    left_out = {p.candidate_id: p for p in propose(candidates, seats=2, cohort_departements={"71"})}[1].reason
    with reading_in(app, "fr"):
        assert say(ruled_out) == ("Option(s) IA écartée(s) : « Recherche sémantique », pratique interdite par l'AI "
                                  "Act (art. 5) ; « Tri », haut risque, obligations du déployeur non remplies : "
                                  "analyse d'impact relative à la protection des données (RGPD art. 35 ; art. 26, "
                                  "paragraphe 9).")
        assert "et sa motivation (5/5) ne la classe pas dans les 2 places." in say(left_out)
    with reading_in(app, "en"):
        assert say(ruled_out) == ("AI option(s) ruled out: “Recherche sémantique”, practice prohibited by the AI Act "
                                  "(Art. 5); “Tri”, high-risk, deployer's duties not met: data protection impact "
                                  "assessment (GDPR Art. 35; Art. 26(9)).")
        assert "its motivation (5/5) does not rank it within the 2 places." in say(left_out)


def test_numbers_are_formatted_where_the_reason_is_read(app):
    reason = N_("Valeur très forte : %(hours)s h par an ≥ seuil de %(threshold)s h.", hours=12500.4, threshold=-300)
    with reading_in(app, "fr"):
        assert say(reason) == "Valeur très forte : 12\u202f500 h par an ≥ seuil de −300 h."
    with reading_in(app, "en"):
        assert say(reason) == "Very high value: 12,500 h a year ≥ threshold of −300 h."
    # Outside a request (a command, the report's worker thread): French, as the published report.
    assert say(reason) == "Valeur très forte : 12\u202f500 h par an ≥ seuil de −300 h."
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
