"""On a workshop day the team's home opens on it: « Atelier du jour », one tap from its capture and its hypotheses."""

from __future__ import annotations

import html
from datetime import date, timedelta

from hub.core.models import utcnow
from tests import factories
from workshops.models import WorkshopFacilitator


def _home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def _today_section(page: str) -> str:
    start = page.index('id="atelier-du-jour"')
    return page[start:page.index("</section>", start)]


def test_todays_workshop_comes_first_one_tap_from_capture_and_hypotheses(client_as, world, db):
    workshop = factories.workshop(db, world.programme, world.foreign, held_on=date.today(), place="Salle des fêtes")
    db.commit()
    page = _home(client_as("facilitator"))
    assert "Atelier du jour" in page
    # Before every block of « Ce qui vous attend », the workshops' own included.
    assert page.index('id="atelier-du-jour"') < page.index('class="grid-2"') < page.index('id="bloc-ateliers"')
    section = _today_section(page)
    assert "Lormes" in section and "Salle des fêtes" in section
    assert f'href="/ateliers/{workshop.id}/saisie"' in section and "Saisie sur site" in section
    assert f'href="/ateliers/{workshop.id}/hypotheses-du-jour"' in section and "Hypothèses du jour" in section


def test_no_workshop_today_adds_nothing(client_as, world, db):
    tomorrow = factories.workshop(db, world.programme, world.own, held_on=date.today() + timedelta(days=1))
    factories.workshop(db, world.programme, world.own, held_on=date.today(), status="held")  # already closed
    archived = factories.programme(db, archived_at=utcnow())
    factories.workshop(db, archived, factories.collectivity(db, archived), held_on=date.today())
    db.commit()
    page = _home(client_as("admin"))
    assert 'id="atelier-du-jour"' not in page and "Atelier du jour" not in page
    assert f'href="/ateliers/{tomorrow.id}/saisie"' in page  # the workshops' block stays as it was


def test_several_workshops_today_the_users_own_first(client_as, world, db):
    others = factories.workshop(db, world.programme, world.own, held_on=date.today(), place="Mairie de Chéroy")
    theirs = factories.workshop(db, world.programme, world.foreign, held_on=date.today(), place="Mairie de Lormes")
    db.add(WorkshopFacilitator(workshop_id=theirs.id, collectivity_id=world.foreign.id,
                               user_id=world.users["facilitator"].id))
    db.commit()
    section = _today_section(_home(client_as("facilitator")))
    assert "Ateliers du jour" in section
    assert section.index("Mairie de Lormes") < section.index("Mairie de Chéroy")  # Chéroy would come first by name
    assert section.count("Vous animez cet atelier") == 1
    assert section.index("Vous animez cet atelier") < section.index("Mairie de Chéroy")
    for workshop in (others, theirs):
        assert f'href="/ateliers/{workshop.id}/hypotheses-du-jour"' in section
    # Someone else's home: by collectivity name, none of them theirs.
    section = _today_section(_home(client_as("admin")))
    assert section.index("Mairie de Chéroy") < section.index("Mairie de Lormes")
    assert "Vous animez cet atelier" not in section


def test_the_referent_and_the_committee_have_no_workshop_of_the_day_card(client_as, world, db):
    factories.workshop(db, world.programme, world.own, held_on=date.today())
    db.commit()
    for role in ("participant", "steering"):
        assert 'id="atelier-du-jour"' not in _home(client_as(role))
