"""Smoke tests in a real browser: log in through the form, open the main pages of each role,
check each one with axe-core (no serious or critical violation) and for Content-Security-Policy errors."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser

TEAM_EMAIL = "equipe@demo.hub"
REFERENT_EMAIL = "referent.chalon-sur-saone@demo.hub"
REFERENT_SLUG = "chalon-sur-saone"
REPORT_PATH = "/programmes/experimentation-ia-2024-bfc/rapport"
TEAM_VIEWPORT = {"width": 1024, "height": 768}
REFERENT_VIEWPORT = {"width": 768, "height": 1024}
BLOCKING_IMPACTS = {"serious", "critical"}
CSP_MARKERS = ("content security policy", "content-security-policy")
MAX_TARGETS = 5


# --- helpers -------------------------------------------------------------------------------------

class Console:
    """Error messages written to the browser console since the last ``clear``."""

    def __init__(self, page):
        self.errors: list[str] = []
        page.on("console", self._on_message)

    def _on_message(self, message) -> None:
        if message.type == "error":
            location = message.location or {}
            self.errors.append(f"{message.text} ({location.get('url', '?')}:{location.get('lineNumber', '?')})")

    def clear(self) -> None:
        self.errors.clear()

    def csp_errors(self) -> list[str]:
        return [text for text in self.errors if any(marker in text.lower() for marker in CSP_MARKERS)]


def _axe_report(violations: list[dict], url: str) -> str:
    lines = [f"axe-core : {len(violations)} violation(s) grave(s) ou critique(s) sur {url}"]
    for violation in violations:
        nodes = violation.get("nodes", [])
        targets = [" ".join(map(str, node.get("target", []))) for node in nodes[:MAX_TARGETS]]
        more = f" (+{len(nodes) - MAX_TARGETS} autres)" if len(nodes) > MAX_TARGETS else ""
        lines.append(f"- {violation['id']} [{violation['impact']}] {violation['help']} "
                     f"<{violation.get('helpUrl', '')}>")
        lines.append(f"    cibles ({len(nodes)}) : {' | '.join(targets)}{more}")
        if nodes:
            summary = (nodes[0].get("failureSummary") or "").replace("\n", " ").strip()
            lines.append(f"    premier élément : {nodes[0].get('html', '')[:200]}")
            if summary:
                lines.append(f"    {summary[:400]}")
    return "\n".join(lines)


def check_page(page, console: Console) -> None:
    """No CSP error in the console since the page was opened, and no serious/critical axe violation."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state("load")
    csp_errors = console.csp_errors()
    assert not csp_errors, f"Erreurs Content-Security-Policy sur {page.url} :\n" + "\n".join(csp_errors)

    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    assert not blocking, _axe_report(blocking, page.url)


def open_page(page, console: Console, url: str, status: int = 200):
    """Go to ``url``, check the HTTP status, then check the page; return the response."""
    console.clear()
    response = page.goto(url)
    assert response is not None, f"aucune réponse pour {url}"
    assert response.status == status, f"{url} : HTTP {response.status}, attendu {status}"
    check_page(page, console)
    return response


def log_in(page, console: Console, base_url: str, email: str) -> None:
    """Fill the real login form (and check the login page itself on the way)."""
    open_page(page, console, f"{base_url}/connexion")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    console.clear()
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").click()
    assert "/connexion" not in page.url, f"connexion refusée pour {email} (page : {page.url})"


@pytest.fixture(scope="module")
def team(chromium, live_server):
    """A page logged in as the project team, at a tablet's landscape size."""
    context = chromium.new_context(viewport=TEAM_VIEWPORT, locale="fr-FR")
    page = context.new_page()
    console = Console(page)
    log_in(page, console, live_server.url, TEAM_EMAIL)
    yield page, console
    context.close()


@pytest.fixture(scope="module")
def referent(chromium, live_server):
    """A page logged in as Chalon-sur-Saône's référent, at a tablet's portrait size."""
    context = chromium.new_context(viewport=REFERENT_VIEWPORT, locale="fr-FR")
    page = context.new_page()
    console = Console(page)
    log_in(page, console, live_server.url, REFERENT_EMAIL)
    yield page, console
    context.close()


# --- project team --------------------------------------------------------------------------------

PROGRAMME = "/programmes/experimentation-ia-2024-bfc"


@pytest.mark.parametrize("path", ["/", "/irritants", "/collectivites", "/ateliers", REPORT_PATH,
                                  "/collectivites/nouvelle", "/collectivites/import", f"{PROGRAMME}/candidatures",
                                  f"{PROGRAMME}/couverture", "/collectivites?programme=experimentation-ia-2024-bfc"])
def test_team_pages(team, live_server, path):
    page, console = team
    open_page(page, console, f"{live_server.url}{path}")


def test_team_irritant_page(team, live_server):
    page, console = team
    open_page(page, console, f"{live_server.url}/irritants")
    first = page.locator("table tbody a[href^='/irritants/']").first
    href = first.get_attribute("href")
    assert href and re.fullmatch(r"/irritants/\d+", href), f"premier lien du tableau inattendu : {href!r}"
    console.clear()
    with page.expect_navigation():
        first.click()
    assert page.url == f"{live_server.url}{href}"
    check_page(page, console)


# --- référent ------------------------------------------------------------------------------------

def test_referent_home_is_own_board(referent, live_server):
    page, console = referent
    open_page(page, console, f"{live_server.url}/")
    assert page.url == f"{live_server.url}/mon-tableau"
    heading = page.get_by_role("heading", level=1)
    assert "Chalon-sur-Saône" in heading.inner_text()


def test_referent_workshops(referent, live_server):
    page, console = referent
    open_page(page, console, f"{live_server.url}/ateliers")


def test_referent_cannot_open_other_collectivities(referent, live_server):
    page, console = referent
    ids = live_server.collectivity_ids()
    own = ids[REFERENT_SLUG]
    other = next(cid for slug, cid in sorted(ids.items(), key=lambda item: item[1]) if cid != own)
    # Control: the same URLs answer for the référent's own collectivity, so the 404s below mean "not yours".
    for path in (f"/collectivites/{own}", f"/collectivites/{own}/tableau"):
        open_page(page, console, f"{live_server.url}{path}")
    for path in (f"/collectivites/{other}", f"/collectivites/{other}/tableau"):
        open_page(page, console, f"{live_server.url}{path}", status=404)
