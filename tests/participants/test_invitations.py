"""Référent accounts: an invitation link valid 7 days, used once, tied to one collectivity."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import select

from hub.core.auth import authenticate
from hub.core.models import Invitation, User, utcnow

NEW_PASSWORD = "un mot de passe très long"


def _invite(client, world, email="nouveau@cheroy.fr"):
    response = client.post(f"/collectivites/{world.own.id}/referents",
                           data={"email": email, "full_name": "Secrétaire de mairie"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    match = re.search(r"(http://localhost/invitation/[\w-]+)", page)
    return response, page, match.group(1).replace("http://localhost", "") if match else None


def test_inviting_creates_an_account_tied_to_the_collectivity_and_shows_the_link(client_as, world, db):
    response, page, link = _invite(client_as("facilitator"), world)
    assert response.status_code == 200 and link
    assert "valable 7 jours, utilisable une fois" in page
    user = db.exec(select(User).where(User.email == "nouveau@cheroy.fr")).one()
    assert (user.role, user.scope_collectivity_id) == ("participant", world.own.id)
    assert "invitation en attente" in page
    assert link.rsplit("/", 1)[1] not in {i.token_hash for i in db.exec(select(Invitation))}  # only its hash is kept


def test_the_link_sets_the_password_once(app, client_as, world, db):
    _response, _page, link = _invite(client_as("facilitator"), world)
    visitor = app.test_client()
    assert visitor.get(link).status_code == 200
    mismatch = visitor.post(link, data={"password": NEW_PASSWORD, "confirm": "autre chose"})
    assert mismatch.status_code == 422 and "Les deux saisies diffèrent." in mismatch.get_data(as_text=True)
    done = visitor.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == "/connexion"
    assert authenticate(db, "nouveau@cheroy.fr", NEW_PASSWORD) is not None
    again = visitor.get(link)
    assert again.status_code == 410
    assert "déjà servi" in again.get_data(as_text=True)
    assert visitor.post(link, data={"password": "x" * 20, "confirm": "x" * 20}).status_code == 410


def test_an_expired_link_gives_a_clear_page(app, client_as, world, db):
    _response, _page, link = _invite(client_as("facilitator"), world)
    invitation = db.exec(select(Invitation)).one()
    invitation.expires_at = utcnow() - timedelta(seconds=1)
    db.add(invitation)
    db.commit()
    response = app.test_client().get(link)
    assert response.status_code == 410
    assert "a expiré : il était valable 7 jours" in response.get_data(as_text=True)


def test_links_are_valid_seven_days(client_as, world, db):
    _invite(client_as("facilitator"), world)
    invitation = db.exec(select(Invitation)).one()
    remaining = invitation.expires_at.replace(tzinfo=None) - utcnow().replace(tzinfo=None)
    assert timedelta(days=6, hours=23) < remaining <= timedelta(days=7)


def test_an_unknown_link_gives_a_clear_page(app, world):
    response = app.test_client().get("/invitation/nimporte-quoi")
    assert response.status_code == 404
    assert "n&#39;existe pas" in response.get_data(as_text=True) or "n'existe pas" in response.get_data(as_text=True)


def test_a_new_link_replaces_the_previous_one(app, client_as, world, db):
    client = client_as("facilitator")
    _response, _page, first = _invite(client, world)
    user = db.exec(select(User).where(User.email == "nouveau@cheroy.fr")).one()
    page = client.post(f"/collectivites/{world.own.id}/referents/{user.id}/lien",
                       follow_redirects=True).get_data(as_text=True)
    second = re.search(r"http://localhost(/invitation/[\w-]+)", page).group(1)
    assert second != first
    visitor = app.test_client()
    assert visitor.get(first).status_code == 410
    assert visitor.get(second).status_code == 200


def test_only_an_enrolled_collectivity_gets_referents(client_as, world, db):
    enrolment = world.enrolment(db, world.own)
    enrolment.status = "withdrawn"
    db.add(enrolment)
    db.commit()
    response = client_as("facilitator").post(f"/collectivites/{world.own.id}/referents",
                                             data={"email": "x@cheroy.fr"})
    assert response.status_code == 422
    assert "Seule une collectivité engagée" in response.get_data(as_text=True)
    assert db.exec(select(User).where(User.email == "x@cheroy.fr")).first() is None


def test_an_email_already_used_is_refused(client_as, world):
    response = client_as("facilitator").post(f"/collectivites/{world.own.id}/referents",
                                             data={"email": world.users["admin"].email})
    assert response.status_code == 422
    assert "Un compte existe déjà pour cette adresse." in response.get_data(as_text=True)


def test_the_link_is_emailed_when_smtp_is_configured(make_app, world):
    from hub.core.mail import mail

    app = make_app(MAIL_SERVER="smtp.exemple.fr", MAIL_SUPPRESS_SEND=True)
    client = app.test_client()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = str(world.users["facilitator"].id)
        flask_session["_epoch"] = 0  # a new account's first session (hub.core.auth)
    with mail.record_messages() as outbox:
        _response, page, link = _invite(client, world)
    assert len(outbox) == 1 and outbox[0].recipients == ["nouveau@cheroy.fr"]
    assert link in outbox[0].body
    assert "envoyé par courriel" in page


def test_a_referent_sees_their_page_without_the_team_tools(client_as, world):
    page = client_as("participant").get(f"/collectivites/{world.own.id}").get_data(as_text=True)
    assert "Référents" in page
    assert "Inviter un référent" not in page and "Enregistrer le statut" not in page
