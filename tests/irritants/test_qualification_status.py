"""A qualification that makes an identified irritant qualify moves it to « Qualifié » in the same save."""

from __future__ import annotations

import html

from sqlmodel import select

from irritants.models import Irritant, IrritantEvent
from tests import factories


def _qualification(version, **values):
    data = {"version": version, "evidence_level": "2", "occurrences_per_month": "40", "minutes_per_occurrence": "15",
            "agents_affected": "3", "actionability": "3"}  # 360 h a year, established, actionable: qualified
    data.update(values)
    return data


def _events(db, irritant):
    return db.exec(select(IrritantEvent).where(IrritantEvent.irritant_id == irritant.id, IrritantEvent.from_status
                                               .is_not(None)).order_by(IrritantEvent.id)).all()


def _saved_and_said(client, irritant, data):
    response = client.post(f"/irritants/{irritant.id}/qualification", data=data)
    assert response.status_code == 302
    return html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))


def test_a_qualifying_save_moves_an_identified_irritant_with_its_event(client_as, world, db):
    irritant = world.own_irritant
    assert irritant.status == "identified"
    page = _saved_and_said(client_as("facilitator"), irritant, _qualification(irritant.version))
    assert "Irritant qualifié : statut passé à « Qualifié »." in page
    db.expire_all()
    assert db.get(Irritant, irritant.id).status == "qualified"
    [event] = _events(db, irritant)
    assert (event.from_status, event.to_status, event.by_user_id) == (
        "identified", "qualified", world.users["facilitator"].id)
    assert event.note == "Qualifié à l'enregistrement de la qualification"


def test_a_save_that_does_not_qualify_leaves_the_status(client_as, world, db):
    irritant = world.own_irritant
    page = _saved_and_said(client_as("facilitator"), irritant, _qualification(irritant.version, evidence_level="0"))
    assert "Qualification enregistrée." in page and "statut passé" not in page
    db.expire_all()
    assert db.get(Irritant, irritant.id).status == "identified" and not _events(db, irritant)


def test_a_qualified_irritant_that_no_longer_qualifies_keeps_its_status_and_says_so(client_as, world, db):
    irritant = factories.irritant(db, world.programme, world.own, status="qualified", evidence_level=2,
                                  actionability=3)
    db.commit()
    page = _saved_and_said(client_as("admin"), irritant, _qualification(irritant.version, actionability="0"))
    assert "ne remplit plus les conditions de qualification : son statut reste « Qualifié »" in page
    db.expire_all()
    assert db.get(Irritant, irritant.id).status == "qualified" and not _events(db, irritant)


def test_a_proposed_irritant_is_not_moved_by_its_qualification(client_as, world, db):
    irritant = factories.irritant(db, world.programme, world.own, status="proposed")
    db.commit()
    _saved_and_said(client_as("facilitator"), irritant, _qualification(irritant.version))
    db.expire_all()
    assert db.get(Irritant, irritant.id).status == "proposed"  # the team reviews a proposal first


def test_the_hubs_own_note_is_kept_in_french_and_read_in_the_readers_language(client_as, world, db):
    irritant = world.own_irritant
    client = client_as("facilitator")
    client.post("/langue", data={"lang": "en", "next": "/"})
    _saved_and_said(client, irritant, _qualification(irritant.version))
    [event] = _events(db, irritant)
    assert event.note == "Qualifié à l'enregistrement de la qualification"  # the data's language, whoever saved
    english = client.get(f"/irritants/{irritant.id}").get_data(as_text=True)
    assert "Qualified when its qualification was saved" in english
    assert "enregistrement de la qualification" not in english
