"""Planning workshops inside the programme's window, facilitators booked once a day, and the calendar."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from hub.core.models import Milestone
from workshops.models import Workshop, WorkshopFacilitator
from workshops.service import programme_end


def _window(db, world):
    db.add(Milestone(programme_id=world.programme.id, kind="workshops", label="Ateliers",
                     starts_on=date(2024, 5, 1), ends_on=date(2024, 7, 31)))
    db.commit()


def _plan(client, world, **values):
    data = {"collectivity_id": world.own.id, "held_on": "2024-06-04", "place": "Mairie",
            "services": "accueil, état civil", "themes": ["classement"],
            "facilitator_ids": [world.users["facilitator"].id]}
    data.update(values)
    return client.post(f"/programmes/{world.programme.slug}/ateliers/nouveau", data=data)


def test_the_team_plans_a_workshop_with_its_facilitators(client_as, world, db):
    _window(db, world)
    response = _plan(client_as("facilitator"), world)
    assert response.status_code == 302
    workshop = db.exec(select(Workshop).where(Workshop.held_on == date(2024, 6, 4))).one()
    assert (workshop.status, workshop.services, workshop.themes) == ("planned", ["accueil", "état civil"],
                                                                    ["classement"])
    booked = db.exec(select(WorkshopFacilitator.user_id).where(WorkshopFacilitator.workshop_id == workshop.id)).all()
    assert booked == [world.users["facilitator"].id]


def test_a_date_outside_the_workshops_window_is_flagged(client_as, world, db):
    _window(db, world)
    response = _plan(client_as("facilitator"), world, held_on="15/09/2024")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Date hors de la période des ateliers du programme (du 01/05/2024 au 31/07/2024)." in page
    assert 'value="15/09/2024"' in page


def test_without_a_window_the_programme_bounds_the_dates(client_as, world):
    # Launched 12 April 2024 for 12 months: 12 April 2025 is its last day.
    assert programme_end(world.programme) == date(2025, 4, 12)
    assert _plan(client_as("facilitator"), world, held_on="2025-04-13").status_code == 422
    assert _plan(client_as("facilitator"), world, held_on="2025-04-12").status_code == 302


def test_a_facilitator_booked_twice_on_one_day_is_flagged(client_as, world, db):
    _window(db, world)
    client = client_as("facilitator")
    assert _plan(client, world).status_code == 302
    response = _plan(client, world, collectivity_id=world.foreign.id)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Déjà en atelier ce jour-là" in page and "(Chéroy)" in page
    assert len(db.exec(select(Workshop).where(Workshop.held_on == date(2024, 6, 4))).all()) == 1


def test_replanning_keeps_the_collectivity_and_refuses_a_held_workshop(client_as, world, db):
    _window(db, world)
    client = client_as("facilitator")
    url = f"/ateliers/{world.own_workshop.id}/modifier"
    response = client.post(url, data={"collectivity_id": world.foreign.id, "held_on": "2024-07-02",
                                      "services": "RH", "place": "Salle du conseil"})
    assert response.status_code == 302
    db.expire_all()
    workshop = db.get(Workshop, world.own_workshop.id)
    assert (workshop.collectivity_id, workshop.held_on, workshop.place) == (world.own.id, date(2024, 7, 2),
                                                                           "Salle du conseil")
    workshop.status = "held"
    db.add(workshop)
    db.commit()
    assert client.get(url).status_code == 409


def test_the_calendar_shows_each_month_and_flags_double_bookings(client_as, world, db):
    facilitator = world.users["facilitator"].id
    for workshop in (world.own_workshop, world.foreign_workshop):  # both on 14 May 2024
        db.add(WorkshopFacilitator(workshop_id=workshop.id, collectivity_id=workshop.collectivity_id,
                                   user_id=facilitator))
    db.commit()
    page = client_as("admin").get(f"/programmes/{world.programme.slug}/calendrier").get_data(as_text=True)
    assert page.count('class="calendar-month"') == 13  # April 2024 to April 2025
    may = page.split('id="mois-2024-05-01"')[1].split('id="mois-2024-06-01"')[0]
    assert "mai 2024" in may
    assert "Chéroy" in may and "Lormes" in may
    assert may.count("déjà en atelier ce jour-là") == 2
