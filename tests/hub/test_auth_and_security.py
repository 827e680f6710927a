"""Login, logout, throttling, CSRF, cookies, headers and configuration."""

from __future__ import annotations

import re

import pytest

from hub.core.config import ConfigurationError, load
from tests.factories import PASSWORD

GENERIC = "Adresse électronique ou mot de passe incorrect."


@pytest.fixture
def guarded_app(make_app):
    """The app with CSRF and login throttling switched back on, as in production."""
    return make_app(WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")


@pytest.mark.parametrize("role, landing", [("admin", "/"), ("facilitator", "/"), ("steering", "/"),
                                           ("participant", "/")])
def test_each_role_logs_in_and_lands_on_its_home(app, world, role, landing):
    client = app.test_client()
    response = client.post("/connexion", data={"email": world.users[role].email, "password": PASSWORD})
    assert response.status_code == 302
    home = client.get("/", follow_redirects=True)
    assert home.status_code == 200
    assert home.request.path == landing


def test_wrong_password_and_unknown_email_get_one_generic_message_and_keep_the_email(app, world):
    client = app.test_client()
    for email in (world.users["admin"].email, "personne@nulle-part.fr"):
        response = client.post("/connexion", data={"email": email, "password": "mauvais"})
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert GENERIC.replace("'", "&#39;") in page or GENERIC in page
        assert f'value="{email}"' in page
        assert "mauvais" not in page  # the password is never sent back


def test_an_inactive_account_cannot_log_in(app, world, db):
    user = world.users["facilitator"]
    user.active = False
    db.add(user)
    db.commit()
    response = app.test_client().post("/connexion", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert GENERIC in response.get_data(as_text=True)


def _csrf(client) -> str:
    page = client.get("/connexion").get_data(as_text=True)
    return page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]


def test_repeated_failures_are_throttled_with_a_french_page(guarded_app, world):
    client = guarded_app.test_client()
    token = _csrf(client)
    statuses = [client.post("/connexion", data={"email": world.users["admin"].email, "password": "x",
                                                 "csrf_token": token}).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the account locks at its fifth failure (hub/core/throttle.py)
    blocked = client.post("/connexion", data={"email": world.users["admin"].email, "password": PASSWORD,
                                              "csrf_token": token})
    assert blocked.status_code == 429
    assert "Trop de tentatives de connexion échouées : réessayez dans 15 minutes." in blocked.get_data(as_text=True)


def test_successful_logins_do_not_count_towards_the_limit(guarded_app, world):
    client = guarded_app.test_client()
    for _ in range(5):
        token = _csrf(client)
        response = client.post("/connexion", data={"email": world.users["admin"].email, "password": PASSWORD,
                                                   "csrf_token": token})
        assert response.status_code == 302
        client.post("/deconnexion", data={"csrf_token": _csrf(client)})


def test_forms_without_csrf_token_are_refused(guarded_app, world):
    client = guarded_app.test_client()
    response = client.post("/connexion", data={"email": world.users["admin"].email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Formulaire expiré" in response.get_data(as_text=True)


def test_every_form_rendered_carries_a_csrf_token(guarded_app, world):
    client = guarded_app.test_client()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = str(world.users["facilitator"].id)
        flask_session["_epoch"] = 0  # a new account's first session (hub.core.auth)
    for url in ("/connexion", f"/irritants/{world.own_irritant.id}", f"/ateliers/{world.own_workshop.id}",
                f"/collectivites/{world.own.id}", "/irritants/nouveau"):
        page = client.get(url).get_data(as_text=True)
        for form in page.split("<form")[1:]:
            form = form.split("</form>")[0]
            if 'method="post"' in form:
                assert re.search(r'name="([\w-]+-)?csrf_token"', form), url


def test_logout_ends_the_session(client_as):
    client = client_as("facilitator")
    assert client.get("/irritants").status_code == 200
    assert client.post("/deconnexion").status_code == 302
    assert client.get("/irritants").status_code == 302


def test_login_redirects_only_inside_the_site(app, world):
    client = app.test_client()
    response = client.post("/connexion", data={"email": world.users["admin"].email, "password": PASSWORD,
                                               "next": "https://exemple.org/piege"})
    assert response.headers["Location"] == "/"


def test_security_headers_forbid_inline_script(client_as):
    response = client_as("facilitator").get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in response.get_data(as_text=True)


def test_session_cookie_flags(app, world):
    response = app.test_client().post("/connexion", data={"email": world.users["admin"].email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_marks_cookies_secure_and_needs_a_secret_key(tmp_path):
    with pytest.raises(ConfigurationError, match="SECRET_KEY est obligatoire"):
        load({"HUB_ENV": "production"}, tmp_path)
    config = load({"HUB_ENV": "production", "SECRET_KEY": "s"}, tmp_path)
    assert config["SESSION_COOKIE_SECURE"] is True


def test_development_generates_and_keeps_a_secret_key(tmp_path):
    first = load({}, tmp_path)["SECRET_KEY"]
    assert len(first) >= 32
    assert load({}, tmp_path)["SECRET_KEY"] == first


def test_database_url_from_the_environment(tmp_path):
    assert load({"DATABASE_URL": "postgresql://u:p@h/db"}, tmp_path)["DATABASE_URL"] == "postgresql+psycopg://u:p@h/db"
    assert load({}, tmp_path)["DATABASE_URL"] == f"sqlite:///{tmp_path / 'hub.db'}"


def test_a_database_under_the_name_earlier_versions_gave_it_stays_in_use(tmp_path):
    (tmp_path / "hub.core.db").write_bytes(b"")
    assert load({}, tmp_path)["DATABASE_URL"] == f"sqlite:///{tmp_path / 'hub.core.db'}"


def test_passwords_are_hashed(world):
    assert PASSWORD not in world.users["admin"].password_hash
    assert world.users["admin"].password_hash.startswith("$argon2id$")


def test_language_switch_is_kept(client_as):
    client = client_as("facilitator")
    client.post("/langue", data={"lang": "en", "next": "/"})
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en"' in page
    client.post("/langue", data={"lang": "fr", "next": "/"})
    assert '<html lang="fr"' in client.get("/").get_data(as_text=True)
