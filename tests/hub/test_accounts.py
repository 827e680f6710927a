"""The admin's accounts screen: who has access, invitations of every role, roles, deactivation, the last admin."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from sqlmodel import select

from hub.core.auth import authenticate
from hub.core.invitations import is_activated
from hub.core.models import Invitation, User
from tests import factories
from tests.conftest import logged_in

BOARD = "/mon-tableau"
NEW_PASSWORD = "un mot de passe tout neuf"
INVITATION_LINK = re.compile(r"http://localhost(/invitation/[\w-]+)")


def _log_in(client, user) -> None:
    response = client.post("/connexion", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)


def _invite_data(world, role: str, email: str) -> dict:
    data = {"email": email, "full_name": "Nouvelle personne", "role": role}
    if role == "participant":
        data["collectivity"] = str(world.own.id)
    return data


def _rows(client, url: str) -> str:
    """The accounts table's rows (the page's footer names whoever is logged in)."""
    page = client.get(url).get_data(as_text=True)
    return page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def _mail_app(make_app):
    return make_app(MAIL_SERVER="smtp.exemple.fr", MAIL_SUPPRESS_SEND=True)


def test_the_list_shows_roles_collectivities_states_and_last_logins(app, client_as, world, db):
    admin = client_as("admin")
    admin.post("/comptes/inviter", data=_invite_data(world, "steering", "elu@region.fr"))
    steering = world.users["steering"]
    admin.post(f"/comptes/{steering.id}/desactiver")
    _log_in(app.test_client(), world.users["facilitator"])  # its login is the list's « dernière connexion »
    page = admin.get("/comptes").get_data(as_text=True)
    for role_name in ("Administration", "Équipe projet", "Comité de pilotage", "Référent collectivité"):
        assert role_name in page
    assert world.own.name in page and world.foreign.name in page
    assert "Invité, pas encore activé" in page and "Désactivé" in page and "Actif" in page
    db.refresh(world.users["facilitator"])
    login_day = world.users["facilitator"].last_login_at
    assert login_day is not None
    assert str(login_day.astimezone(timezone.utc).year) in page and "jamais" in page
    deactivated = _rows(admin, "/comptes?state=deactivated")
    assert steering.email in deactivated and world.users["facilitator"].email not in deactivated
    invited = _rows(admin, "/comptes?state=invited")
    assert "elu@region.fr" in invited and steering.email not in invited
    referents = _rows(admin, "/comptes?role=participant")
    assert world.users["participant"].email in referents and world.users["admin"].email not in referents
    active = _rows(admin, "/comptes?state=active")
    assert world.users["admin"].email in active and "elu@region.fr" not in active and steering.email not in active
    # Odd filters are ignored, never a server error.
    assert admin.get("/comptes?role=%00&state=zzz&page=%C2%B2").status_code == 200


@pytest.mark.parametrize("role", ["admin", "facilitator", "steering", "participant"])
def test_inviting_without_mail_shows_the_link_once_with_a_warning(app, client_as, world, db, role):
    admin = client_as("admin")
    email = f"nouveau-{role}@region.fr"
    page = admin.post("/comptes/inviter", data=_invite_data(world, role, email),
                      follow_redirects=True).get_data(as_text=True)
    link = INVITATION_LINK.search(page).group(1)
    assert "par un canal privé" in page and "expire dans 7 jours" in page
    user = db.exec(select(User).where(User.email == email)).one()
    assert user.role == role and user.scope_collectivity_id == (world.own.id if role == "participant" else None)
    assert not is_activated(db, user) and "Invité, pas encore activé" in page
    # Shown once: the account's page, seen again, holds no link.
    assert INVITATION_LINK.search(admin.get(f"/comptes/{user.id}").get_data(as_text=True)) is None
    # No one knows the account's password until its owner chooses one with the link.
    assert authenticate(db, email, factories.PASSWORD) is None
    done = app.test_client().post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302
    db.expire_all()  # the app's session changed the row
    assert authenticate(db, email, NEW_PASSWORD) is not None and is_activated(db, user)


@pytest.mark.parametrize("role", ["admin", "facilitator", "steering", "participant"])
def test_inviting_with_a_mail_server_sends_the_link_and_does_not_show_it(make_app, world, db, role):
    from hub.core.mail import mail

    app = _mail_app(make_app)
    email = f"courriel-{role}@region.fr"
    with mail.record_messages() as outbox:
        page = logged_in(app, world.users["admin"]).post("/comptes/inviter", data=_invite_data(world, role, email),
                                                         follow_redirects=True).get_data(as_text=True)
    assert len(outbox) == 1 and outbox[0].recipients == [email]
    link = INVITATION_LINK.search(outbox[0].body).group(1)
    assert link not in page and INVITATION_LINK.search(page) is None and "canal privé" not in page
    assert "Invitation envoyée par courriel" in page
    assert app.test_client().get(link).status_code == 200


def test_a_referent_is_invited_with_an_engaged_collectivity_and_a_refused_form_keeps_what_was_typed(client_as, world,
                                                                                                     db):
    admin = client_as("admin")
    data = {"email": "sans-collectivite@region.fr", "full_name": "Sans rattachement", "role": "participant"}
    response = admin.post("/comptes/inviter", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Un référent est rattaché à une collectivité" in page
    assert 'value="sans-collectivite@region.fr"' in page and 'value="Sans rattachement"' in page
    lone = factories.collectivity(db, name="Hors programme")  # not engaged in any programme
    db.commit()
    refused = admin.post("/comptes/inviter", data={**data, "collectivity": str(lone.id)})
    assert refused.status_code == 422
    assert "Choisissez l&#39;une des valeurs proposées." in refused.get_data(as_text=True)
    taken = admin.post("/comptes/inviter", data={**data, "email": world.users["steering"].email, "role": "steering"})
    assert taken.status_code == 422 and "Un compte existe déjà pour cette adresse." in taken.get_data(as_text=True)
    assert db.exec(select(User).where(User.email == "sans-collectivite@region.fr")).first() is None


@pytest.mark.parametrize("typed", ["nul\x00@region.fr", "x" * 300 + "@region.fr", ""])
def test_odd_input_is_refused_on_its_field_never_a_server_error(client_as, world, typed):
    response = client_as("admin").post("/comptes/inviter", data={"email": typed, "full_name": "Nom\x00",
                                                                 "role": "steering"})
    assert response.status_code == 422
    bad_role = client_as("admin").post(f"/comptes/{world.users['steering'].id}/role",
                                       data={"role": "roi", "collectivity": "\x00"})
    assert bad_role.status_code == 422


def test_changing_a_role_ends_the_persons_sessions(app, client_as, world, db):
    facilitator = world.users["facilitator"]
    device = app.test_client()
    _log_in(device, facilitator)
    assert device.get("/collectivites").status_code == 200
    response = client_as("admin").post(f"/comptes/{facilitator.id}/role", data={"role": "steering"},
                                       follow_redirects=True)
    assert "Ses sessions ouvertes sont terminées" in response.get_data(as_text=True)
    db.refresh(facilitator)
    assert facilitator.role == "steering"
    ended = device.get("/collectivites")
    assert ended.status_code == 302 and "/connexion" in ended.headers["Location"]


def test_a_referent_role_needs_its_collectivity_and_moves_with_it(client_as, world, db):
    steering = world.users["steering"]
    admin = client_as("admin")
    refused = admin.post(f"/comptes/{steering.id}/role", data={"role": "participant"})
    assert refused.status_code == 422
    assert "Un référent est rattaché à une collectivité" in refused.get_data(as_text=True)
    assert admin.post(f"/comptes/{steering.id}/role",
                      data={"role": "participant", "collectivity": str(world.foreign.id)}).status_code == 302
    db.refresh(steering)
    assert (steering.role, steering.scope_collectivity_id) == ("participant", world.foreign.id)
    # Back to a role of the agency: the collectivity is no longer theirs.
    admin.post(f"/comptes/{steering.id}/role", data={"role": "facilitator", "collectivity": str(world.foreign.id)})
    db.refresh(steering)
    assert (steering.role, steering.scope_collectivity_id) == ("facilitator", None)


def test_deactivating_ends_an_open_session_and_login_is_refused_neutrally(app, client_as, world, db):
    referent = world.users["participant"]
    device = app.test_client()
    _log_in(device, referent)
    assert device.get(BOARD).status_code == 200
    assert client_as("admin").post(f"/comptes/{referent.id}/desactiver").status_code == 302
    ended = device.get(BOARD)
    assert ended.status_code == 302 and "/connexion" in ended.headers["Location"]
    again = app.test_client().post("/connexion", data={"email": referent.email, "password": factories.PASSWORD})
    assert again.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect." in again.get_data(as_text=True)


def test_reactivating_lets_the_person_in_again_with_their_password(app, client_as, world, db):
    referent = world.users["participant"]
    admin = client_as("admin")
    admin.post(f"/comptes/{referent.id}/desactiver")
    assert admin.post(f"/comptes/{referent.id}/reactiver").status_code == 302
    db.refresh(referent)
    assert referent.active
    _log_in(app.test_client(), referent)
    assert admin.post(f"/comptes/{referent.id}/reactiver").status_code == 422  # already active: said, not done


def test_the_last_active_admin_can_be_neither_demoted_nor_deactivated(client_as, world, db):
    admin_user = world.users["admin"]
    admin = client_as("admin")
    # An admin invited but not yet activated cannot log in: they do not count.
    admin.post("/comptes/inviter", data=_invite_data(world, "admin", "future-admin@region.fr"))
    for url, data in ((f"/comptes/{admin_user.id}/role", {"role": "facilitator"}),
                      (f"/comptes/{admin_user.id}/desactiver", {})):
        response = admin.post(url, data=data)
        assert response.status_code == 422
        assert "C&#39;est le dernier compte d&#39;administration actif" in response.get_data(as_text=True)
    db.refresh(admin_user)
    assert admin_user.role == "admin" and admin_user.active
    # With a second admin who can log in, the first may step down.
    factories.user(db, "admin")
    db.commit()
    assert admin.post(f"/comptes/{admin_user.id}/role", data={"role": "facilitator"}).status_code == 302
    db.refresh(admin_user)
    assert admin_user.role == "facilitator"


def test_a_deactivated_admin_does_not_count_either(client_as, world, db):
    second = factories.user(db, "admin")
    db.commit()
    admin = client_as("admin")
    assert admin.post(f"/comptes/{second.id}/desactiver").status_code == 302
    refused = admin.post(f"/comptes/{world.users['admin'].id}/desactiver")
    assert refused.status_code == 422


def test_a_new_invitation_link_for_an_account_never_opened_is_shown_once(client_as, world, db):
    admin = client_as("admin")
    admin.post("/comptes/inviter", data=_invite_data(world, "facilitator", "pas-encore@region.fr"))
    invited = db.exec(select(User).where(User.email == "pas-encore@region.fr")).one()
    page = admin.post(f"/comptes/{invited.id}/lien", follow_redirects=True).get_data(as_text=True)
    assert INVITATION_LINK.search(page) and "par un canal privé" in page
    links = db.exec(select(Invitation).where(Invitation.user_id == invited.id)).all()
    assert [link.purpose for link in links] == ["invitation", "invitation"]


def test_a_deactivated_account_gets_no_link(client_as, world, db):
    referent = world.users["participant"]
    admin = client_as("admin")
    admin.post(f"/comptes/{referent.id}/desactiver")
    assert admin.post(f"/comptes/{referent.id}/lien").status_code == 422
    assert db.exec(select(Invitation).where(Invitation.user_id == referent.id)).all() == []


def test_last_login_is_kept_at_each_login(app, world, db):
    facilitator = world.users["facilitator"]
    assert facilitator.last_login_at is None
    before = datetime.now(timezone.utc)
    _log_in(app.test_client(), facilitator)
    db.refresh(facilitator)
    moment = facilitator.last_login_at
    assert moment is not None and (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)) >= before
