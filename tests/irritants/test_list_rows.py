"""The irritant list's rows are rendered once per worker for what they show (irritants.list_rows): never stale,
and in the reader's language."""

from __future__ import annotations

from sqlmodel import select

from hub.core import fragments
from hub.core.models import ProgrammeTheme
from irritants.models import Irritant
from tests import factories
from tests.conftest import reading_in


def _rows(client, world) -> str:
    page = client.get(f"/irritants?programme={world.programme.slug}").get_data(as_text=True)
    return page[page.index("<tbody>"):page.index("</tbody>")]


def test_a_kept_row_is_the_row_rendered_afresh(client_as, world, db):
    client = client_as("facilitator")
    first = _rows(client, world)
    assert world.own_irritant.title.replace("'", "&#39;") in first and "Chéroy" in first
    kept = _rows(client, world)
    fragments.forget_all()
    assert kept == first == _rows(client, world)


def test_a_row_shows_its_irritant_s_new_figures_and_status_at_the_next_view(client_as, world, db):
    # The title stays: only what the row formats moves.
    client = client_as("facilitator")
    title = world.own_irritant.title.replace("'", "&#39;")
    assert "Qualifié" not in _rows(client, world)
    irritant = db.exec(select(Irritant).where(Irritant.id == world.own_irritant.id)).one()
    irritant.hours_per_year, irritant.status, irritant.priority_value = 1321.4, "qualified", 12_500
    db.commit()
    row = next(r for r in _rows(client, world).split("<tr>") if title in r)
    assert "1\u202f321" in row and "Qualifié" in row and "12\u202f500" in row


def test_a_row_shows_its_collectivity_s_new_name_and_its_theme_s_new_label(client_as, world, db):
    client = client_as("facilitator")
    assert "Classement documentaire et trouvabilité" in _rows(client, world)
    world.own.name = "Chéroy-sur-Lunain"
    theme = db.exec(select(ProgrammeTheme).where(ProgrammeTheme.programme_id == world.programme.id,
                                                 ProgrammeTheme.code == "classement")).one()
    theme.label = "Archives et classement"
    db.commit()
    rows = _rows(client, world)
    assert "Chéroy-sur-Lunain" in rows and "Archives et classement" in rows
    assert "Classement documentaire et trouvabilité" not in rows


def test_each_reader_gets_the_rows_in_their_language(client_as, world, db):
    factories.irritant(db, world.programme, world.own, title="Courriers en retard")
    db.commit()
    french = client_as("facilitator")
    assert "Identifié" in _rows(french, world)
    rows = _rows(reading_in(client_as("facilitator"), "en"), world)
    assert "Identified" in rows and "Identifié" not in rows
    assert "Identifié" in _rows(french, world)
