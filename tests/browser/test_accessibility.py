"""Each role crawls every page it can reach: every page answers 200 with no CSP error, axe-core finds no serious or
critical violation on the first pages of each shape; and the keyboard focus is visible on representative pages."""

from __future__ import annotations

import re
import time

import pytest

from tests.browser.crawl import Crawl, crawl
from tests.browser.focus import tab_through
from tests.browser.pages import Console, log_in, open_page

pytestmark = pytest.mark.browser

PROGRAMME = "/programmes/experimentation-ia-2024-bfc"
REPORT = f"{PROGRAMME}/rapport"
REFERENT_SLUG = "chalon-sur-saone"
TABLET_PORTRAIT = {"width": 768, "height": 1024}
TABLET_LANDSCAPE = {"width": 1024, "height": 768}
LAPTOP = {"width": 1280, "height": 800}

OPEN_DATA = "/donnees-ouvertes/experimentation-ia-2024-bfc"
# role: (login e-mail or None for a visitor, viewport, pages its crawl must reach so that it is not vacuous)
ROLES = {
    "anonyme": (None, TABLET_PORTRAIT, {"/connexion", OPEN_DATA}),
    "admin": ("admin@demo.hub", LAPTOP, {"/irritants", "/collectivites", f"{REPORT}/versions"}),
    "equipe": ("equipe@demo.hub", TABLET_LANDSCAPE, {"/irritants", "/ateliers", "/collectivites", REPORT}),
    "referent": (f"referent.{REFERENT_SLUG}@demo.hub", TABLET_PORTRAIT, {"/mon-tableau", "/ateliers"}),
    "comite": ("comite@demo.hub", LAPTOP, {REPORT, f"{REPORT}/versions", f"{REPORT}/versions/1"}),
}


@pytest.fixture(scope="module")
def crawls(chromium, live_server) -> dict[str, Crawl]:
    """Every role's crawl, run once for the module: a fresh browser context per role, logged in by the form."""
    results: dict[str, Crawl] = {}
    for role, (email, viewport, _known) in ROLES.items():
        started = time.monotonic()
        context = chromium.new_context(viewport=viewport, locale="fr-FR")
        page = context.new_page()
        console = Console(page)
        try:
            if email:
                log_in(page, console, live_server.url, email)
            # The home page, plus whatever the main navigation offers from the page the login lands on; a visitor
            # has no navigation, and reaches the open-data page from outside (it is public, linked from portals).
            nav = page.evaluate("() => Array.from(document.querySelectorAll('header nav a[href]'), a => a.href)") \
                if email else [OPEN_DATA]
            results[role] = crawl(page, console, role=role, base_url=live_server.url, start=("/", *nav))
        finally:
            context.close()
        print(f"\n{results[role].summary()}\n  durée : {time.monotonic() - started:.1f} s")
    return results


def test_every_reachable_page_is_accessible(crawls):
    """No page of any role's crawl fails its status, CSP or axe check; all failures are listed at once."""
    failures = [f"[{role}] {failure}" for role, result in crawls.items() for failure in result.failures]
    assert not failures, (f"{len(failures)} page(s) en échec :\n\n" + "\n\n".join(failures)
                          + "\n\n" + "\n".join(result.summary() for result in crawls.values()))


@pytest.mark.parametrize("role", ROLES)
def test_crawl_reaches_the_pages_known_to_be_linked(crawls, role):
    """The crawl is not vacuous: pages each role can reach through its links are among those visited."""
    missing = ROLES[role][2] - crawls[role].paths()
    assert not missing, f"pages jamais atteintes : {sorted(missing)}\n{crawls[role].summary()}"


def test_referent_crawl_never_reaches_another_collectivity(crawls, live_server):
    """Every collectivity page the référent's links lead to is their own collectivity's."""
    own = live_server.collectivity_ids()[REFERENT_SLUG]
    reached = {int(found) for path in crawls["referent"].paths()
               for found in re.findall(r"^/collectivites/(\d+)", path)}
    assert reached <= {own}, f"collectivités atteintes : {sorted(reached)}, attendue : {own}"


# --- focus visible -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def team_page(chromium, live_server):
    """A page logged in as the project team, on a tablet held landscape."""
    context = chromium.new_context(viewport=TABLET_LANDSCAPE, locale="fr-FR")
    page = context.new_page()
    console = Console(page)
    log_in(page, console, live_server.url, "equipe@demo.hub")
    yield page, console
    context.close()


def test_focus_is_visible_on_the_login_page(chromium, live_server):
    """Tabbing through the login form, every focused element shows a visible focus indicator."""
    context = chromium.new_context(viewport=TABLET_PORTRAIT, locale="fr-FR")
    page = context.new_page()
    try:
        open_page(page, Console(page), f"{live_server.url}/connexion")
        reached, problems = tab_through(page)
    finally:
        context.close()
    assert len(reached) >= 4, f"trop peu d'éléments atteints au clavier : {reached}"
    assert not problems, "focus invisible :\n" + "\n".join(problems)


@pytest.mark.parametrize("path", ["/irritants", "/ateliers/{planned}/saisie", "/irritants/nouveau",
                                  f"{PROGRAMME}/parametres"])
def test_focus_is_visible_on_team_pages(team_page, live_server, path):
    """Tabbing through a list, the capture page and form pages, every focused element shows its focus."""
    page, console = team_page
    url = live_server.url + path.format(planned=live_server.planned_workshop_id())
    open_page(page, console, url)
    reached, problems = tab_through(page)
    assert len(reached) >= 4, f"trop peu d'éléments atteints au clavier sur {url} : {reached}"
    assert not problems, f"focus invisible sur {url} :\n" + "\n".join(problems)
