"""Notifications as each person chooses them: in the hub, by e-mail at once or in the daily digest, and the defaults."""

from __future__ import annotations

from sqlmodel import select

from hub.core import notifications
from hub.core.models import User
from hub.core.notifications import Notification, NotificationPreference
from irritants import service
from participants import usage
from tests.conftest import logged_in
from tests.hub.notification_support import proposal_form, user_ids, who_was_told


def test_preferences_change_what_is_sent(mail_app, world, db):
    from hub.core.mail import mail

    facilitator = world.users["facilitator"]
    client = logged_in(mail_app, facilitator)
    page = client.get("/notifications/preferences").get_data(as_text=True)
    assert "irritants des collectivités" in page and "Par défaut : Par courriel, aussitôt." in page
    assert '<option selected value="immediate">' in page
    response = client.post("/notifications/preferences", data={"proposal": "app", "status": "digest",
                                                                "comment": "immediate", "decision": "digest"})
    assert response.status_code == 302
    assert db.exec(select(NotificationPreference.delivery).where(
        NotificationPreference.user_id == facilitator.id, NotificationPreference.kind == "proposal")).one() == "app"
    with mail.record_messages() as outbox:
        logged_in(mail_app, world.users["participant"]).post("/irritants/nouveau", data=proposal_form(world))
    # The admin kept the default (at once); the facilitator chose the hub only: told there, not e-mailed.
    assert [m.recipients for m in outbox] == [[world.users["admin"].email]]
    assert set(who_was_told(db, kind="proposal")) == user_ids(world, "admin", "facilitator")


def test_a_choice_outside_the_list_is_refused_and_nothing_is_kept(client_as, world, db):
    response = client_as("participant").post("/notifications/preferences", data={
        "status": "pigeon", "comment": "app", "decision": "app", "validation": "app"})
    assert response.status_code == 422
    assert db.exec(select(NotificationPreference)).all() == []


def test_the_digest_sends_each_person_their_unread_notifications_once_in_their_language(mail_app, world, db):
    from hub.core.mail import mail

    referent = world.users["participant"]
    referent.language = "en"
    db.add(referent)
    notifications.follow(db, user_id=referent.id, target=service.notice_target(world.own_irritant))
    service.add_comment(db, irritant=world.own_irritant, body="Premier", author_id=world.users["admin"].id)
    service.add_comment(db, irritant=world.own_irritant, body="Second", author_id=world.users["admin"].id)
    for month in (world.own_usage, world.foreign_usage):
        usage.validate_month(db, row=month, by_user_id=world.users["admin"].id)
    db.commit()
    runner = mail_app.test_cli_runner()
    with mail.record_messages() as outbox:
        result = runner.invoke(args=["notifications", "digest", "--base-url", "https://hub.exemple.fr"])
    assert result.exit_code == 0, result.output
    by_person = {m.recipients[0]: m for m in outbox}
    assert set(by_person) == {referent.email, world.users["foreign_participant"].email}
    digest = by_person[referent.email]
    assert "Premier" in digest.body and "Second" in digest.body
    assert digest.body.count("https://hub.exemple.fr/notifications/") == 3 and "3" in digest.subject
    # Each in their language: the month the team validated is named in English for one, in French for the other.
    assert "October 2024" in digest.body
    assert "octobre 2024" in by_person[world.users["foreign_participant"].email].body
    with mail.record_messages() as again:
        assert runner.invoke(args=["notifications", "digest"]).exit_code == 0
    assert again == []  # idempotent: nothing new, nothing sent
    assert db.exec(select(Notification).where(Notification.emailed_at.is_(None))).all() == []


def test_the_digest_leaves_out_what_was_read_or_chosen_otherwise(mail_app, world, db):
    from hub.core.mail import mail

    referent = world.users["participant"]
    notifications.set_preferences(db, user=referent, choices={"comment": "app"})
    notifications.follow(db, user_id=referent.id, target=service.notice_target(world.own_irritant))
    service.add_comment(db, irritant=world.own_irritant, body="Dans le hub seulement",
                        author_id=world.users["admin"].id)
    usage.validate_month(db, row=world.own_usage, by_user_id=world.users["admin"].id)
    notifications.mark_read(db, user_id=referent.id)
    db.commit()
    with mail.record_messages() as outbox:
        assert mail_app.test_cli_runner().invoke(args=["notifications", "digest"]).exit_code == 0
    assert outbox == []


def test_the_digest_without_a_mail_server_sends_nothing_and_keeps_them_for_later(app, world, db):
    usage.validate_month(db, row=world.own_usage, by_user_id=world.users["admin"].id)
    db.commit()
    result = app.test_cli_runner().invoke(args=["notifications", "digest"])
    assert result.exit_code == 0 and "rien n'a été envoyé" in result.output
    assert db.exec(select(Notification).where(Notification.emailed_at.is_not(None))).all() == []


def test_defaults_team_hears_proposals_at_once_everyone_else_daily(world, db):
    assert notifications.preferences(db, world.users["admin"]) == {
        "proposal": "immediate", "status": "digest", "comment": "digest", "decision": "digest"}
    assert notifications.preferences(db, world.users["participant"]) == {
        "status": "digest", "comment": "digest", "decision": "digest", "validation": "digest"}
    assert notifications.preferences(db, world.users["steering"]) == {}
    assert db.exec(select(User).where(User.id == world.users["admin"].id)).one().role == "admin"
