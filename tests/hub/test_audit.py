"""Every insert, update and delete of a domain row is in the audit log, by one listener."""

from __future__ import annotations

from sqlmodel import select

from hub.core.models import AuditEntry
from irritants.models import Comment, Irritant
from tests.conftest import session_on


def _entries(db, table: str, row_id: int) -> list[AuditEntry]:
    return list(db.exec(select(AuditEntry).where(AuditEntry.table_name == table, AuditEntry.row_id == row_id)
                        .order_by(AuditEntry.id)))


def test_insert_update_delete_are_recorded_with_who_and_what(connection, world, db):
    user_id = world.users["facilitator"].id
    session = session_on(connection, user_id=user_id)
    comment = Comment(irritant_id=world.own_irritant.id, collectivity_id=world.own.id, body="Premier avis")
    session.add(comment)
    session.flush()
    comment.body = "Avis corrigé"
    session.flush()
    session.delete(comment)
    session.flush()
    entries = _entries(db, "comment", comment.id)
    assert [e.action for e in entries] == ["insert", "update", "delete"]
    assert all(e.user_id == user_id for e in entries)
    assert entries[0].changes["body"] == "Premier avis"
    assert entries[1].changes == {"body": ["Premier avis", "Avis corrigé"]}
    assert entries[2].changes["body"] == "Avis corrigé"


def test_an_update_that_changes_nothing_is_not_logged(connection, world, db):
    session = session_on(connection)
    irritant = session.get(Irritant, world.own_irritant.id)
    before = len(_entries(db, "irritant", irritant.id))
    irritant.title = irritant.title
    session.flush()
    assert len(_entries(db, "irritant", irritant.id)) == before


def test_password_hashes_never_reach_the_log(world, db):
    entry = _entries(db, "user_account", world.users["admin"].id)[0]
    assert entry.changes["password_hash"] == "***"


def test_a_write_through_a_page_is_logged_with_the_person(client_as, world, db):
    response = client_as("facilitator").post(f"/irritants/{world.own_irritant.id}/statut",
                                             data={"to_status": "rejected", "version": world.own_irritant.version,
                                                   "note": "Doublon"})
    assert response.status_code == 302
    entry = _entries(db, "irritant", world.own_irritant.id)[-1]
    assert entry.action == "update"
    assert entry.user_id == world.users["facilitator"].id
    assert entry.changes["status"] == ["identified", "rejected"]
