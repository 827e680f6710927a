"""Workshop list and page, closing, publishing, and who may read the compte-rendu."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests import factories
from tests.sql_statements import statements_run
from workshops.models import Workshop


def _set_status(db, workshop, status):
    workshop.status = status
    db.add(workshop)
    db.commit()


def test_a_referent_lists_only_their_workshops(client_as, world):
    page = client_as("participant").get("/ateliers").get_data(as_text=True)
    assert "1 atelier" in page and "Chéroy" in page and "Lormes" not in page


def test_the_team_lists_every_workshop(client_as, world):
    page = client_as("facilitator").get(f"/ateliers?programme={world.programme.slug}").get_data(as_text=True)
    assert "2 ateliers" in page
    assert f'href="/ateliers/{world.own_workshop.id}">{world.own.name}</a>' in page


def test_the_list_counts_workshops_without_reading_their_collectivities(connection, client_as, world, db):
    """The count reads the workshop table's index alone: the join it once carried scanned both national tables."""
    other = factories.collectivity(db, world.programme)
    factories.workshop(db, world.programme, other)
    db.commit()
    client = client_as("facilitator")
    with statements_run(connection) as statements:
        page = client.get(f"/ateliers?programme={world.programme.slug}").get_data(as_text=True)
    counts = [statement for statement in statements if "count(*)" in statement and "workshop" in statement]
    assert "3 ateliers" in page and other.name in page
    assert len(counts) == 1 and "collectivity" not in counts[0].lower(), counts


def test_a_referent_s_count_is_their_collectivity_s(client_as, world, db):
    factories.workshop(db, world.programme, world.own)
    db.commit()
    page = client_as("participant").get("/ateliers").get_data(as_text=True)
    assert "2 ateliers" in page and "Lormes" not in page


def test_the_team_sees_findings_before_publication(client_as, world):
    page = client_as("facilitator").get(f"/ateliers/{world.own_workshop.id}").get_data(as_text=True)
    assert "Retrouver un arrêté prend plus de 10 minutes." in page and "Validée" in page
    assert "Recherche d&#39;anciens arrêtés" in page


def test_a_referent_sees_findings_only_once_published(client_as, world, db):
    client = client_as("participant")
    draft = client.get(f"/ateliers/{world.own_workshop.id}").get_data(as_text=True)
    assert "Retrouver un arrêté" not in draft and "quand l'équipe projet publiera" in draft
    _set_status(db, world.own_workshop, "published")
    published = client.get(f"/ateliers/{world.own_workshop.id}").get_data(as_text=True)
    assert "Retrouver un arrêté prend plus de 10 minutes." in published


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
    _set_status(db, world.own_workshop, "held")
    response = client_as("facilitator").post(f"/ateliers/{world.own_workshop.id}/cloture",
                                             data={"agents_met": "5", "services": "accueil"})
    assert response.status_code == 422
    assert "Seul un atelier planifié peut être clôturé." in response.get_data(as_text=True)


def test_publishing_needs_a_held_workshop_context_and_next_steps(client_as, world, db):
    url = f"/ateliers/{world.own_workshop.id}/publication"
    client = client_as("facilitator")
    planned = client.post(url, data={"context": "Journée", "next_steps": "Qualifier"})
    assert planned.status_code == 422
    assert "Seul le compte-rendu d&#39;un atelier tenu peut être publié." in planned.get_data(as_text=True)
    _set_status(db, world.own_workshop, "held")
    empty = client.post(url, data={"context": "", "next_steps": ""})
    assert empty.status_code == 422 and "Indiquez les prochaines étapes." in empty.get_data(as_text=True)
    assert client.post(url, data={"context": "Journée à la mairie", "next_steps": "Qualifier"}).status_code == 302
    db.expire_all()
    workshop = db.get(Workshop, world.own_workshop.id)
    assert workshop.status == "published" and workshop.published_at is not None


def test_a_referent_never_reads_a_draft_report(client_as, world, db):
    client = client_as("participant")
    for suffix in ("compte-rendu", "compte-rendu.pdf"):
        assert client.get(f"/ateliers/{world.own_workshop.id}/{suffix}").status_code == 404
    team = client_as("facilitator").get(f"/ateliers/{world.own_workshop.id}/compte-rendu").get_data(as_text=True)
    assert "Brouillon" in team
    _set_status(db, world.own_workshop, "held")
    assert client.get(f"/ateliers/{world.own_workshop.id}/compte-rendu").status_code == 404
    _set_status(db, world.own_workshop, "published")
    page = client.get(f"/ateliers/{world.own_workshop.id}/compte-rendu").get_data(as_text=True)
    assert "Brouillon" not in page
    assert "Retrouver un arrêté prend plus de 10 minutes." in page
    assert "Recherche d&#39;anciens arrêtés" in page


def test_the_report_pdf_is_tagged_french_with_every_section(client_as, world, db):
    _set_status(db, world.own_workshop, "published")
    response = client_as("participant").get(f"/ateliers/{world.own_workshop.id}/compte-rendu.pdf")
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert reader.trailer["/Root"]["/Lang"] == "fr" and "/StructTreeRoot" in reader.trailer["/Root"]
    text = " ".join(page.extract_text() for page in reader.pages)
    for heading in ("Contexte", "Services rencontrés", "Hypothèses et résultats",
                    "Irritants relevés et première qualification", "Souhaits d'évolution", "Prochaines étapes"):
        assert heading in text, heading
