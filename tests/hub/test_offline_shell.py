"""The offline shell: the manifest, the service worker with the hub's version, the offline page, the pages to keep."""

from __future__ import annotations

from datetime import date, timedelta

from hub.app.offline import version
from hub.core.models import utcnow
from tests import factories
from tests.conftest import logged_in
from tests.sql_statements import statements_run


def test_the_manifest_makes_the_hub_installable(client_as):
    response = client_as("anonymous").get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json(force=True)
    assert manifest["name"] == "Hub d'expérimentation IA"
    assert manifest["short_name"] == "Hub IA"
    assert (manifest["lang"], manifest["start_url"], manifest["scope"]) == ("fr", "/", "/")
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#1d4ed8" and manifest["background_color"] == "#ffffff"
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        image = client_as("anonymous").get(icon["src"])
        assert image.status_code == 200 and image.mimetype == "image/png"
        image.close()


def test_every_page_links_the_manifest_and_the_offline_script(client_as):
    page = client_as("facilitator").get("/").get_data(as_text=True)
    assert 'rel="manifest" href="/manifest.webmanifest"' in page
    assert 'name="theme-color"' in page and 'rel="apple-touch-icon"' in page
    assert 'src="/static/hub/offline.js" data-worker="/service-worker.js" defer' in page
    assert 'data-offline-keep="/hors-ligne/a-garder"' in page
    assert 'id="offline-banner" role="status" class="offline-banner" hidden' in page


def test_only_the_team_asks_which_pages_to_keep(client_as):
    for role in ("participant", "steering"):
        page = client_as(role).get("/").get_data(as_text=True)
        assert 'src="/static/hub/offline.js"' in page and "data-offline-keep" not in page


def test_the_login_page_asks_the_worker_to_forget(client_as):
    page = client_as("anonymous").get("/connexion").get_data(as_text=True)
    assert "<body data-offline-forget>" in page
    assert "data-offline-keep" not in page


def test_the_worker_carries_the_version_with_headers_for_a_worker(make_app):
    first = make_app(HUB_VERSION="v1").test_client().get("/service-worker.js")
    assert first.status_code == 200
    assert first.mimetype == "text/javascript"
    assert "no-cache" in first.headers["Cache-Control"]
    source = first.get_data(as_text=True)
    assert 'const VERSION = "v1";' in source
    assert "__HUB_VERSION__" not in source
    second = make_app(HUB_VERSION="v2").test_client().get("/service-worker.js").get_data(as_text=True)
    assert 'const VERSION = "v2";' in second
    assert second.replace('"v2"', '"v1"') == source


def test_without_a_version_set_the_hub_computes_one_from_its_files(make_app):
    app = make_app(HUB_VERSION="")
    assert app.config["HUB_VERSION"] == version.computed_version()
    assert len(app.config["HUB_VERSION"]) == 12
    source = app.test_client().get("/service-worker.js").get_data(as_text=True)
    assert f'const VERSION = "{version.computed_version()}";' in source


def test_the_csp_lets_the_worker_and_the_manifest_come_from_the_site(client_as):
    policy = client_as("anonymous").get("/connexion").headers["Content-Security-Policy"]
    assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy
    assert "script-src 'self'" in policy


def test_a_facilitator_keeps_the_capture_pages_of_the_coming_week(app, world, db):
    today = date.today()
    soon = factories.workshop(db, world.programme, world.own, held_on=today + timedelta(days=3))
    today_one = factories.workshop(db, world.programme, world.foreign, held_on=today)
    later = factories.workshop(db, world.programme, world.own, held_on=today + timedelta(days=30))
    done = factories.workshop(db, world.programme, world.own, held_on=today + timedelta(days=2), status="held")
    yesterday = factories.workshop(db, world.programme, world.own, held_on=today - timedelta(days=1))
    archived = factories.programme(db, archived_at=utcnow())
    of_archived = factories.workshop(db, archived, world.own, held_on=today + timedelta(days=1))
    db.commit()

    response = logged_in(app, world.users["facilitator"]).get("/hors-ligne/a-garder")
    assert response.status_code == 200
    urls = response.get_json()["urls"]
    assert f"/ateliers/{soon.id}/saisie" in urls
    assert f"/ateliers/{today_one.id}/saisie" in urls
    for left_out in (later, done, yesterday, of_archived):
        assert f"/ateliers/{left_out.id}/saisie" not in urls
    assert urls[-1] == "/"
    assert urls.index(f"/ateliers/{today_one.id}/saisie") < urls.index(f"/ateliers/{soon.id}/saisie")
    if "hypotheses.day_hypotheses" in app.view_functions:
        assert f"/ateliers/{soon.id}/hypotheses-du-jour" in urls


def test_the_pages_to_keep_take_one_query(app, world, db, connection):
    for days in range(5):
        factories.workshop(db, world.programme, world.own, held_on=date.today() + timedelta(days=days))
    db.commit()
    client = logged_in(app, world.users["admin"])
    client.get("/hors-ligne/a-garder")  # the first request of a client loads what every later one reuses
    with statements_run(connection) as statements:
        assert len(client.get("/hors-ligne/a-garder").get_json()["urls"]) >= 6
    # The workshops to keep, in one query (the session's own reads of the account and programme aside).
    statements = [s for s in statements if s.lstrip().upper().startswith("SELECT") and "workshop" in s]
    assert len(statements) == 1


def test_a_referent_and_the_committee_keep_nothing_offline(client_as, world, db):
    factories.workshop(db, world.programme, world.own, held_on=date.today() + timedelta(days=1))
    db.commit()
    for role in ("participant", "steering"):
        response = client_as(role).get("/hors-ligne/a-garder")
        assert response.status_code == 200
        assert response.get_json() == {"urls": []}


def test_an_anonymous_visitor_is_sent_to_log_in(client_as):
    response = client_as("anonymous").get("/hors-ligne/a-garder")
    assert response.status_code == 302
    assert "/connexion" in response.headers["Location"]


def test_the_offline_page_is_public_plain_and_in_french(client_as):
    response = client_as("anonymous").get("/hors-ligne")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<title>Hors ligne — Hub d'expérimentation IA</title>" in page
    assert "<h1>Hors ligne</h1>" in page
    assert "cette page n'a pas été gardée sur cette tablette" in page
    assert "pages de saisie des ateliers" in page
    assert 'href="/"' in page and "/static/hub.css" in page
    assert "csrf_token" not in page and "<form" not in page  # kept for whoever uses the tablet next


def test_the_offline_page_names_no_one_even_when_logged_in(client_as, world):
    page = client_as("facilitator").get("/hors-ligne").get_data(as_text=True)
    assert world.users["facilitator"].email not in page
    assert "Se déconnecter" not in page


def test_a_form_sent_offline_is_said_not_sent(client_as):
    page = client_as("anonymous").get("/hors-ligne?formulaire=1").get_data(as_text=True)
    assert "rien n'a été envoyé" in page
    assert "ce que vous aviez saisi y est encore" in page


def test_the_offline_page_follows_the_chosen_language(client_as):
    client = client_as("anonymous")
    with client.session_transaction() as session:
        session["lang"] = "en"
    page = client.get("/hors-ligne").get_data(as_text=True)
    assert '<html lang="en"' in page
