"""Notifications: who is told of what, in the hub and by e-mail, never about another collectivity; following.

Each event notifies exactly its people: a référent's proposal the team (by e-mail within the request, their
default), a status change the collectivity's référents and the irritant's followers, a comment its followers, a
decision the référents and followers, a validation or a settled correction the collectivity's référents.
"""

from __future__ import annotations

from datetime import date

from flask import g
from sqlmodel import select

from hub.core import notifications
from hub.core.db import new_session
from hub.core.notifications import Follow, Notification
from hub.core.scoping import Scope
from irritants import decisions, service
from irritants.models import Irritant
from participants import surveys, usage
from tests import factories
from tests.conftest import logged_in
from tests.hub.notification_support import proposal_form, user_ids, who_was_told
from tests.sql_statements import statements_run


def test_a_referents_proposal_reaches_the_team_by_email_within_the_request(mail_app, world, db):
    from hub.core.mail import mail

    client = logged_in(mail_app, world.users["participant"])
    with mail.record_messages() as outbox:
        response = client.post("/irritants/nouveau", data=proposal_form(world))
    assert response.status_code == 302
    irritant = db.exec(select(Irritant).where(Irritant.title == "Ordres de mission")).one()
    assert set(who_was_told(db, target_id=irritant.id)) == user_ids(world, "admin", "facilitator")
    assert sorted(m.recipients[0] for m in outbox) == sorted(world.users[r].email for r in ("admin", "facilitator"))
    message = outbox[0]
    assert "Ordres de mission" in message.subject and "Chéroy" in message.body
    assert "http://localhost/notifications/" in message.body  # the link opens it in the hub
    # The proposer follows what becomes of it.
    assert notifications.is_following(db, user_id=world.users["participant"].id,
                                      target=service.notice_target(irritant))


def test_without_a_mail_server_a_proposal_is_told_in_the_hub_and_nothing_breaks(app, world, db):
    from hub.core.mail import mail

    with mail.record_messages() as outbox:
        response = logged_in(app, world.users["participant"]).post("/irritants/nouveau", data=proposal_form(world))
    assert response.status_code == 302
    assert outbox == []
    assert set(who_was_told(db, kind="proposal")) == user_ids(world, "admin", "facilitator")


def test_nothing_is_sent_for_a_change_that_is_rolled_back(mail_app, world, db):
    from hub.core.mail import mail

    with mail_app.test_request_context(), mail.record_messages() as outbox:
        session = new_session(scope=Scope.all())
        service.record_irritant(session, irritant=Irritant(programme_id=world.programme.id,
                                                           collectivity_id=world.own.id, title="Brouillon"),
                                by_user_id=world.users["participant"].id, proposed=True)
        session.rollback()
        session.commit()  # nothing left waiting from the change rolled back
        session.close()
    assert outbox == []


def test_a_status_change_tells_the_collectivitys_referents_and_followers_never_another_collectivity(
        client_as, world, db):
    other_referent = factories.user(db, "participant", world.own)
    factories.user(db, "participant", world.foreign)
    notifications.follow(db, user_id=world.users["admin"].id, target=service.notice_target(world.own_irritant))
    db.commit()
    response = client_as("facilitator").post(f"/irritants/{world.own_irritant.id}/statut", data={
        "to_status": "rejected", "note": "Hors du champ du programme", "version": world.own_irritant.version})
    assert response.status_code == 302
    told = who_was_told(db, kind="status")
    assert set(told) == user_ids(world, "participant", "admin") | {other_referent.id}
    assert world.users["foreign_participant"].id not in told
    assert world.users["facilitator"].id not in told  # the one who did it


def test_a_comment_tells_the_followers_except_its_author_and_its_author_follows(client_as, world, db):
    target = service.notice_target(world.own_irritant)
    for role in ("participant", "facilitator"):
        notifications.follow(db, user_id=world.users[role].id, target=target)
    db.commit()
    response = client_as("participant").post(f"/irritants/{world.own_irritant.id}/commentaires",
                                             data={"body": "Le service RH confirme."})
    assert response.status_code == 302
    assert who_was_told(db, kind="comment") == {world.users["facilitator"].id: "comment"}
    response = client_as("admin").post(f"/irritants/{world.own_irritant.id}/commentaires",
                                       data={"body": "Nous le qualifions jeudi."}, follow_redirects=True)
    assert "Vous suivez désormais cet irritant" in response.get_data(as_text=True)  # commenting follows: said so
    assert notifications.is_following(db, user_id=world.users["admin"].id, target=target)
    comments = db.exec(select(Notification).where(Notification.kind == "comment")).all()
    assert sorted(n.user_id for n in comments) == sorted(
        [world.users["facilitator"].id, world.users["participant"].id, world.users["facilitator"].id])


def test_a_decision_tells_each_irritants_referents_and_followers(world, db):
    notifications.follow(db, user_id=world.users["facilitator"].id,
                         target=service.notice_target(world.foreign_irritant))
    for irritant in (world.own_irritant, world.foreign_irritant):
        irritant.status = "qualified"
        db.add(irritant)
    db.flush()
    decisions.record_decision(db, programme_id=world.programme.id, kind="frugal_action", decided_on=date(2024, 11, 5),
                              rationale="Former les agents d'abord", owner="DGS",
                              irritants=[world.own_irritant, world.foreign_irritant], parameters_version=None,
                              by_user_id=world.users["admin"].id)
    own = who_was_told(db, kind="decision", target_id=world.own_irritant.id)
    foreign = who_was_told(db, kind="decision", target_id=world.foreign_irritant.id)
    assert set(own) == user_ids(world, "participant")
    assert set(foreign) == user_ids(world, "foreign_participant", "facilitator")


def test_a_follower_who_became_another_collectivitys_referent_hears_nothing_more(world, db):
    moved = factories.user(db, "participant", world.own)
    notifications.follow(db, user_id=moved.id, target=service.notice_target(world.own_irritant))
    moved.scope_collectivity_id = world.foreign.id
    db.add(moved)
    db.flush()
    service.add_comment(db, irritant=world.own_irritant, body="Nouveau", author_id=world.users["admin"].id)
    assert moved.id not in who_was_told(db, kind="comment")


def test_validations_and_settled_corrections_tell_the_collectivitys_referents(world, db):
    usage.validate_month(db, row=world.own_usage, by_user_id=world.users["facilitator"].id)
    assert who_was_told(db, target_type="usage_month") == {world.users["participant"].id: "validation"}
    world.foreign_result.validated = True
    world.foreign_result.correction = {"values": {"respondents": 20, "positive": 15}, "by_user_id": None, "at": ""}
    db.add(world.foreign_result)
    db.flush()
    surveys.settle_correction(db, result=world.foreign_result, accept=False, by_user_id=world.users["admin"].id)
    assert who_was_told(db, target_type="survey_result") == {world.users["foreign_participant"].id: "validation"}
    surveys.validate_result(db, result=world.own_result, by_user_id=world.users["admin"].id)
    usage.settle_correction(db, row=world.own_usage, accept=True, by_user_id=world.users["admin"].id)
    own = db.exec(select(Notification).where(Notification.user_id == world.users["participant"].id)
                  .order_by(Notification.id)).all()
    assert [(n.target_type, n.params["outcome"]) for n in own] == [
        ("usage_month", "validated"), ("survey_result", "validated"), ("usage_month", "accepted")]


def test_the_referent_reads_a_validation_in_their_language_with_the_month_named(client_as, world, db):
    usage.validate_month(db, row=world.own_usage, by_user_id=world.users["facilitator"].id)
    db.commit()
    client = client_as("participant")
    page = client.get("/notifications").get_data(as_text=True)
    assert "L&#39;équipe projet a validé l&#39;usage de l&#39;outil de octobre 2024" in page


def test_the_header_counts_unread_and_the_list_marks_them(client_as, world, db):
    client = client_as("participant")
    assert "non lue" not in client.get("/mon-tableau").get_data(as_text=True)
    for body in ("Un", "Deux", "Trois"):
        notifications.follow(db, user_id=world.users["participant"].id,
                             target=service.notice_target(world.own_irritant))
        service.add_comment(db, irritant=world.own_irritant, body=body, author_id=world.users["admin"].id)
    db.commit()
    assert notifications.unread_count(db, user_id=world.users["participant"].id) == 3
    page = client.get("/notifications").get_data(as_text=True)
    assert "3 notifications non lues." in page
    assert page.count("Non lue :") == 3
    assert page.index("Trois") < page.index("Deux") < page.index("Un")  # newest first


def _header_counter(app, user) -> str:
    """The header's counter as the logged-in person sees it (base.html includes this template)."""
    from flask import render_template
    from flask_login import login_user

    with app.test_request_context():
        login_user(user)
        return render_template("notifications/_header_counter.html")


def test_the_header_counter_shows_the_unread_count_in_words(app, world, db):
    referent = world.users["participant"]
    counter = _header_counter(app, referent)
    assert 'href="/notifications"' in counter and "non lue" not in counter
    notifications.follow(db, user_id=referent.id, target=service.notice_target(world.own_irritant))
    for body in ("Un", "Deux", "Trois"):
        service.add_comment(db, irritant=world.own_irritant, body=body, author_id=world.users["admin"].id)
    db.commit()
    assert "3 non lues" in _header_counter(app, referent)
    notifications.mark_read(db, user_id=referent.id)
    db.commit()
    assert "non lue" not in _header_counter(app, referent)
    assert _header_counter(app, world.users["steering"]).strip() == ""  # the committee receives none


def test_the_counter_is_one_count_query(app, world, connection):
    with statements_run(connection) as statements:
        _header_counter(app, world.users["facilitator"])
    counted = [statement for statement in statements if "notification" in statement.lower()]
    assert len(counted) == 1 and counted[0].lower().lstrip().startswith("select count(")


def test_opening_a_notification_marks_it_read_and_leads_to_its_object(client_as, world, db):
    notifications.follow(db, user_id=world.users["participant"].id, target=service.notice_target(world.own_irritant))
    service.add_comment(db, irritant=world.own_irritant, body="À lire", author_id=world.users["admin"].id)
    db.commit()
    notification = db.exec(select(Notification).where(Notification.user_id == world.users["participant"].id)).one()
    # Someone else's notification is not found, and stays unread.
    assert client_as("facilitator").get(f"/notifications/{notification.id}").status_code == 404
    response = client_as("participant").get(f"/notifications/{notification.id}")
    assert response.status_code == 302 and response.headers["Location"] == f"/irritants/{world.own_irritant.id}"
    db.refresh(notification)
    assert notification.read_at is not None
    assert notifications.unread_count(db, user_id=world.users["participant"].id) == 0


def test_mark_all_read(client_as, world, db):
    notifications.follow(db, user_id=world.users["participant"].id, target=service.notice_target(world.own_irritant))
    for body in ("Un", "Deux"):
        service.add_comment(db, irritant=world.own_irritant, body=body, author_id=world.users["admin"].id)
    service.add_comment(db, irritant=world.own_irritant, body="Trois", author_id=world.users["participant"].id)
    db.commit()
    client = client_as("participant")
    assert "Tout marquer comme lu" in client.get("/notifications").get_data(as_text=True)
    response = client.post("/notifications/tout-lu", follow_redirects=True)
    assert "Toutes vos notifications sont marquées comme lues." in response.get_data(as_text=True)
    assert notifications.unread_count(db, user_id=world.users["participant"].id) == 0
    # Only one's own: the admin's notification of the référent's comment is still unread.
    assert notifications.unread_count(db, user_id=world.users["admin"].id) == 1


def test_follow_and_unfollow_from_the_irritant_page(client_as, world, db):
    client = client_as("participant")
    page = client.get(f"/irritants/{world.own_irritant.id}").get_data(as_text=True)
    assert "Suivre cet irritant" in page
    response = client.post(f"/irritants/{world.own_irritant.id}/suivre")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/irritants/{world.own_irritant.id}#suivi")
    target = service.notice_target(world.own_irritant)
    assert notifications.is_following(db, user_id=world.users["participant"].id, target=target)
    assert client.post(f"/irritants/{world.own_irritant.id}/suivre").status_code == 302  # twice: still one follow
    assert len(db.exec(select(Follow).where(Follow.user_id == world.users["participant"].id)).all()) == 1
    assert "Ne plus suivre" in client.get(f"/irritants/{world.own_irritant.id}").get_data(as_text=True)
    assert client.post(f"/irritants/{world.own_irritant.id}/ne-plus-suivre").status_code == 302
    assert not notifications.is_following(db, user_id=world.users["participant"].id, target=target)


def test_a_referent_cannot_follow_another_collectivitys_irritant(client_as, world, db):
    response = client_as("participant").post(f"/irritants/{world.foreign_irritant.id}/suivre")
    assert response.status_code == 404
    assert db.exec(select(Follow)).all() == []


def test_a_following_referent_reads_the_irritants_story_with_who_and_why(client_as, world, db):
    facilitator = world.users["facilitator"]
    facilitator.full_name = "Camille Martin"
    db.add(facilitator)
    notifications.follow(db, user_id=world.users["participant"].id, target=service.notice_target(world.own_irritant))
    service.change_status(db, irritant=world.own_irritant, to_status="rejected",
                          expected_version=world.own_irritant.version, by_user_id=facilitator.id,
                          note="Déjà traité par le SIVU")
    service.add_comment(db, irritant=world.own_irritant, body="Dommage, nous y tenions.",
                        author_id=world.users["participant"].id)
    db.commit()
    page = client_as("participant").get(f"/irritants/{world.own_irritant.id}").get_data(as_text=True)
    story = page[page.index('id="suivi"'):]
    assert "Camille Martin" in story and "Identifié → Écarté" in story and "Déjà traité par le SIVU" in story
    assert "Dommage, nous y tenions." in story
    assert "Décision : Engager une action frugale" in story  # the world's decision on it
    # Someone who does not follow it is offered the button, not the story.
    other = client_as("facilitator").get(f"/irritants/{world.own_irritant.id}").get_data(as_text=True)
    assert "Suivre cet irritant" in other and "Son histoire" not in other


def test_the_steering_committee_is_offered_no_follow_button_and_no_counter(client_as, world):
    client = client_as("steering")
    page = client.get(f"/irritants/{world.own_irritant.id}")
    if page.status_code == 200:  # the committee reads irritants once no-dead-ends opens them
        assert "Suivre cet irritant" not in page.get_data(as_text=True)
    assert client.get("/notifications").status_code == 403


def test_notifications_are_not_in_the_audit_log_but_follows_and_preferences_are(world, db):
    from hub.core.models import AuditEntry

    notifications.follow(db, user_id=world.users["participant"].id, target=service.notice_target(world.own_irritant))
    notifications.set_preferences(db, user=world.users["participant"], choices={"status": "immediate"})
    service.add_comment(db, irritant=world.own_irritant, body="Vu", author_id=world.users["admin"].id)
    notifications.mark_read(db, user_id=world.users["participant"].id)
    db.flush()
    tables = set(db.exec(select(AuditEntry.table_name)).all())
    assert {"follow", "notification_preference", "comment"} <= tables
    assert "notification" not in tables


def test_validating_through_the_pages_tells_the_referents(client_as, world, db):
    assert client_as("facilitator").post(f"/usages/{world.own_usage.id}/validation").status_code == 302
    assert client_as("facilitator").post(f"/enquetes/resultats/{world.own_result.id}/validation").status_code == 302
    assert {(n.user_id, n.target_type) for n in db.exec(select(Notification))} == {
        (world.users["participant"].id, "usage_month"), (world.users["participant"].id, "survey_result")}


def test_a_page_reads_the_unread_count_with_the_account_and_counts_again_once_marked_read(connection, client_as,
                                                                                        world, db):
    referent = world.users["participant"]
    notifications.follow(db, user_id=referent.id, target=service.notice_target(world.own_irritant))
    for body in ("Un", "Deux"):
        service.add_comment(db, irritant=world.own_irritant, body=body, author_id=world.users["admin"].id)
    db.commit()
    client = client_as("participant")
    with statements_run(connection) as statements:
        assert "2 non lues" in client.get("/mon-tableau").get_data(as_text=True)
    reading = [s for s in statements if "notification" in s.lower()]
    assert len(reading) == 1 and "FROM user_account" in reading[0], reading  # one statement, with the account
    newest = db.exec(select(Notification.id).where(Notification.user_id == referent.id)
                     .order_by(Notification.id.desc())).first()
    assert client.get(f"/notifications/{newest}").status_code == 302  # opened: read now
    assert "1 non lue" in client.get("/mon-tableau").get_data(as_text=True)
    with client.application.test_request_context():
        setattr(g, notifications.UNREAD_KEPT, 1)
        notifications.mark_read(db, user_id=referent.id)
        assert notifications.UNREAD_KEPT not in g  # marking read within a request drops the count kept for it
