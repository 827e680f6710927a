"""Smoke tests in a real browser: log in through the form, open the main pages of each role,
check each one with axe-core (no serious or critical violation) and for Content-Security-Policy errors."""

from __future__ import annotations

import re

import pytest

from tests.browser.pages import Console, check_page, log_in, open_page

pytestmark = pytest.mark.browser

TEAM_EMAIL = "equipe@demo.hub"
REFERENT_EMAIL = "referent.chalon-sur-saone@demo.hub"
REFERENT_SLUG = "chalon-sur-saone"
REPORT_PATH = "/programmes/experimentation-ia-2024-bfc/rapport"
TEAM_VIEWPORT = {"width": 1024, "height": 768}
REFERENT_VIEWPORT = {"width": 768, "height": 1024}


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
                                  f"{PROGRAMME}/couverture", "/collectivites?programme=experimentation-ia-2024-bfc",
                                  f"{PROGRAMME}/calendrier", f"{PROGRAMME}/hypotheses", f"{PROGRAMME}/ateliers/nouveau",
                                  "/ateliers/1", "/ateliers/1/compte-rendu", f"{PROGRAMME}/tableau",
                                  f"{PROGRAMME}/decisions", f"{PROGRAMME}/groupes", f"{PROGRAMME}/parametres",
                                  "/irritants/3", "/irritants/5", f"{PROGRAMME}/usages",
                                  f"{PROGRAMME}/usages/import", f"{PROGRAMME}/enquetes", f"{PROGRAMME}/impact"])
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

def test_referent_home_is_their_collectivitys(referent, live_server):
    page, console = referent
    open_page(page, console, f"{live_server.url}/")
    assert page.url == f"{live_server.url}/"
    heading = page.get_by_role("heading", level=1)
    assert "Chalon-sur-Saône" in heading.inner_text()


def test_referent_workshops(referent, live_server):
    page, console = referent
    open_page(page, console, f"{live_server.url}/ateliers")
    open_page(page, console, f"{live_server.url}/ateliers/1")
    open_page(page, console, f"{live_server.url}/ateliers/1/compte-rendu")


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


# --- steering committee --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def committee(chromium, live_server):
    """A page logged in as the steering committee, on a laptop."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    page = context.new_page()
    console = Console(page)
    log_in(page, console, live_server.url, "comite@demo.hub")
    yield page, console
    context.close()


@pytest.mark.parametrize("path", ["/", PROGRAMME, REPORT_PATH, f"{PROGRAMME}/decisions", f"{PROGRAMME}/groupes",
                                  f"{PROGRAMME}/couverture", f"{PROGRAMME}/hypotheses", f"{PROGRAMME}/parametres"])
def test_committee_pages(committee, live_server, path):
    page, console = committee
    open_page(page, console, f"{live_server.url}{path}")
