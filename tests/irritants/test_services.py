"""A programme's controlled list of services: one service under one name, in forms, filters, and its own page."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from alembic import command
from sqlmodel import select

from hub.core.migrate import alembic_config
from hub.core.models import AuditEntry
from irritants.models import Irritant
from tests import factories
from workshops import service_list
from workshops.service_list import ProgrammeService
from workshops.service_names import duplicate_key, fold, likely_duplicates

JSON = {"Accept": "application/json"}


def _names(db, programme) -> list[str]:
    db.expire_all()
    return service_list.names(db, programme.id)


def _services_url(world, action: str = "") -> str:
    return f"/programmes/{world.programme.slug}/services{action}"


def _entry(db, world, name: str) -> ProgrammeService:
    return service_list.find(db, world.programme.id, name)


# --- comparing names --------------------------------------------------------------------------------------------

def test_case_accents_spaces_and_punctuation_fold_away():
    assert fold("Accueil") == fold("accueil") == fold("  ACCUEIL ") == "accueil"
    assert fold("État civil") == fold("etat-civil") == fold("ETAT  CIVIL") == "etat civil"
    assert fold("Accueil") != fold("Urbanisme")


def test_a_known_abbreviation_or_a_leading_service_word_makes_a_likely_duplicate():
    assert duplicate_key("RH") == duplicate_key("Ressources humaines") == duplicate_key("Service RH") \
        == duplicate_key("Direction des ressources humaines")
    assert duplicate_key("DSI") == duplicate_key("Systèmes d'information")
    assert duplicate_key("Etatcivil") == duplicate_key("état civil")
    assert duplicate_key("RH") != duplicate_key("Finances")
    # « Services » alone is a name, not a leading word to drop.
    assert duplicate_key("Services") == "services"
    groups = likely_duplicates([(1, "RH"), (2, "Accueil"), (3, "Ressources humaines"), (4, "Service accueil")])
    assert sorted(map(sorted, groups)) == [[1, 3], [2, 4]]


# --- the migration that built the list from free text ----------------------------------------------------------

def test_the_migration_folds_the_typed_services_into_one_entry_each(connection, db, world):
    """Back to 0016 inside the test's transaction, free-text services typed, then 0017 again."""
    spellings = {"Accueil": 2, "accueil": 3, " ACCUEIL": 1, "État civil": 1, "etat civil": 2, "RH": 1,
                 "Ressources humaines": 1, "": 1}
    for spelling, count in spellings.items():
        for _ in range(count):
            factories.irritant(db, world.programme, world.own, service=spelling)
    db.commit()
    config = alembic_config(str(connection.engine.url), connection=connection)
    command.downgrade(config, "0016")
    assert "programme_service" not in sa.inspect(connection).get_table_names()
    command.upgrade(config, "0017")
    rows = connection.execute(sa.text("SELECT name, folded FROM programme_service WHERE programme_id = :p "
                                      "ORDER BY folded"), {"p": world.programme.id}).all()
    # One entry per service once folded, the best written spelling kept; RH and its full name stay two (a person
    # merges them from the page, which suggests it).
    assert [tuple(row) for row in rows] == [("Accueil", "accueil"), ("État civil", "etat civil"),
                                            ("Ressources humaines", "ressources humaines"), ("RH", "rh")]
    carried = connection.execute(sa.text("SELECT service, COUNT(*) FROM irritant WHERE programme_id = :p "
                                         "GROUP BY service"), {"p": world.programme.id}).all()
    # The world's own irritants (« accueil ») join « Accueil » too.
    assert dict(carried) == {"Accueil": 8, "État civil": 3, "RH": 1, "Ressources humaines": 1, "": 1}
    command.upgrade(config, "head")  # the rest of the test's transaction sees the schema it started with


# --- the services page ------------------------------------------------------------------------------------------

def test_the_page_lists_each_service_with_its_irritants_and_suggests_likely_duplicates(client_as, world, db):
    service_list.add(db, programme_id=world.programme.id, name="Ressources humaines")
    factories.irritant(db, world.programme, world.own, service="RH")
    db.commit()
    page = client_as("facilitator").get(_services_url(world)).get_data(as_text=True)
    for name in factories.SERVICES:
        assert f"<td>{name}</td>" in page
    # The world's two irritants carry « accueil »; one more « RH ».
    assert re.search(r"<td>accueil</td>\s*<td class=\"number\"><a [^>]*>2</a>", page)
    assert "Doublons probables" in page
    assert "« RH » (1 irritant), « Ressources humaines » (0 irritant" in page
    assert "Fusionner sous « RH »" in page


@pytest.mark.parametrize("role", ["participant", "steering"])
def test_a_referent_and_the_committee_cannot_manage_the_list(client_as, world, db, role):
    client = client_as(role)
    assert client.get(_services_url(world)).status_code == 403
    assert client.post(_services_url(world), data={"name": "Police municipale"}).status_code == 403
    entry = _entry(db, world, "accueil")
    assert client.post(_services_url(world, "/renommer"),
                       data={"service_id": entry.id, "new_name": "Guichet"}).status_code == 403
    assert client.post(_services_url(world, "/fusionner"),
                       data={"services": [entry.id, _entry(db, world, "RH").id], "kept": entry.id}).status_code == 403
    assert _names(db, world.programme) == service_list.names(db, world.programme.id)
    assert "Police municipale" not in _names(db, world.programme) and "Guichet" not in _names(db, world.programme)


def test_the_team_adds_a_service_and_a_second_spelling_is_refused(client_as, world, db):
    client = client_as("admin")
    response = client.post(_services_url(world), data={"name": "  Police   municipale "})
    assert response.status_code == 302
    assert "Police municipale" in _names(db, world.programme)
    entry = _entry(db, world, "police municipale")
    assert db.exec(select(AuditEntry).where(AuditEntry.table_name == "programme_service",
                                            AuditEntry.row_id == entry.id, AuditEntry.action == "insert")).one() \
        .user_id == world.users["admin"].id
    again = client.post(_services_url(world), data={"name": "POLICE-MUNICIPALE"})
    page = again.get_data(as_text=True)
    assert again.status_code == 422
    assert "« Police municipale » est déjà dans la liste" in page
    assert 'value="POLICE-MUNICIPALE"' in page  # what was typed stays in the field
    assert _names(db, world.programme).count("Police municipale") == 1


def test_renaming_a_service_renames_every_irritant_that_carries_it(client_as, world, db):
    other = factories.irritant(db, world.programme, world.own, service="urbanisme")
    elsewhere = factories.programme(db)
    same_name_elsewhere = factories.irritant(db, elsewhere, factories.collectivity(db, elsewhere), service="accueil")
    db.commit()
    entry = _entry(db, world, "accueil")
    response = client_as("facilitator").post(_services_url(world, "/renommer"),
                                             data={"service_id": entry.id, "new_name": "Accueil"})
    assert response.status_code == 302
    db.expire_all()
    assert db.get(ProgrammeService, entry.id).name == "Accueil"
    assert {db.get(Irritant, i.id).service for i in (world.own_irritant, world.foreign_irritant)} == {"Accueil"}
    assert db.get(Irritant, other.id).service == "urbanisme"
    assert db.get(Irritant, same_name_elsewhere.id).service == "accueil"  # another programme, another list
    assert "accueil" in _names(db, elsewhere)
    moved = db.exec(select(AuditEntry).where(AuditEntry.table_name == "irritant", AuditEntry.action == "update",
                                             AuditEntry.row_id == world.own_irritant.id)).all()
    assert any(entry.changes.get("service") == ["accueil", "Accueil"] for entry in moved)


def test_renaming_into_another_service_of_the_list_is_refused_with_a_pointer_to_merge(client_as, world, db):
    entry = _entry(db, world, "accueil")
    response = client_as("facilitator").post(_services_url(world, "/renommer"),
                                             data={"service_id": entry.id, "new_name": "Etat-civil"})
    assert response.status_code == 422
    assert "« état civil » est déjà dans la liste : fusionnez les deux services" in response.get_data(as_text=True)
    assert db.get(Irritant, world.own_irritant.id).service == "accueil"


def test_merging_moves_every_irritant_to_the_kept_name_and_is_audited(client_as, world, db):
    service_list.add(db, programme_id=world.programme.id, name="Ressources humaines")
    carried = [factories.irritant(db, world.programme, owner, service=name)
               for owner, name in ((world.own, "RH"), (world.foreign, "RH"), (world.own, "Ressources humaines"))]
    db.commit()
    rh, full = _entry(db, world, "RH").id, _entry(db, world, "Ressources humaines").id
    client = client_as("facilitator")
    response = client.post(_services_url(world, "/fusionner"), data={"services": [rh, full], "kept": full})
    assert response.status_code == 302
    assert "Services fusionnés sous « Ressources humaines » : 2 irritants déplacés." in client.get(
        _services_url(world)).get_data(as_text=True)
    db.expire_all()
    assert {db.get(Irritant, row.id).service for row in carried} == {"Ressources humaines"}
    assert "RH" not in _names(db, world.programme) and "Ressources humaines" in _names(db, world.programme)
    for row in carried[:2]:
        changes = [e.changes for e in db.exec(select(AuditEntry).where(AuditEntry.table_name == "irritant",
                                                                       AuditEntry.row_id == row.id,
                                                                       AuditEntry.action == "update"))]
        assert {"service": ["RH", "Ressources humaines"]}.items() <= changes[-1].items()
    removed = db.exec(select(AuditEntry).where(AuditEntry.table_name == "programme_service",
                                               AuditEntry.row_id == rh, AuditEntry.action == "delete")).one()
    assert removed.user_id == world.users["facilitator"].id


def test_a_merge_needs_two_services_and_keeps_one_of_them(client_as, world, db):
    client = client_as("facilitator")
    accueil, rh, urbanisme = (_entry(db, world, name) for name in ("accueil", "RH", "urbanisme"))
    one = client.post(_services_url(world, "/fusionner"), data={"services": [accueil.id], "kept": accueil.id})
    assert one.status_code == 422 and "Cochez au moins deux services à fusionner." in one.get_data(as_text=True)
    outside = client.post(_services_url(world, "/fusionner"),
                          data={"services": [accueil.id, rh.id], "kept": urbanisme.id})
    assert outside.status_code == 422
    assert "Le service gardé doit être l&#39;un des services cochés." in outside.get_data(as_text=True)
    assert {"accueil", "RH", "urbanisme"} <= set(_names(db, world.programme))
    assert db.get(Irritant, world.own_irritant.id).service == "accueil"


def test_a_service_of_another_programme_cannot_be_renamed_or_merged_from_this_one(client_as, world, db):
    elsewhere = factories.programme(db)
    db.commit()
    foreign = service_list.find(db, elsewhere.id, "accueil")
    client = client_as("facilitator")
    renamed = client.post(_services_url(world, "/renommer"), data={"service_id": foreign.id, "new_name": "Guichet"})
    assert renamed.status_code == 422
    merged = client.post(_services_url(world, "/fusionner"),
                         data={"services": [foreign.id, _entry(db, world, "RH").id], "kept": foreign.id})
    assert merged.status_code == 422
    db.expire_all()
    assert db.get(ProgrammeService, foreign.id).name == "accueil"


# --- irritant forms choose from the list ------------------------------------------------------------------------

def _new_irritant(world, **overrides) -> dict:
    return {"collectivity_id": world.own.id, "kind": "irritant", "title": "Ordres de mission", "service": "RH",
            "theme": "rh", "occurrences_per_month": "40", "minutes_per_occurrence": "10", "agents_affected": "2",
            **overrides}


def test_the_new_irritant_form_offers_the_list_and_refuses_a_service_outside_it(client_as, world, db):
    client = client_as("facilitator")
    url = f"/irritants/nouveau?programme={world.programme.slug}"
    page = client.get(url).get_data(as_text=True)
    menu = re.search(r'<select[^>]*name="service".*?</select>', page, re.DOTALL).group(0)
    assert re.findall(r'<option value="([^"]*)"', menu) == ["", "accueil", "état civil", "RH", "urbanisme"]
    refused = client.post(url, data=_new_irritant(world, service="Comptabilité"))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "« Comptabilité » n&#39;est pas dans la liste des services du programme" in page
    assert 'value="Ordres de mission"' in page and '<option selected value="Comptabilité">' in page
    assert db.exec(select(Irritant).where(Irritant.title == "Ordres de mission")).first() is None


def test_an_empty_list_is_said_on_the_form(client_as, world, db):
    empty = factories.programme(db)
    for entry in service_list.entries(db, empty.id):
        db.delete(entry)
    db.commit()
    page = client_as("facilitator").get(f"/irritants/nouveau?programme={empty.slug}").get_data(as_text=True)
    assert "La liste des services du programme est vide" in page


def test_a_spelling_of_a_listed_service_is_saved_under_the_lists_name(client_as, world, db):
    response = client_as("facilitator").post(f"/irritants/nouveau?programme={world.programme.slug}",
                                             data=_new_irritant(world, service="rh"))
    assert response.status_code == 302
    assert db.exec(select(Irritant).where(Irritant.title == "Ordres de mission")).one().service == "RH"


def test_a_referent_proposes_with_a_service_of_the_list_only(client_as, world, db):
    client = client_as("participant")
    assert 'name="service"' in client.get("/irritants/nouveau").get_data(as_text=True)
    refused = client.post("/irritants/nouveau", data=_new_irritant(world, service="Mon service à moi"))
    assert refused.status_code == 422
    assert "n&#39;est pas dans la liste des services du programme" in refused.get_data(as_text=True)
    assert client.post("/irritants/nouveau", data=_new_irritant(world, service="urbanisme")).status_code == 302
    saved = db.exec(select(Irritant).where(Irritant.title == "Ordres de mission")).one()
    assert (saved.service, saved.status) == ("urbanisme", "proposed")
    assert "Mon service à moi" not in _names(db, world.programme)


def test_capture_offers_the_workshops_services_first_and_refuses_one_outside_the_list(client_as, world, db):
    client = client_as("facilitator")
    url = f"/ateliers/{world.own_workshop.id}/saisie"
    page = client.get(url).get_data(as_text=True)
    assert re.search(r'<optgroup label="Services visités pendant l&#39;atelier">\s*<option value="accueil">', page)
    refused = client.post(url, data=factories.capture_entry(service="Cantine"), headers=JSON)
    assert refused.status_code == 422
    assert "« Cantine » n'est pas dans la liste des services du programme" in refused.json["errors"]["service"][0]
    saved = client.post(url, data=factories.capture_entry(service="ACCUEIL"), headers=JSON)
    assert saved.status_code == 201 and saved.json["service"] == "accueil"


# --- filters --------------------------------------------------------------------------------------------------

def test_the_board_filter_offers_one_entry_per_service(client_as, world, db):
    factories.irritant(db, world.programme, world.own, title="Courrier RH", service="RH")
    db.commit()
    page = client_as("facilitator").get(f"/programmes/{world.programme.slug}/tableau?service=Accueil") \
        .get_data(as_text=True)
    menu = re.search(r'<select[^>]*name="service".*?</select>', page, re.DOTALL).group(0)
    assert re.findall(r'<option[^>]*value="([^"]*)"', menu) == ["", "accueil", "état civil", "RH", "urbanisme"]
    # An older link's spelling reads as the list's name, chosen in the menu.
    assert '<option selected value="accueil">' in menu
    assert "Recherche d&#39;anciens arrêtés" in page and "Courrier RH" not in page


# --- the demo -------------------------------------------------------------------------------------------------

def test_the_demo_list_holds_every_service_its_irritants_and_workshops_carry():
    from hub.app.demo import arnia

    used = {kind[2] for kind in arnia.IRRITANT_KINDS} | {name for row in arnia.COLLECTIVITIES for name in row[8]}
    assert used <= set(arnia.SERVICES)
    assert len({fold(name) for name in arnia.SERVICES}) == len(arnia.SERVICES)


# --- odd input ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("action, data", [
    ("", {"name": "\x00"}), ("", {"name": "x" * 81}), ("", {"name": "« — »"}),
    ("/renommer", {"service_id": "abc", "new_name": "Guichet"}),
    ("/renommer", {"service_id": "999999", "new_name": "x"}),
    ("/fusionner", {"services": ["abc", "1"], "kept": "x"}), ("/fusionner", {"services": ["999999"], "kept": "999999"}),
])
def test_odd_input_is_refused_with_a_message_never_a_crash(client_as, world, db, action, data):
    before = _names(db, world.programme)
    response = client_as("facilitator").post(_services_url(world, action), data=data)
    assert response.status_code == 422
    assert 'class="field-error"' in response.get_data(as_text=True)
    assert _names(db, world.programme) == before
