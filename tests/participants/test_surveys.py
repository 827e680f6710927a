"""Satisfaction surveys: shares with their number of answers, small samples flagged, per-response import."""

from __future__ import annotations

from sqlmodel import select

from participants.models import SurveyResult, SurveyWave
from participants.surveys import is_small, share
from tests.participants.support import enter_results, import_answers, reload


def test_share_and_small_samples():
    assert share(74, 100) == 0.74
    assert share(0, 0) is None
    assert is_small(9) and not is_small(10)


def test_a_share_on_fewer_than_ten_answers_is_shown_as_such(client_as, world):
    client = client_as("facilitator")
    assert enter_results(client, world, world.own, 100, 70).status_code == 302
    assert enter_results(client, world, world.foreign, 4, 3).status_code == 302
    page = client_as("steering").get(f"/programmes/{world.programme.slug}/enquetes").get_data(as_text=True)
    assert "70" in page and "sur 4 réponses seulement" in page
    assert page.count("réponses seulement") == 1  # 104 answers in all: the total stands


def test_positive_answers_cannot_exceed_respondents(client_as, world):
    response = enter_results(client_as("facilitator"), world, world.own, 5, 8)
    assert response.status_code == 422
    assert "ne peuvent pas dépasser le nombre de répondants" in response.get_data(as_text=True)


def test_a_referent_enters_their_results_for_the_team_to_validate(client_as, world, db):
    assert enter_results(client_as("participant"), world, world.own, 12, 9).status_code == 302
    db.expire_all()
    result = db.exec(select(SurveyResult).where(SurveyResult.collectivity_id == world.own.id)).one()
    assert (result.respondents, result.validated) == (12, False)
    page = client_as("participant").get(f"/programmes/{world.programme.slug}/enquetes").get_data(as_text=True)
    assert "à valider par l&#39;équipe" in page or "à valider par l'équipe" in page


def test_a_per_response_file_is_counted_or_refused_whole(client_as, world, db):
    client = client_as("facilitator")
    good = (f"collectivite;reponse\n{world.own.slug};oui\n{world.own.slug};non\n{world.foreign.slug};Oui\n"
            ).encode("cp1252")
    response = import_answers(client, world, good)
    assert response.status_code == 302
    db.expire_all()
    totals = {r.collectivity_id: (r.respondents, r.positive) for r in db.exec(select(SurveyResult))}
    assert totals == {world.own.id: (2, 1), world.foreign.id: (1, 1)}
    bad = f"collectivite;reponse\n{world.own.slug};oui\n{world.own.slug};peut-être\n".encode()
    refused = import_answers(client, world, bad)
    assert refused.status_code == 422 and "ligne 3 : réponse illisible" in refused.get_data(as_text=True)
    db.expire_all()
    assert {r.collectivity_id: (r.respondents, r.positive) for r in db.exec(select(SurveyResult))} == totals


def test_the_team_opens_a_wave(client_as, world, db):
    response = client_as("facilitator").post(f"/programmes/{world.programme.slug}/enquetes",
                                             data={"label": "Usagers, mars 2025", "audience": "users",
                                                   "opened_on": "03/03/2025"})
    assert response.status_code == 302
    assert db.exec(select(SurveyWave).where(SurveyWave.audience == "users")).one().label == "Usagers, mars 2025"


def test_the_team_validates_a_referents_results(client_as, world, db):
    assert client_as("facilitator").post(f"/enquetes/resultats/{world.own_result.id}/validation").status_code == 302
    assert reload(db, world.own_result).validated is True


def test_an_oversize_cell_is_refused_in_french_instead_of_a_server_error(client_as, world, db):
    before = {(r.collectivity_id, r.respondents, r.positive) for r in db.exec(select(SurveyResult))}
    content = f'collectivite;reponse\n{world.own.slug};oui\n{world.own.slug};"{"non " * 50_000}\n'.encode()
    response = import_answers(client_as("facilitator"), world, content)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Ligne 3 : une cellule dépasse" in page and "caractères" in page
    db.expire_all()
    assert {(r.collectivity_id, r.respondents, r.positive) for r in db.exec(select(SurveyResult))} == before
