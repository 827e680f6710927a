"""The collectivity list's rows are rendered once per worker for what they show (participants.list_rows): never
stale, whether the collectivity, its enrolment or its irritants changed, and in the reader's language."""

from __future__ import annotations

from sqlmodel import select

from hub.core import fragments
from participants.models import Enrolment
from tests import factories
from tests.conftest import reading_in


def _rows(client, world) -> str:
    page = client.get(f"/collectivites?programme={world.programme.slug}").get_data(as_text=True)
    return page[page.index("<tbody>"):page.index("</tbody>")]


def _row_of(rows: str, name: str) -> str:
    return next(row for row in rows.split("<tr>") if f">{name}</a>" in row)


def test_a_kept_row_is_the_row_rendered_afresh(client_as, world, db):
    client = client_as("facilitator")
    first = _rows(client, world)
    assert "Chéroy" in first and "Lormes" in first
    kept = _rows(client, world)
    fragments.forget_all()
    assert kept == first == _rows(client, world)


def _irritants_cell(row: str) -> int:
    return int(row.split('<td class="number">')[-1].split("<")[0])


def test_a_row_shows_its_new_name_population_and_status_at_the_next_view(client_as, world, db):
    client = client_as("facilitator")
    assert "Chéroy-sur-Lunain" not in _rows(client, world)
    world.own.name, world.own.population = "Chéroy-sur-Lunain", 12_480
    enrolment = db.exec(select(Enrolment).where(Enrolment.collectivity_id == world.own.id)).one()
    enrolment.status = "completed"
    db.commit()
    row = _row_of(_rows(client, world), "Chéroy-sur-Lunain")
    assert "12\u202f480" in row and "Parcours terminé" in row


def test_a_row_counts_a_new_irritant_at_the_next_view(client_as, world, db):
    # Only the count moves: the collectivity itself is unchanged.
    client = client_as("facilitator")
    before = _irritants_cell(_row_of(_rows(client, world), "Chéroy"))
    factories.irritant(db, world.programme, world.own, title="Courriers en retard")
    db.commit()
    assert _irritants_cell(_row_of(_rows(client, world), "Chéroy")) == before + 1


def test_each_reader_gets_the_rows_in_their_language(client_as, world, db):
    french = client_as("facilitator")
    assert "Engagée" in _rows(french, world)
    rows = _rows(reading_in(client_as("facilitator"), "en"), world)
    assert "Municipality" in rows and "Enrolled" in rows and "Engagée" not in rows
    assert "Engagée" in _rows(french, world)
