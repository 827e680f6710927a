"""Sessions end with their owner: a logout or a new password ends every session of the account; login starts afresh."""

from __future__ import annotations

from hub.core import invitations
from tests import factories

BOARD = "/mon-tableau"


def _log_in(client, user) -> None:
    response = client.post("/connexion", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)


def _copy_of(app, client):
    """Another browser holding the same cookie, as a thief who copied it would."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def test_a_cookie_copied_before_logout_no_longer_opens_anything(app, world):
    owner = app.test_client()
    _log_in(owner, world.users["participant"])
    thief = _copy_of(app, owner)
    assert thief.get(BOARD).status_code == 200  # the copy works while the session lives
    owner.post("/deconnexion")
    response = thief.get(BOARD)
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_logging_out_on_one_device_ends_the_sessions_on_the_others(app, world):
    laptop, tablet = app.test_client(), app.test_client()
    for device in (laptop, tablet):
        _log_in(device, world.users["facilitator"])
    laptop.post("/deconnexion")
    assert tablet.get("/").status_code == 302


def test_a_new_password_ends_the_sessions_opened_with_the_old_one(app, world, db):
    referent = world.users["participant"]
    device = app.test_client()
    _log_in(device, referent)
    token = invitations.create_invitation(db, user=referent, by_user_id=None)
    db.commit()
    response = app.test_client().post(f"/invitation/{token}", data={"password": "un nouveau mot de passe sûr",
                                                                    "confirm": "un nouveau mot de passe sûr"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert device.get(BOARD).status_code == 302


def test_login_starts_a_fresh_session_with_a_new_csrf_token_and_keeps_the_language(make_app, world):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    client.post("/langue", data={"lang": "en", "next": "/connexion"})  # refused without token: sets nothing
    client.get("/connexion")
    with client.session_transaction() as flask_session:
        before = flask_session["csrf_token"]
        flask_session["lang"] = "en"
        flask_session["left_by_the_visit"] = "x"
    page = client.get("/connexion").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    user = world.users["facilitator"]
    response = client.post("/connexion", data={"csrf_token": token, "email": user.email,
                                               "password": factories.PASSWORD})
    assert response.status_code == 302
    client.get("/")
    with client.session_transaction() as flask_session:
        assert flask_session.get("csrf_token") != before
        assert "left_by_the_visit" not in flask_session
        assert flask_session["lang"] == "en"


def test_logged_in_pages_are_never_cached(client_as, world):
    page = client_as("facilitator").get("/")
    assert page.status_code == 200 and "no-store" in page.headers["Cache-Control"]
    assert "no-store" not in client_as("anonymous").get("/connexion").headers.get("Cache-Control", "")


def test_accepting_an_invitation_is_audited_under_its_owner(app, world, db):
    from sqlmodel import select

    from hub.core.models import AuditEntry

    referent = world.users["participant"]
    token = invitations.create_invitation(db, user=referent, by_user_id=None)
    db.commit()
    app.test_client().post(f"/invitation/{token}", data={"password": "un nouveau mot de passe sûr",
                                                         "confirm": "un nouveau mot de passe sûr"})
    entry = db.exec(select(AuditEntry).where(AuditEntry.table_name == "invitation", AuditEntry.action == "update")
                    ).one()
    assert entry.user_id == referent.id


def test_a_script_whose_session_ended_is_told_plainly_and_the_session_cookie_is_left_alone(make_app, world):
    # The capture queue of a tablet whose session ended: a redirect to the login page (or a rendered error page)
    # would write a new session cookie over the one of a login under way in another tab, refusing that login.
    tablet = make_app(WTF_CSRF_ENABLED=True).test_client()
    script = {"Accept": "application/json"}
    token = tablet.get("/session/jeton", headers=script)
    assert token.status_code == 401 and token.get_json() == {"error": "session"}
    entry = tablet.post(f"/ateliers/{world.own_workshop.id}/saisie", data={"title": "Hors session"}, headers=script)
    assert entry.status_code == 400 and entry.get_json() == {"error": "csrf"}
    for response in (token, entry):
        assert "Set-Cookie" not in response.headers
    # A person opening a page is still sent to the login page.
    page = tablet.get("/session/jeton")
    assert page.status_code == 302 and "/connexion" in page.headers["Location"]
