"""No dead ends on the irritants' side: the committee reads an irritant, nobody is shown a form they cannot submit,
set-aside irritants stay on the board with why, and a référent's proposal says who reviews it and by when."""

from __future__ import annotations

from datetime import date, timedelta

from flask_login import login_user
from sqlmodel import select

from hub.core.auth import may_use
from irritants import service
from irritants.models import Irritant
from tests import factories
from tests.sql_statements import statements_run
from workshops.models import WorkshopFacilitator


def test_the_committee_reads_an_irritant_without_the_team_forms(client_as, world):
    response = client_as("steering").get(f"/irritants/{world.own_irritant.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "anciens arrêtés" in html and "Historique" in html
    for action in ("/qualification", "/options", "/statut", "/decisions", "/commentaires"):
        assert f'action="/irritants/{world.own_irritant.id}{action}' not in html, action
    # Nor a link to the collectivity's board, which is not the committee's.
    assert f"/collectivites/{world.own.id}/tableau" not in html


def test_the_decision_log_links_the_committee_to_each_irritant(client_as, world):
    html = client_as("steering").get(f"/programmes/{world.programme.slug}/decisions").get_data(as_text=True)
    assert f'href="/irritants/{world.own_irritant.id}"' in html


def test_the_committee_is_not_shown_the_usage_and_survey_forms(client_as, world):
    for role, shown in (("steering", False), ("facilitator", True)):
        client = client_as(role)
        usage = client.get(f"/programmes/{world.programme.slug}/usages").get_data(as_text=True)
        surveys = client.get(f"/programmes/{world.programme.slug}/enquetes").get_data(as_text=True)
        assert ("Déclarer un mois d&#39;usage" in usage or "Déclarer un mois d'usage" in usage) is shown, role
        assert (f"/enquetes/{world.wave.id}/resultats" in surveys) is shown, role


def test_may_use_follows_the_roles_and_the_read_only_rule(app, world):
    expected = {"steering": (True, False, False, True), "facilitator": (True, True, True, True),
                "participant": (True, True, False, True)}
    for role, answers in expected.items():
        with app.test_request_context():
            login_user(world.users[role])
            assert (may_use("usage.usage_page"), may_use("usage.record_month", "POST"),
                    may_use("irritants.irritant_list"), may_use("hub.logout", "POST")) == answers, role


def test_set_aside_irritants_stay_on_the_board_with_why(client_as, world, db):
    rejected = factories.irritant(db, world.programme, world.own, title="Doublon du courrier")
    service.change_status(db, irritant=rejected, to_status="rejected", expected_version=rejected.version,
                          by_user_id=world.users["facilitator"].id, note="Déjà traité par le courrier entrant.")
    db.commit()
    html = client_as("participant").get("/mon-tableau").get_data(as_text=True)
    aside = html.split('id="col-set-aside"')[1]
    assert "Écartés ou abandonnés" in html.split('id="col-set-aside"')[1][:80]
    assert "Doublon du courrier" in aside and "Déjà traité par le courrier entrant." in aside
    assert "<details>" in html.split('id="col-set-aside"')[0][-200:]  # collapsed until opened


def test_a_set_aside_irritant_reads_the_note_of_its_last_step_there_in_the_same_statement(connection, client_as,
                                                                                          world, db):
    abandoned = factories.irritant(db, world.programme, world.own, title="Relances des factures")
    steps = (("rejected", "Hors du périmètre."), ("identified", "Revu en atelier."),
             ("rejected", "Le nouveau logiciel de facturation le règle."))
    for to_status, note in steps:
        service.change_status(db, irritant=abandoned, to_status=to_status, expected_version=abandoned.version,
                              by_user_id=world.users["facilitator"].id, note=note)
    db.commit()
    with statements_run(connection) as statements:
        aside = client_as("participant").get("/mon-tableau").get_data(as_text=True).split('id="col-set-aside"')[1]
    assert "Le nouveau logiciel de facturation le règle." in aside and "Hors du périmètre." not in aside
    # The notes come inside the set-aside cards' statement, not from a read of the steps of their own.
    assert not [s for s in statements if s.lstrip().startswith("SELECT irritant_event.")], statements


def test_no_set_aside_column_without_any(client_as, world):
    assert 'id="col-set-aside"' not in client_as("participant").get("/mon-tableau").get_data(as_text=True)


def test_after_a_proposal_the_referent_reads_who_reviews_it_and_by_when(client_as, world, db):
    facilitator = world.users["facilitator"]
    facilitator.full_name = "Camille Martin"
    db.add(WorkshopFacilitator(workshop_id=world.own_workshop.id, user_id=facilitator.id,
                               collectivity_id=world.own.id))
    db.commit()
    data = {"collectivity_id": world.own.id, "kind": "irritant", "title": "Ordres de mission",
            "description": "Questions répétées", "service": "accueil", "theme": "rh", "occurrences_per_month": "40",
            "minutes_per_occurrence": "10", "agents_affected": "2"}
    response = client_as("participant").post("/irritants/nouveau", data=data, follow_redirects=True)
    html = response.get_data(as_text=True)
    irritant = db.exec(select(Irritant).where(Irritant.title == "Ordres de mission")).one()
    assert irritant.status == "proposed"
    assert "Proposition envoyée à l&#39;équipe projet." in html or "Proposition envoyée à l'équipe projet." in html
    assert "Et maintenant ?" in html and "Camille Martin" in html
    due = irritant.created_at.date() + timedelta(days=10)
    assert f"{due.day} " in html and str(due.year) in html
    assert "niveau de preuve 0" not in html  # the method's reasons are the team's, not a référent's news
    # Once reviewed, the page no longer speaks of a proposal.
    service.change_status(db, irritant=irritant, to_status="identified", expected_version=irritant.version,
                          by_user_id=facilitator.id)
    db.commit()
    assert "Et maintenant ?" not in client_as("participant").get(f"/irritants/{irritant.id}").get_data(as_text=True)


def test_without_facilitators_booked_the_programme_team_reviews(db, world):
    from irritants.review import review_plan

    proposal = factories.irritant(db, world.programme, world.own, status="proposed")
    plan = review_plan(db, proposal)
    assert world.users["facilitator"].display_name in plan.reviewers
    assert world.users["admin"].display_name not in plan.reviewers
    assert plan.by == proposal.created_at.date() + timedelta(days=10)
    assert plan.next_workshop is None or plan.next_workshop >= date.today()


def test_a_proposal_past_its_promised_day_says_so(client_as, world, db):
    proposal = factories.irritant(db, world.programme, world.own, status="proposed", title="Vieille proposition")
    proposal.created_at = proposal.created_at - timedelta(days=30)
    db.add(proposal)
    db.commit()
    html = client_as("participant").get(f"/irritants/{proposal.id}").get_data(as_text=True)
    assert "Et maintenant ?" in html and "est dépassé" in html
