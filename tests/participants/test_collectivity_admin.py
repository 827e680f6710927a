"""A collectivity's record: corrected, two duplicates merged keeping every row, enrolled from its own page."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from hub.core.models import AuditEntry, User
from irritants.models import Comment, Irritant
from participants.models import Collectivity, Enrolment, EnrolmentEvent, UsageMonth
from tests import factories
from workshops.models import Workshop


def _edit_values(collectivity, **changes) -> dict:
    values = {"name": collectivity.name, "kind": collectivity.kind, "epci_subkind": collectivity.epci_subkind or "",
              "departement_code": collectivity.departement_code, "siren": collectivity.siren or "",
              "population": collectivity.population or "", "contact_name": "", "contact_email": ""}
    return {**values, **changes}


def test_the_team_corrects_a_record_and_the_change_is_audited(client_as, world, db):
    client = client_as("facilitator")
    page = client.get(f"/collectivites/{world.own.id}/modifier").get_data(as_text=True)
    assert f'value="{world.own.name}"' in page
    posted = client.post(f"/collectivites/{world.own.id}/modifier",
                         data=_edit_values(world.own, population="1760", siren="218901007",
                                           contact_name="Secrétariat de mairie"))
    assert posted.status_code == 302
    db.expire_all()
    corrected = db.get(Collectivity, world.own.id)
    assert (corrected.population, corrected.siren, corrected.contact_name) == (1760, "218901007",
                                                                              "Secrétariat de mairie")
    entry = db.exec(select(AuditEntry).where(AuditEntry.table_name == "collectivity", AuditEntry.action == "update",
                                             AuditEntry.row_id == world.own.id)).one()
    assert entry.user_id == world.users["facilitator"].id and entry.changes["siren"] == [None, "218901007"]


def test_a_correction_that_would_make_a_duplicate_is_refused_and_keeps_what_was_typed(client_as, world, db):
    world.foreign.siren = "215801457"
    db.add(world.foreign)
    db.flush()
    refused = client_as("facilitator").post(f"/collectivites/{world.own.id}/modifier",
                                            data=_edit_values(world.own, siren="215801457", contact_name="Accueil"))
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "Une autre fiche porte déjà ce SIREN" in page and 'value="Accueil"' in page
    db.expire_all()
    assert db.get(Collectivity, world.own.id).siren is None


def _duplicate_with_rows(db, world):
    """A second record of the world's own collectivity, in another programme, with rows of its own."""
    other = factories.programme(db)
    duplicate = factories.collectivity(db, other, name=world.own.name.upper(), departement_code="89",
                                       siren="218901007", contact_name="Mairie")
    workshop = factories.workshop(db, other, duplicate)
    irritant = factories.irritant(db, other, duplicate, workshop_id=workshop.id, title="Registre papier")
    db.add(Comment(irritant_id=irritant.id, collectivity_id=duplicate.id, body="Vu en atelier"))
    db.add(UsageMonth(programme_id=other.id, collectivity_id=duplicate.id, month=date(2025, 1, 1), active_users=2,
                      requests=30))
    referent = factories.user(db, "participant", duplicate)
    db.flush()
    return other, duplicate, irritant, referent


def test_merging_a_duplicate_moves_every_row_it_owns_and_removes_it(client_as, world, db):
    other, duplicate, irritant, referent = _duplicate_with_rows(db, world)
    duplicate_id = duplicate.id
    client = client_as("facilitator")
    page = client.get(f"/collectivites/{world.own.id}/fusionner").get_data(as_text=True)
    assert f'<option value="{duplicate.id}">' in page
    refused = client.post(f"/collectivites/{world.own.id}/fusionner", data={"duplicate_id": duplicate.id})
    assert refused.status_code == 422 and "Cochez la confirmation pour fusionner." in refused.get_data(as_text=True)
    merged = client.post(f"/collectivites/{world.own.id}/fusionner",
                         data={"duplicate_id": duplicate.id, "confirm": "y"})
    assert merged.status_code == 302
    db.expire_all()
    assert db.get(Collectivity, duplicate_id) is None
    kept = db.get(Collectivity, world.own.id)
    assert kept.siren == "218901007"  # filled from the duplicate, which had one
    assert db.get(Irritant, irritant.id).collectivity_id == kept.id
    assert {c.collectivity_id for c in db.exec(select(Comment).where(Comment.irritant_id == irritant.id))} == {kept.id}
    assert db.exec(select(Workshop.collectivity_id).where(Workshop.programme_id == other.id)).all() == [kept.id]
    assert db.exec(select(Enrolment.collectivity_id).where(Enrolment.programme_id == other.id)).all() == [kept.id]
    assert db.get(User, referent.id).scope_collectivity_id == kept.id
    moves = db.exec(select(AuditEntry).where(AuditEntry.table_name == "irritant", AuditEntry.row_id == irritant.id,
                                             AuditEntry.action == "update")).all()
    assert any(entry.changes.get("collectivity_id") == [duplicate_id, kept.id] for entry in moves)
    assert db.exec(select(AuditEntry).where(AuditEntry.table_name == "collectivity", AuditEntry.action == "delete",
                                            AuditEntry.row_id == duplicate_id)).one()


def test_a_merge_of_two_records_enrolled_in_the_same_programme_is_refused(client_as, world, db):
    duplicate = factories.collectivity(db, world.programme, name=world.own.name, departement_code="58")
    world.enrolment(db, world.own)
    refused = client_as("facilitator").post(f"/collectivites/{world.own.id}/fusionner",
                                            data={"duplicate_id": duplicate.id, "confirm": "y"})
    assert refused.status_code == 422
    assert "Les deux sont inscrites au même programme" in refused.get_data(as_text=True)
    db.expire_all()
    assert db.get(Collectivity, duplicate.id) is not None


def test_only_a_proposed_duplicate_can_be_merged(client_as, world, db):
    client = client_as("facilitator")
    for chosen in (world.foreign.id, world.own.id, 999999):
        refused = client.post(f"/collectivites/{world.own.id}/fusionner", data={"duplicate_id": chosen, "confirm": "y"})
        assert refused.status_code == 422, chosen
    db.expire_all()
    assert db.get(Collectivity, world.foreign.id) is not None


def test_the_team_enrols_a_collectivity_from_its_page(client_as, world, db):
    other = factories.programme(db, name="Programme suivant")
    client = client_as("facilitator")
    page = client.get(f"/collectivites/{world.own.id}").get_data(as_text=True)
    menu = page.split('name="programme_id"')[1].split("</select>")[0]
    assert "Programme suivant" in menu and world.programme.name not in menu  # already enrolled there
    refused = client.post(f"/collectivites/{world.own.id}/inscrire",
                          data={"programme_id": "", "motivation": "Motivation gardée", "applied_on": "2025-01-06"})
    assert refused.status_code == 422
    assert "Choisissez le programme." in refused.get_data(as_text=True)
    assert "Motivation gardée" in refused.get_data(as_text=True)
    done = client.post(f"/collectivites/{world.own.id}/inscrire",
                       data={"programme_id": other.id, "motivation": "Poursuivre", "applied_on": "06/01/2025"})
    assert done.status_code == 302
    enrolment = db.exec(select(Enrolment).where(Enrolment.programme_id == other.id,
                                                Enrolment.collectivity_id == world.own.id)).one()
    assert (enrolment.status, enrolment.applied_on) == ("candidacy", date(2025, 1, 6))
    event = db.exec(select(EnrolmentEvent).where(EnrolmentEvent.enrolment_id == enrolment.id)).one()
    assert event.by_user_id == world.users["facilitator"].id


def test_a_referent_reads_their_record_without_the_teams_actions(client_as, world):
    page = client_as("participant").get(f"/collectivites/{world.own.id}").get_data(as_text=True)
    assert "Modifier la fiche" not in page and "Fusionner un doublon" not in page
    assert "Inscrire à un programme" not in page
