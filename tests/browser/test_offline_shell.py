"""The offline shell in a real browser: the capture page reopens without network, and a deploy replaces the caches."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD, _free_port, _wait_until_up
from tests.browser.pages import Console, check_page, log_in

pytestmark = pytest.mark.browser

TABLET = {"width": 820, "height": 1180}
WAIT_MS = 10_000

CONTROLLED = "() => navigator.serviceWorker.ready.then(() => navigator.serviceWorker.controller !== null)"
CACHE_NAMES = "() => caches.keys()"
NEW_WORKER_IN_CONTROL = """() => navigator.serviceWorker.getRegistration().then((registration) =>
  navigator.serviceWorker.controller !== null && navigator.serviceWorker.controller === registration.active
  && registration.active.state === "activated" && !registration.waiting && !registration.installing)"""
KEPT = """async (url) => {
  for (const name of await caches.keys()) {
    if (name.startsWith("hub-pages-") && await (await caches.open(name)).match(url, {ignoreVary: true})) return true;
  }
  return false;
}"""


def _until(page, script: str, arg=None, timeout: float = WAIT_MS / 1000, what: str = "") -> object:
    """Evaluate ``script`` (a function, maybe async) until it answers something truthy, for ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        answer = page.evaluate(script, arg)
        if answer or time.monotonic() > deadline:
            assert answer, f"toujours faux après {timeout:.0f} s : {what or script}"
            return answer
        time.sleep(0.2)


def _controlled(page) -> None:
    """Wait until the service worker controls the page: its first load came before the worker, so reload once."""
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate(CONTROLLED):
        page.reload()
    _until(page, CONTROLLED, what="la page n'est pas contrôlée par le service worker")


def test_the_capture_page_reopens_offline(chromium, live_server):
    context = chromium.new_context(viewport=TABLET, locale="fr-FR")
    try:
        page = context.new_page()
        console = Console(page)
        log_in(page, console, live_server.url, "equipe@demo.hub")
        capture = f"{live_server.url}/ateliers/{live_server.planned_workshop_id()}/saisie"
        page.goto(capture)
        _controlled(page)
        page.reload()  # a navigation through the worker: it keeps the page
        _until(page, KEPT, capture, what="la page de saisie n'est pas gardée")
        banner = page.locator("#offline-banner")
        expect(banner).to_be_hidden()

        context.set_offline(True)
        console.clear()
        page.reload()
        expect(page.locator("h1")).to_contain_text("Saisie sur site")
        expect(banner).to_be_visible()
        expect(banner).to_contain_text("Hors ligne : vous consultez la copie gardée sur cette tablette.")
        check_page(page, console)

        # A plain form posted without network (the language switch): the offline page says nothing was sent.
        with page.expect_navigation():
            page.get_by_role("button", name="Changer").click()
        expect(page.locator("main")).to_contain_text("rien n'a été envoyé")

        page.goto(f"{live_server.url}/irritants?jamais-gardee=1")
        expect(page.locator("h1")).to_have_text("Hors ligne")
        expect(page.locator("main")).to_contain_text("cette page n'a pas été gardée sur cette tablette")
        check_page(page, console)

        context.set_offline(False)
        page.goto(capture)
        expect(page.locator("h1")).to_contain_text("Saisie sur site")
        expect(banner).to_be_hidden()
    finally:
        context.close()


def test_pages_are_kept_on_demand_and_forgotten_at_logout(chromium, live_server):
    context = chromium.new_context(viewport=TABLET, locale="fr-FR")
    try:
        page = context.new_page()
        console = Console(page)
        log_in(page, console, live_server.url, "equipe@demo.hub")
        _controlled(page)
        # The list is asked for at most every five minutes per tab: the login's landing page asked it already.
        page.evaluate("sessionStorage.removeItem('hub.offline.asked')")
        with page.expect_response(lambda response: "/hors-ligne/a-garder" in response.url) as asked:
            page.reload()
        assert asked.value.status == 200
        assert "/" in asked.value.json()["urls"]
        home = f"{live_server.url}/"
        _until(page, KEPT, home, what="l'accueil n'est pas gardé")

        # A page never opened on this tablet, kept on the page's request: it opens offline.
        detail = f"{live_server.url}/ateliers/{live_server.planned_workshop_id()}"
        page.evaluate("""(url) => navigator.serviceWorker.ready
          .then((registration) => registration.active.postMessage({type: "keep", urls: [url]}))""",
                      f"/ateliers/{live_server.planned_workshop_id()}")
        _until(page, KEPT, detail, what="la page demandée n'est pas gardée")
        context.set_offline(True)
        page.goto(detail)
        expect(page.locator("h1")).not_to_have_text("Hors ligne")
        expect(page.locator("#offline-banner")).to_be_visible()

        # Logging out lands on the login page, which has the worker forget every page kept for this person.
        context.set_offline(False)
        page.goto(home)
        with page.expect_navigation():
            page.get_by_role("button", name="Se déconnecter").click()
        _until(page, f"async () => !(await ({KEPT})({detail!r})) && !(await ({KEPT})({home!r}))",
               what="les pages gardées sont restées après la déconnexion")
        context.set_offline(True)
        page.goto(detail)
        expect(page.locator("h1")).to_have_text("Hors ligne")
    finally:
        context.close()


@contextmanager
def _hub(live_server, port: int, version: str, log_path: Path):
    """A gunicorn of its own over the live server's database, announcing ``version``."""
    env = dict(os.environ)
    env.update({"DATABASE_URL": f"sqlite:///{live_server.database}", "SECRET_KEY": secrets.token_hex(32),
                "HUB_DEMO_PASSWORD": DEMO_PASSWORD, "HUB_ENV": "development",
                "HUB_LOGIN_RATE_LIMIT": "1000 per minute", "HUB_VERSION": version, "PYTHONUNBUFFERED": "1"})
    bin_dir = Path(sys.executable).parent
    with log_path.open("w") as log:
        process = subprocess.Popen([str(bin_dir / "gunicorn"), "-w", "1", "-b", f"127.0.0.1:{port}",
                                    "hub:create_app()"], env=env, cwd=Path(__file__).resolve().parents[2],
                                   stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_until_up(f"http://127.0.0.1:{port}/hors-ligne", process, log_path)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def test_a_new_version_replaces_the_caches(chromium, live_server, tmp_path):
    port = _free_port()
    context = chromium.new_context(viewport=TABLET, locale="fr-FR")
    try:
        page = context.new_page()
        with _hub(live_server, port, "v1", tmp_path / "v1.log") as url:
            page.goto(f"{url}/connexion")
            _controlled(page)
            names = _until(page, CACHE_NAMES, what="aucun cache")
            assert "hub-static-v1" in names
            assert all(name.endswith("-v1") for name in names), names

        with _hub(live_server, port, "v2", tmp_path / "v2.log") as url:  # the same origin: a deploy
            page.reload()  # the browser checks for a new worker at each navigation; update() asks at once
            page.evaluate("() => navigator.serviceWorker.getRegistration().then((r) => r.update()).then(() => true)")
            # Only the new worker deletes the old caches, when it activates, and takes the page over just after.
            _until(page, "() => caches.keys().then((names) => names.length > 0"
                         " && names.every((name) => name.endsWith('-v2')))",
                   what="les caches de la version 1 sont restés")
            assert "hub-static-v2" in page.evaluate(CACHE_NAMES)
            _until(page, NEW_WORKER_IN_CONTROL, what="la page n'est pas passée au nouveau service worker")
            page.reload()
            _controlled(page)
            assert all(name.endswith("-v2") for name in page.evaluate(CACHE_NAMES))
            expect(page.locator("h1")).to_have_text("Connexion")
    finally:
        context.close()
