"""The audit log for the admin: who did what, when; filtered by person, collectivity, table, dates; CSV; admin only."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from sqlmodel import select

from hub.core.models import AuditEntry
from irritants.models import Comment, Irritant
from tests import factories
from tests.conftest import session_on


def _rows(page: str) -> str:
    return page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


@pytest.fixture
def history(world, db, connection):
    """The facilitator renames Chéroy's irritant, then comments on it and deletes the comment; the admin renames
    Lormes's irritant. Each as its own person, through the ORM: the listener writes the entries."""
    facilitator, admin = world.users["facilitator"], world.users["admin"]
    as_facilitator = session_on(connection, user_id=facilitator.id)
    own = as_facilitator.get(Irritant, world.own_irritant.id)
    own.title = "Arrêtés introuvables"
    comment = Comment(irritant_id=own.id, collectivity_id=own.collectivity_id, author_id=facilitator.id,
                      body="Vu en atelier")
    as_facilitator.add_all([own, comment])
    as_facilitator.commit()
    as_facilitator.delete(comment)
    as_facilitator.commit()
    as_facilitator.close()
    as_admin = session_on(connection, user_id=admin.id)
    foreign = as_admin.get(Irritant, world.foreign_irritant.id)
    foreign.title = "=Questions RH"  # a formula, for the CSV's neutralisation
    as_admin.add(foreign)
    as_admin.commit()
    as_admin.close()
    return comment.id


def test_only_the_admin_reads_the_log(client_as, world):
    for role in ("facilitator", "steering", "participant"):
        assert client_as(role).get("/journal").status_code == 403
        assert client_as(role).get("/journal.csv").status_code == 403
    assert client_as("anonymous").get("/journal").status_code == 302
    page = client_as("admin").get("/").get_data(as_text=True)
    assert 'href="/journal"' in page and 'href="/comptes"' in page
    assert 'href="/comptes"' not in client_as("facilitator").get("/").get_data(as_text=True)


def test_the_log_names_the_person_the_action_the_table_and_the_fields(client_as, world, history):
    page = client_as("admin").get("/journal").get_data(as_text=True)
    rows = _rows(page)
    assert world.users["facilitator"].email in rows
    assert "modifié" in rows and "créé" in rows and "supprimé" in rows
    assert "Irritant" in rows and "Commentaire" in rows
    assert "Recherche d&#39;anciens arrêtés → Arrêtés introuvables" in rows
    # Newest first: the admin's change comes before the facilitator's.
    assert rows.index("=Questions RH") < rows.index("Arrêtés introuvables")


def test_filtering_by_person(client_as, world, history):
    rows = _rows(client_as("admin").get(f"/journal?person={world.users['facilitator'].email}").get_data(as_text=True))
    assert "Arrêtés introuvables" in rows and "Questions RH" not in rows
    by_part = _rows(client_as("admin").get("/journal?person=FACILITATOR").get_data(as_text=True))
    assert "Arrêtés introuvables" in by_part and "Questions RH" not in by_part
    # « % » is looked for as such: it matches no one here.
    assert "Aucune entrée" in client_as("admin").get("/journal?person=%25").get_data(as_text=True)


def test_filtering_by_collectivity_keeps_its_rows_even_deleted_ones(client_as, world, db, history):
    comment_id = history
    page = client_as("admin").get(f"/journal?collectivity={world.own.id}").get_data(as_text=True)
    rows = _rows(page)
    assert "Arrêtés introuvables" in rows and "Questions RH" not in rows
    # The deleted comment's whole history stays under its collectivity: creation and deletion.
    own_entries = _entries(client_as, f"collectivity={world.own.id}")
    assert {("Commentaire", "créé", str(comment_id)), ("Commentaire", "supprimé", str(comment_id))} <= own_entries
    foreign_entries = _entries(client_as, f"collectivity={world.foreign.id}")
    assert not any(table == "Commentaire" for table, _action, _row in foreign_entries)
    assert ("Irritant", "modifié", str(world.foreign_irritant.id)) in foreign_entries
    assert ("Irritant", "modifié", str(world.own_irritant.id)) not in foreign_entries
    # The référent's account is the collectivity's too: its logins are found under it.
    referent = world.users["participant"]
    client_as("anonymous").post("/connexion", data={"email": referent.email, "password": factories.PASSWORD})
    assert ("Compte", "connexion", str(referent.id)) in _entries(client_as, f"collectivity={world.own.id}")
    assert ("Compte", "connexion", str(referent.id)) not in _entries(client_as, f"collectivity={world.foreign.id}")


def _entries(client_as, query: str) -> set[tuple[str, str, str]]:
    """(table, action, row) of every entry the CSV gives for these filters."""
    text = client_as("admin").get(f"/journal.csv?{query}").get_data(as_text=True).removeprefix("\ufeff")
    return {(row["Table"], row["Action"], row["Ligne"]) for row in csv.DictReader(io.StringIO(text), delimiter=";")}


def test_filtering_by_table(client_as, world, history):
    entries = _entries(client_as, "table=comment")
    assert entries and {table for table, _action, _row in entries} == {"Commentaire"}
    assert "Aucune entrée" not in client_as("admin").get("/journal?table=comment").get_data(as_text=True)


def test_filtering_by_dates(client_as, world, db, history):
    # The facilitator's entries moved to 3 June 2024 (French time: 23:30 UTC on the 2nd is already the 3rd).
    facilitator_id = world.users["facilitator"].id
    db.execute(sa.update(AuditEntry).where(AuditEntry.user_id == facilitator_id)
               .values(at=datetime(2024, 6, 2, 23, 30, tzinfo=timezone.utc)))
    db.commit()
    june_3 = _entries(client_as, "first_day=2024-06-03&last_day=2024-06-03")
    assert ("Irritant", "modifié", str(world.own_irritant.id)) in june_3
    assert ("Irritant", "modifié", str(world.foreign_irritant.id)) not in june_3
    assert _entries(client_as, "first_day=2024-06-04&last_day=2024-06-30") & june_3 == set()
    assert _entries(client_as, "last_day=2024-06-02") == set()
    page = client_as("admin").get("/journal?first_day=2024-06-03&last_day=2024-06-03").get_data(as_text=True)
    assert "Arrêtés introuvables" in _rows(page)


def test_the_csv_export_has_the_filtered_entries_in_words(client_as, world, history):
    response = client_as("admin").get(f"/journal.csv?person={world.users['admin'].email}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="journal.csv"' in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True).removeprefix("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert rows and {row["Adresse électronique"] for row in rows} == {world.users["admin"].email}
    renamed = next(row for row in rows if row["Table (nom technique)"] == "irritant")
    assert renamed["Action"] == "modifié" and renamed["Table"] == "Irritant"
    assert "title : Questions RH récurrentes → =Questions RH" in renamed["Modifications"]
    assert renamed["Date (UTC)"].startswith(str(datetime.now(timezone.utc).year))
    # The page's link carries the filters to the file.
    page = client_as("admin").get("/journal?table=comment").get_data(as_text=True)
    assert 'href="/journal.csv?table=comment"' in page


@pytest.mark.parametrize("query", ["first_day=abc", "first_day=9999-01-01", "collectivity=zzz", "collectivity=99999",
                                   "person=%00", "table=%00' OR 1=1", "page=%C2%B2", "person=" + "x" * 400,
                                   "last_day=2024-02-31"])
def test_odd_filters_are_ignored_never_a_server_error(client_as, world, history, query):
    assert client_as("admin").get(f"/journal?{query}").status_code == 200
    assert client_as("admin").get(f"/journal.csv?{query}").status_code == 200


def test_the_log_pages_newest_first(make_app, world, db, history):
    from tests.conftest import logged_in

    client = logged_in(make_app(PAGE_SIZE=2), world.users["admin"])
    first = client.get("/journal").get_data(as_text=True)
    assert "Page 1 sur" in first and 'rel="next"' in first
    total = db.exec(select(sa.func.count()).select_from(AuditEntry)).one()
    last = client.get(f"/journal?page={(total + 1) // 2}").get_data(as_text=True)
    assert 'rel="next"' not in last
