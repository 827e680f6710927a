"""Registering a collectivity by hand: the rules, the kept input, and duplicates refused with a link."""

from __future__ import annotations

from sqlmodel import select

from hub.core.models import AuditEntry
from participants.models import Collectivity
from tests import factories

SIREN = "213100548"


def _form(**values):
    data = {"name": "Commune de Test", "kind": "commune", "epci_subkind": "", "departement_code": "71",
            "siren": SIREN, "population": "1 234", "contact_name": "Secrétariat", "contact_email": "mairie@test.fr"}
    data.update(values)
    return data


def test_the_team_registers_a_collectivity_and_it_is_audited(client_as, world, db):
    response = client_as("facilitator").post("/collectivites/nouvelle", data=_form())
    assert response.status_code == 302
    created = db.exec(select(Collectivity).where(Collectivity.siren == SIREN)).one()
    assert (created.population, created.slug) == (1234, "commune-de-test")
    entry = db.exec(select(AuditEntry).where(AuditEntry.table_name == "collectivity",
                                             AuditEntry.row_id == created.id)).one()
    assert entry.action == "insert" and entry.user_id == world.users["facilitator"].id


def test_invalid_input_is_explained_in_french_and_kept(client_as, world):
    response = client_as("facilitator").post("/collectivites/nouvelle",
                                             data=_form(departement_code="20", siren="123456789", kind="epci"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Code de département inconnu" in page
    assert "clé de contrôle (Luhn)" in page
    assert "Précisez le type d&#39;EPCI" in page
    assert 'value="Commune de Test"' in page and 'value="123456789"' in page


def test_a_second_collectivity_with_the_same_siren_is_refused_with_a_link(client_as, world, db):
    existing = factories.collectivity(db, name="Mairie existante", siren=SIREN)
    db.commit()
    response = client_as("facilitator").post("/collectivites/nouvelle", data=_form())
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'href="/collectivites/{existing.id}"' in page
    assert db.exec(select(Collectivity).where(Collectivity.name == "Commune de Test")).first() is None


def test_the_same_name_in_the_same_departement_is_refused_whatever_the_case(client_as, world):
    response = client_as("facilitator").post("/collectivites/nouvelle",
                                             data=_form(name="chéroy", departement_code="89", siren=""))
    assert response.status_code == 422
    assert f'href="/collectivites/{world.own.id}"' in response.get_data(as_text=True)


def test_the_same_name_in_another_departement_is_another_collectivity(client_as, world, db):
    response = client_as("facilitator").post("/collectivites/nouvelle",
                                             data=_form(name="Chéroy", departement_code="21", siren=""))
    assert response.status_code == 302
    assert len(db.exec(select(Collectivity).where(Collectivity.name == "Chéroy")).all()) == 2


def test_list_filters_by_kind_departement_and_status(client_as, world, db):
    factories.collectivity(db, world.programme, name="Syndicat test", kind="syndicat_mixte", departement_code="58")
    db.commit()
    client = client_as("facilitator")
    base = f"/collectivites?programme={world.programme.slug}"
    page = client.get(f"{base}&kind=syndicat_mixte").get_data(as_text=True)
    assert "Syndicat test" in page and "Chéroy" not in page
    page = client.get(f"{base}&departement=89").get_data(as_text=True)
    assert "Chéroy" in page and "Lormes" not in page
    page = client.get(f"{base}&status=candidacy").get_data(as_text=True)
    assert "0 collectivité" in page
    page = client.get("/collectivites?departement=58").get_data(as_text=True)  # the whole register
    assert "Lormes" in page and "Syndicat test" in page
