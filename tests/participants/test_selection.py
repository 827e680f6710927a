"""The selection proposal: coverage first (départements, then kinds), motivation next, explained."""

from __future__ import annotations

from dataclasses import replace

from flask_babel import force_locale

from hub.core.i18n import say
from participants.selection import Candidate, propose


def _by_id(proposals):
    return {p.candidate_id: p for p in proposals}


def test_a_new_departement_beats_a_stronger_motivation():
    candidates = [Candidate(1, "A", "71", "commune", 5), Candidate(2, "B", "58", "commune", 1)]
    result = _by_id(propose(candidates, seats=1, cohort_departements={"71"}, cohort_kinds={"commune"}))
    assert result[2].proposed and not result[1].proposed
    assert "apporte le département 58" in say(result[2].reason)
    assert "motivation 1/5" in say(result[2].reason)


def test_a_new_kind_comes_after_a_new_departement_and_before_motivation():
    candidates = [Candidate(1, "A", "71", "commune", 5), Candidate(2, "B", "71", "syndicat_mixte", 2),
                  Candidate(3, "C", "21", "commune", 0)]
    result = propose(candidates, seats=2, cohort_departements={"71"}, cohort_kinds={"commune"})
    ranks = {p.candidate_id: p.rank for p in result}
    assert ranks == {3: 1, 2: 2, 1: None}
    assert "type « syndicat mixte »" in say(_by_id(result)[2].reason)


def test_ties_in_coverage_go_to_the_stronger_motivation():
    candidates = [Candidate(1, "A", "71", "commune", 2), Candidate(2, "B", "71", "commune", 4),
                  Candidate(3, "C", "71", "commune", 3)]
    result = _by_id(propose(candidates, seats=2, cohort_departements={"71"}, cohort_kinds={"commune"}))
    assert [result[i].proposed for i in (1, 2, 3)] == [False, True, True]
    assert "motivation (4/5) est la plus forte" in say(result[2].reason)
    assert "sa motivation (2/5) ne la classe pas dans les 2 places" in say(result[1].reason)


def test_coverage_updates_after_each_choice():
    # Two candidacies from the same new département: only the first brings it; the second then
    # competes on motivation with the others.
    candidates = [Candidate(1, "A", "58", "commune", 5), Candidate(2, "B", "58", "commune", 4),
                  Candidate(3, "C", "89", "commune", 1)]
    result = propose(candidates, seats=2)
    assert {p.candidate_id for p in result if p.proposed} == {1, 3}


def test_every_candidacy_gets_a_sentence_and_no_seat_means_none_proposed():
    candidates = [Candidate(1, "A", "71", "commune", None), Candidate(2, "B", "58", "epci", 3)]
    for proposal in propose(candidates, seats=1):
        assert say(proposal.reason).endswith(".") and len(say(proposal.reason)) > 30
    assert all(not p.proposed for p in propose(candidates, seats=0))
    assert "aucune place" in say(propose(candidates, seats=0)[0].reason)


def test_an_equal_motivation_is_decided_by_population():
    candidates = [Candidate(1, "A", "71", "commune", 3, population=500),
                  Candidate(2, "B", "71", "commune", 3, population=9000)]
    result = _by_id(propose(candidates, seats=1, cohort_departements={"71"}, cohort_kinds={"commune"}))
    assert result[2].proposed
    assert "9\u202f000 habitants" in say(result[2].reason)


def test_reasons_are_french_outside_a_request_and_in_the_reader_s_language_inside(app):
    candidates = [Candidate(1, "A", "71", "commune", 3, population=500),
                  Candidate(2, "B", "71", "syndicat_mixte", 3, population=12500)]
    outside = [say(p.reason) for p in propose(candidates, seats=1, cohort_departements={"71"})]
    assert outside[1] == "Proposée : apporte le type « syndicat mixte », absent de la cohorte (motivation 3/5)."
    with app.app_context():  # no request: French, as in a command
        assert [say(p.reason) for p in propose(candidates, seats=1, cohort_departements={"71"})] == outside
    with app.test_request_context(), force_locale("en"):
        kinds = _by_id(propose(candidates, seats=1, cohort_departements={"71"}))
        assert say(kinds[2].reason) == ("Proposed: brings the type “joint syndicate”, not yet in the cohort "
                                        "(motivation 3/5).")
        tied = _by_id(propose([replace(c, kind="commune") for c in candidates], seats=1,
                              cohort_departements={"71"}, cohort_kinds={"commune"}))
        assert say(tied[2].reason) == ("Proposed: brings no new département or type; with motivation equal "
                                       "(3/5), its population (12,500 inhabitants) decides.")
        assert say(tied[1].reason) == ("Not proposed: brings no new département or type to the proposed cohort, "
                                       "and its motivation (3/5) does not earn it the only place.")
