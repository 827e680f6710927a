"""« Mot de passe oublié » : a neutral answer, a link e-mailed to the owner only, valid one hour, used once."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from hub.core import invitations
from hub.core.auth import authenticate
from hub.core.models import Invitation, User, utcnow
from tests import factories
from tests.conftest import logged_in

RESET_LINK = re.compile(r"http://localhost(/mot-de-passe/[\w-]+)")
NEW_PASSWORD = "un nouveau mot de passe sûr"
NEUTRAL = "Si cette adresse est celle d&#39;un compte ouvert"


@pytest.fixture
def mail_app(make_app):
    """The app with a mail server (nothing leaves: Flask-Mail records the messages)."""
    return make_app(MAIL_SERVER="smtp.exemple.fr", MAIL_SUPPRESS_SEND=True)


def _ask(client, email: str) -> str:
    response = client.post("/mot-de-passe-oublie", data={"email": email}, follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _flash(page: str) -> str:
    return re.search(r'<p class="flash [^"]*"[^>]*>(.*?)</p>', page, re.DOTALL).group(1)


def _reset_link(mail_app, email: str) -> str:
    from hub.core.mail import mail

    with mail.record_messages() as outbox:
        _ask(mail_app.test_client(), email)
    assert len(outbox) == 1 and outbox[0].recipients == [email]
    return RESET_LINK.search(outbox[0].body).group(1)


def test_the_login_page_leads_to_the_forgotten_password_page(app):
    page = app.test_client().get("/connexion").get_data(as_text=True)
    assert 'href="/mot-de-passe-oublie"' in page and "Mot de passe oublié ?" in page


def test_the_answer_is_the_same_for_known_and_unknown_addresses(mail_app, world, db):
    from hub.core.mail import mail

    with mail.record_messages() as outbox:
        unknown = _flash(_ask(mail_app.test_client(), "personne@nulle-part.fr"))
        known = _flash(_ask(mail_app.test_client(), world.users["participant"].email.upper()))
    assert unknown == known and NEUTRAL in known
    assert [message.recipients for message in outbox] == [[world.users["participant"].email]]


def test_no_link_for_a_deactivated_or_never_opened_account(mail_app, client_as, world, db):
    from hub.core.mail import mail

    referent = world.users["participant"]
    referent.active = False
    db.add(referent)
    invited = factories.user(db, "steering")
    invitations.create_invitation(db, user=invited, by_user_id=None)  # invited, never opened
    db.commit()
    with mail.record_messages() as outbox:
        for email in (referent.email, invited.email):
            assert NEUTRAL in _flash(_ask(mail_app.test_client(), email))
    assert outbox == []
    assert db.exec(select(Invitation).where(Invitation.purpose == "reset")).all() == []


def test_without_a_mail_server_nothing_is_made_and_the_page_says_to_ask_the_admin(app, world, db):
    page = app.test_client().get("/mot-de-passe-oublie").get_data(as_text=True)
    assert "adressez-vous à l'administrateur de l'agence" in page
    for email in (world.users["participant"].email, "personne@nulle-part.fr"):
        assert "demandez un nouveau lien à l&#39;administrateur de l&#39;agence" in _ask(app.test_client(), email)
    assert db.exec(select(Invitation)).all() == []


def test_a_reset_link_sets_the_password_once_and_ends_every_other_session(mail_app, world, db):
    referent = world.users["participant"]
    device = logged_in(mail_app, referent)
    assert device.get("/mon-tableau").status_code == 200
    link = _reset_link(mail_app, referent.email)
    visitor = mail_app.test_client()
    assert visitor.get(link).status_code == 200
    mismatch = visitor.post(link, data={"password": NEW_PASSWORD, "confirm": "autre chose"})
    assert mismatch.status_code == 422 and "Les deux saisies diffèrent." in mismatch.get_data(as_text=True)
    done = visitor.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == "/connexion"
    assert device.get("/mon-tableau").status_code == 302  # the session opened before is over
    db.expire_all()
    assert authenticate(db, referent.email, NEW_PASSWORD) is not None
    assert authenticate(db, referent.email, factories.PASSWORD) is None
    used = visitor.post(link, data={"password": "x" * 20, "confirm": "x" * 20})
    assert used.status_code == 410 and "déjà servi" in used.get_data(as_text=True)
    assert db.exec(select(Invitation).where(Invitation.user_id == referent.id)).one().used_at is not None


def test_a_reset_link_expires_after_one_hour(mail_app, world, db):
    link = _reset_link(mail_app, world.users["facilitator"].email)
    reset = db.exec(select(Invitation).where(Invitation.purpose == "reset")).one()
    assert timedelta(minutes=59) < reset.expires_at - reset.created_at <= timedelta(hours=1)
    reset.expires_at = utcnow() - timedelta(seconds=1)
    db.add(reset)
    db.commit()
    response = mail_app.test_client().post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 410 and "valable une heure" in response.get_data(as_text=True)


def test_a_reset_link_is_no_invitation_and_an_invitation_no_reset_link(mail_app, world, db):
    reset_token = _reset_link(mail_app, world.users["facilitator"].email).rsplit("/", 1)[1]
    assert mail_app.test_client().get(f"/invitation/{reset_token}").status_code == 404
    invited = factories.user(db, "steering")
    invitation_token = invitations.create_invitation(db, user=invited, by_user_id=None)
    db.commit()
    assert mail_app.test_client().get(f"/mot-de-passe/{invitation_token}").status_code == 404


def test_asking_for_a_reset_never_makes_an_opened_account_look_invited(mail_app, app, client_as, world, db):
    # Were the reset link counted as an invitation, the team would be shown a new link for this account.
    referent = world.users["participant"]
    _reset_link(mail_app, referent.email)
    assert invitations.is_activated(db, referent)
    page = client_as("facilitator").post(f"/collectivites/{world.own.id}/referents/{referent.id}/lien",
                                         follow_redirects=True).get_data(as_text=True)
    assert re.search(r"/(invitation|mot-de-passe)/[\w-]+", page) is None


def test_the_admin_never_sees_a_reset_link_for_an_opened_account(mail_app, app, world, db):
    from hub.core.mail import mail

    referent = world.users["participant"]
    with mail.record_messages() as outbox:
        page = logged_in(mail_app, world.users["admin"]).post(f"/comptes/{referent.id}/lien",
                                                              follow_redirects=True).get_data(as_text=True)
    assert len(outbox) == 1 and outbox[0].recipients == [referent.email]
    link = RESET_LINK.search(outbox[0].body).group(1)
    assert link not in page and re.search(r"/(invitation|mot-de-passe)/[\w-]+", page) is None
    assert "il n&#39;est pas affiché ici" in page
    # Without a mail server, nothing is made at all.
    refused = logged_in(app, world.users["admin"]).post(f"/comptes/{world.users['steering'].id}/lien",
                                                        follow_redirects=True).get_data(as_text=True)
    assert "aucun serveur de courriel n&#39;est configuré" in refused
    assert re.search(r"/(invitation|mot-de-passe)/[\w-]+", refused) is None
    assert db.exec(select(Invitation).where(Invitation.user_id == world.users["steering"].id)).all() == []


def test_an_address_gets_at_most_three_links_an_hour(mail_app, world, db):
    from hub.core.mail import mail

    with mail.record_messages() as outbox:
        for _ in range(5):
            assert NEUTRAL in _flash(_ask(mail_app.test_client(), world.users["steering"].email))
    assert len(outbox) == 3


def test_the_form_is_rate_limited_per_address(make_app, world):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute")
    client = app.test_client()
    statuses = [client.post("/mot-de-passe-oublie", data={"email": "x@y.fr"}).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]


@pytest.mark.parametrize("typed", ["nul\x00@region.fr", "x" * 300 + "@region.fr", "pas une adresse", ""])
def test_odd_addresses_are_refused_on_the_field_and_kept(app, typed):
    response = app.test_client().post("/mot-de-passe-oublie", data={"email": typed})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in page
    if typed == "pas une adresse":
        assert 'value="pas une adresse"' in page


def test_a_steering_member_may_ask_too(mail_app, world):
    # The committee writes nothing in the programme; asking for one's own new password is not such a write.
    response = logged_in(mail_app, world.users["steering"]).post("/mot-de-passe-oublie",
                                                                  data={"email": world.users["steering"].email})
    assert response.status_code == 302


def test_the_reset_is_audited_under_its_owner(mail_app, world, db):
    from hub.core.models import AuditEntry

    referent = world.users["participant"]
    link = _reset_link(mail_app, referent.email)
    mail_app.test_client().post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    changed = db.exec(select(AuditEntry).where(AuditEntry.table_name == User.__tablename__,
                                               AuditEntry.row_id == referent.id,
                                               AuditEntry.action == "update")).all()
    assert changed and changed[-1].user_id == referent.id and changed[-1].changes["password_hash"][1] == "***"


def test_an_account_opened_with_a_password_and_later_mailed_an_invitation_gets_no_link_on_screen(app, world, db):
    # Created with a password (command line, demo), then mailed an invitation-purpose link from its collectivity's
    # page, unused: the owner logged in, so the account is open and its link is never the admin's to see.
    referent = world.users["participant"]
    invitations.create_invitation(db, user=referent, by_user_id=None)
    db.commit()
    response = app.test_client().post("/connexion", data={"email": referent.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    admin = logged_in(app, world.users["admin"])
    page = admin.post(f"/comptes/{referent.id}/lien", follow_redirects=True).get_data(as_text=True)
    assert re.search(r"/(invitation|mot-de-passe)/[\w-]+", page) is None
    assert "a déjà choisi son mot de passe" in page
    listed = admin.get("/comptes?state=invited").get_data(as_text=True).split("<tbody>", 1)[1]
    assert referent.email not in listed
