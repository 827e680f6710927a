"""The team never sees a link that sets the password of an account its owner already opened."""

from __future__ import annotations

import re

from sqlmodel import select

from hub.core.models import Invitation, User
from tests import factories


def _new_link(client, world, user) -> str:
    return client.post(f"/collectivites/{world.own.id}/referents/{user.id}/lien",
                       follow_redirects=True).get_data(as_text=True)


def test_no_link_is_shown_for_a_referent_who_chose_their_password(client_as, world, db):
    referent = world.users["participant"]  # created with a password: their account is open
    page = _new_link(client_as("facilitator"), world, referent)
    assert re.search(r"/invitation/[\w-]+", page) is None
    assert "a déjà choisi son mot de passe" in page and "aucun serveur de courriel" in page
    assert db.exec(select(Invitation).where(Invitation.user_id == referent.id)).all() == []


def test_an_open_account_gets_its_new_link_by_email_only(make_app, world, db):
    from hub.core.mail import mail

    app = make_app(MAIL_SERVER="smtp.exemple.fr", MAIL_SUPPRESS_SEND=True)
    client = app.test_client()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"], flask_session["_epoch"] = str(world.users["facilitator"].id), 0
    referent = world.users["participant"]
    with mail.record_messages() as outbox:
        page = _new_link(client, world, referent)
    assert len(outbox) == 1 and outbox[0].recipients == [referent.email]
    link = re.search(r"http://localhost(/mot-de-passe/[\w-]+)", outbox[0].body).group(1)
    assert link not in page and re.search(r"/(invitation|mot-de-passe)/[\w-]+", page) is None
    assert "il n&#39;est pas affiché ici" in page
    # Asked again: the account is still one its owner opened, so again nothing is shown to the team.
    with mail.record_messages() as outbox:
        again = _new_link(client, world, referent)
    assert len(outbox) == 1 and re.search(r"/(invitation|mot-de-passe)/[\w-]+", again) is None
    # The owner's password still works until they use the link themselves.
    assert app.test_client().post("/connexion", data={"email": referent.email,
                                                      "password": factories.PASSWORD}).status_code == 302


def test_an_account_never_opened_still_gets_a_link_to_pass_on(client_as, world, db):
    client = client_as("facilitator")
    client.post(f"/collectivites/{world.own.id}/referents", data={"email": "pas-encore@cheroy.fr"})
    invited = db.exec(select(User).where(User.email == "pas-encore@cheroy.fr")).one()
    assert re.search(r"/invitation/[\w-]+", _new_link(client, world, invited))
