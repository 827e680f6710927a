"""The collectivity list and page, and moving a candidacy along."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from participants.models import Enrolment, EnrolmentEvent
from tests import factories


def test_list_shows_enrolled_collectivities_with_their_irritant_counts(client_as, world):
    page = client_as("facilitator").get(f"/collectivites?programme={world.programme.slug}").get_data(as_text=True)
    assert "2 collectivités" in page
    assert "Chéroy" in page and "Lormes" in page and "Engagée" in page


def test_list_is_paginated(app, client_as, world, db):
    app.config["PAGE_SIZE"] = 2
    factories.collectivity(db, world.programme, name="Héry")
    db.commit()
    client = client_as("facilitator")
    page = client.get(f"/collectivites?programme={world.programme.slug}").get_data(as_text=True)
    assert "Page 1 sur 2" in page and "Héry" in page and "Lormes" not in page  # by name
    assert "Lormes" in client.get(f"/collectivites?programme={world.programme.slug}&page=2").get_data(as_text=True)


def test_a_referent_sees_their_own_collectivity_page_without_the_team_forms(client_as, world):
    page = client_as("participant").get(f"/collectivites/{world.own.id}").get_data(as_text=True)
    assert "Chéroy" in page
    assert "Enregistrer le statut" not in page


def _candidacy(db, world):
    candidate = factories.collectivity(db, name="Héry")
    enrolment = Enrolment(programme_id=world.programme.id, collectivity_id=candidate.id, applied_on=date(2024, 2, 1))
    db.add(enrolment)
    db.commit()
    return candidate, enrolment


def test_the_team_moves_a_candidacy_along_and_it_is_dated(client_as, world, db):
    candidate, enrolment = _candidacy(db, world)
    url = f"/collectivites/{candidate.id}/inscriptions/{enrolment.id}/statut"
    client = client_as("facilitator")
    assert client.post(url, data={f"e{enrolment.id}-enrolment_id": enrolment.id,
                                  f"e{enrolment.id}-to_status": "selected"}).status_code == 302
    db.expire_all()
    assert db.get(Enrolment, enrolment.id).status == "selected"
    event = db.exec(select(EnrolmentEvent).where(EnrolmentEvent.enrolment_id == enrolment.id)).one()
    assert (event.from_status, event.to_status, event.by_user_id) == ("candidacy", "selected",
                                                                       world.users["facilitator"].id)
    assert event.at is not None


def test_a_negative_outcome_needs_a_reason_and_keeps_what_was_typed(client_as, world, db):
    candidate, enrolment = _candidacy(db, world)
    url = f"/collectivites/{candidate.id}/inscriptions/{enrolment.id}/statut"
    response = client_as("facilitator").post(url, data={f"e{enrolment.id}-enrolment_id": enrolment.id,
                                                        f"e{enrolment.id}-to_status": "not_selected",
                                                        f"e{enrolment.id}-reason": "   "})
    assert response.status_code == 422
    assert "Indiquez la raison de ce refus ou de ce retrait." in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Enrolment, enrolment.id).status == "candidacy"


def test_every_status_menu_opens_on_an_empty_choice_never_on_a_step(client_as, world, db):
    enrolment = world.enrolment(db, world.own)  # enrolled: its next steps are « Retirée » and « Terminée »
    page = client_as("facilitator").get(f"/collectivites/{world.own.id}").get_data(as_text=True)
    menu = page.split(f'name="e{enrolment.id}-to_status"')[1].split("</select>")[0]
    # Shown first, chosen by no one.
    assert menu.split("<option")[1].startswith(' value="">— Choisir le nouveau statut —')
    url = f"/collectivites/{world.own.id}/inscriptions/{enrolment.id}/statut"
    response = client_as("facilitator").post(url, data={f"e{enrolment.id}-enrolment_id": enrolment.id,
                                                        f"e{enrolment.id}-to_status": "",
                                                        f"e{enrolment.id}-reason": "Raison gardée"})
    assert response.status_code == 422
    answer = response.get_data(as_text=True)
    assert "Choisissez un statut." in answer and "Raison gardée" in answer
    db.expire_all()
    assert db.get(Enrolment, enrolment.id).status == "enrolled"


def test_a_transition_outside_the_workflow_is_refused(client_as, world, db):
    enrolment = world.enrolment(db, world.own)  # already enrolled: it cannot go back to "selected"
    url = f"/collectivites/{world.own.id}/inscriptions/{enrolment.id}/statut"
    response = client_as("facilitator").post(url, data={f"e{enrolment.id}-enrolment_id": enrolment.id,
                                                        f"e{enrolment.id}-to_status": "selected"})
    assert response.status_code == 422


def test_the_prefixed_form_posts_with_its_csrf_token(make_app, world, db):
    candidate, enrolment = _candidacy(db, world)
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = str(world.users["facilitator"].id)
        flask_session["_epoch"] = 0  # a new account's first session (hub.core.auth)
    page = client.get(f"/collectivites/{candidate.id}").get_data(as_text=True)
    token = page.split(f'name="e{enrolment.id}-csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(f"/collectivites/{candidate.id}/inscriptions/{enrolment.id}/statut",
                           data={f"e{enrolment.id}-csrf_token": token, f"e{enrolment.id}-enrolment_id": enrolment.id,
                                 f"e{enrolment.id}-to_status": "selected"})
    assert response.status_code == 302
