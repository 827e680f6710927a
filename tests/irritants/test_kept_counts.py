"""The irritant list's count and the team board's column counts are kept per worker while the programme's irritants
stand as counted (hub.core.revisions, migration 0021), and follow every write that changes them, whoever writes.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from irritants.models import Irritant
from participants.models import Enrolment
from tests import factories
from tests.sql_statements import statements_run


def _revision(connection, programme_id: int) -> int:
    return connection.execute(sa.text("SELECT irritants_revision FROM programme WHERE id = :id"),
                              {"id": programme_id}).scalar_one()


_COPIED = ", ".join(column.name for column in Irritant.__table__.columns if column.name != "id")
# Each write, as plain SQL on the test's connection, and whether it changes what the lists count.
WRITES = {
    "irritants added": (f"INSERT INTO irritant ({_COPIED}) SELECT {_COPIED} FROM irritant WHERE programme_id = :p",
                        True),
    "irritant removed": ("DELETE FROM irritant WHERE id = :loose", True),
    "status changed": ("UPDATE irritant SET status = 'qualified' WHERE id = :i", True),
    "theme changed": ("UPDATE irritant SET theme = 'rh' WHERE id = :i", True),
    "service changed": ("UPDATE irritant SET service = 'urbanisme' WHERE id = :i", True),
    "collectivity changed": ("UPDATE irritant SET collectivity_id = :c WHERE id = :i", True),
    # What the lists do not count by: the counter stays, and a national list is not counted again for an edit.
    "title changed": ("UPDATE irritant SET title = 'Autre titre' WHERE id = :i", False),
    "hours changed": ("UPDATE irritant SET minutes_per_occurrence = 45 WHERE id = :i", False),
}


@pytest.mark.parametrize("write", WRITES)
def test_the_database_moves_the_irritant_counter_of_each_counted_write_whoever_writes(connection, world, db, write):
    loose = factories.irritant(db, world.programme, world.own)  # nothing points to it: it may be deleted
    db.commit()
    statement, moves = WRITES[write]
    before = _revision(connection, world.programme.id)
    connection.execute(sa.text(statement), {"p": world.programme.id, "i": world.own_irritant.id,
                                            "c": world.foreign.id, "loose": loose.id})
    assert (_revision(connection, world.programme.id) > before) is moves


def test_an_irritant_moved_to_another_programme_moves_both_counters(connection, world, db):
    other = factories.programme(db)
    db.commit()
    before = (_revision(connection, world.programme.id), _revision(connection, other.id))
    connection.execute(sa.text("UPDATE irritant SET programme_id = :o WHERE id = :i"),
                       {"o": other.id, "i": world.own_irritant.id})
    after = (_revision(connection, world.programme.id), _revision(connection, other.id))
    assert after[0] > before[0] and after[1] > before[1]


def test_the_irritant_list_counts_again_after_another_writer_adds_or_moves_irritants(connection, client_as, world,
                                                                                      db):
    db.commit()
    client = client_as("facilitator")
    url = f"/irritants?programme={world.programme.slug}"
    identified = f"{url}&status=identified"
    assert "<p role=\"status\">2 irritants" in client.get(url).get_data(as_text=True)
    assert "<p role=\"status\">2 irritants" in client.get(identified).get_data(as_text=True)
    connection.execute(sa.text(WRITES["irritants added"][0]), {"p": world.programme.id})
    assert "<p role=\"status\">4 irritants" in client.get(url).get_data(as_text=True)
    connection.execute(sa.text("UPDATE irritant SET status = 'qualified' WHERE id = :i"),
                       {"i": world.own_irritant.id})
    assert "<p role=\"status\">3 irritants" in client.get(identified).get_data(as_text=True)


def _column_count(page: str, status: str) -> int:
    return int(re.search(rf'id="col-{status}">[^<]*<small>\((\d+)\)', page).group(1))


def test_the_team_board_counts_its_columns_again_after_another_writer_moves_an_irritant(connection, client_as,
                                                                                         world, db):
    db.commit()
    client = client_as("facilitator")
    board = f"/programmes/{world.programme.slug}/tableau"
    page = client.get(board).get_data(as_text=True)
    assert (_column_count(page, "identified"), _column_count(page, "qualified")) == (2, 0)
    connection.execute(sa.text("UPDATE irritant SET status = 'qualified' WHERE id = :i"),
                       {"i": world.own_irritant.id})
    page = client.get(board).get_data(as_text=True)
    assert (_column_count(page, "identified"), _column_count(page, "qualified")) == (1, 1)


def _irritant_counts(statements: list[str]) -> list[str]:
    # Not the account's count of unread notifications, read with it on every page.
    return [statement for statement in statements if "count(" in statement.lower() and "FROM irritant" in statement]


def test_an_unchanged_programme_s_list_and_board_are_not_counted_again(connection, client_as, world, db):
    db.commit()
    client = client_as("facilitator")
    pages = (f"/irritants?programme={world.programme.slug}", f"/programmes/{world.programme.slug}/tableau")
    for url in pages:
        with statements_run(connection) as first:
            client.get(url)
        with statements_run(connection) as second:
            client.get(url)
        counts = _irritant_counts(first)
        assert counts, url  # the first view counts
        assert not _irritant_counts(second), url


def _irritants_of_row(page: str, name: str) -> int:
    row = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*>{re.escape(name)}</a>(?:(?!</tr>).)*</tr>", page, re.S).group(0)
    return int(re.findall(r'<td class="number">([^<]*)</td>', row)[-1])


def test_a_programme_s_collectivity_list_counts_its_own_irritants_again_after_another_writer_adds_one(
        connection, client_as, world, db):
    other = factories.programme(db)
    db.add(Enrolment(programme_id=other.id, collectivity_id=world.own.id, applied_on=date(2024, 2, 1)))
    factories.irritant(db, other, world.own)  # the same collectivity's, in another programme: not this list's
    db.commit()
    client = client_as("facilitator")
    url = f"/collectivites?programme={world.programme.slug}"
    assert _irritants_of_row(client.get(url).get_data(as_text=True), world.own.name) == 1
    connection.execute(sa.text(f"INSERT INTO irritant ({_COPIED}) SELECT {_COPIED} FROM irritant WHERE id = :i"),
                       {"i": world.own_irritant.id})
    assert _irritants_of_row(client.get(url).get_data(as_text=True), world.own.name) == 2
    # The register of every collectivity counts them in every programme.
    assert _irritants_of_row(client.get("/collectivites").get_data(as_text=True), world.own.name) == 3
