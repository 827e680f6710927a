"""Workshop list and page, and closing a workshop once held."""

from __future__ import annotations

from workshops.models import Workshop


def test_a_referent_lists_only_their_workshops(client_as, world):
    page = client_as("participant").get("/ateliers").get_data(as_text=True)
    assert "1 atelier" in page and "Chéroy" in page and "Lormes" not in page


def test_the_team_lists_every_workshop(client_as, world):
    page = client_as("facilitator").get(f"/ateliers?programme={world.programme.slug}").get_data(as_text=True)
    assert "2 ateliers" in page


def test_workshop_page_shows_hypotheses_and_irritants(client_as, world):
    page = client_as("participant").get(f"/ateliers/{world.own_workshop.id}").get_data(as_text=True)
    assert "Retrouver un arrêté prend plus de 10 minutes." in page and "Validée" in page
    assert "Recherche d&#39;anciens arrêtés" in page


def test_closing_requires_agents_met_and_services(client_as, world, db):
    url = f"/ateliers/{world.own_workshop.id}/cloture"
    response = client_as("facilitator").post(url, data={"agents_met": "", "services": "accueil, RH"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Indiquez le nombre d&#39;agents rencontrés" in page
    assert 'value="accueil, RH"' in page  # what was typed stays
    response = client_as("facilitator").post(url, data={"agents_met": "12", "services": "accueil, RH, accueil"})
    assert response.status_code == 302
    db.expire_all()
    workshop = db.get(Workshop, world.own_workshop.id)
    assert (workshop.status, workshop.agents_met, workshop.services) == ("held", 12, ["accueil", "RH"])


def test_a_held_workshop_cannot_be_closed_twice(client_as, world, db):
    world.own_workshop.status = "held"
    db.add(world.own_workshop)
    db.commit()
    response = client_as("facilitator").post(f"/ateliers/{world.own_workshop.id}/cloture",
                                             data={"agents_met": "5", "services": "accueil"})
    assert response.status_code == 422
    assert "Seul un atelier planifié peut être clôturé." in response.get_data(as_text=True)
