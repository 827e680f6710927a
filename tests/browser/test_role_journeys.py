"""Each role starts from its home and reaches its job in at most three clicks, in a real browser, axe on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.pages import Console, check_page, log_in

pytestmark = pytest.mark.browser

TABLET = {"width": 768, "height": 1024}
LAPTOP = {"width": 1280, "height": 800}
REFERENT_SLUG = "chalon-sur-saone"


@pytest.fixture
def as_role(chromium, live_server):
    """A factory: a fresh browser logged in as ``email``, on the home it lands on; ``(page, console)``."""
    contexts = []

    def make(email: str, viewport: dict = LAPTOP):
        context = chromium.new_context(viewport=viewport, locale="fr-FR")
        contexts.append(context)
        page = context.new_page()
        console = Console(page)
        log_in(page, console, live_server.url, email)
        assert page.url == f"{live_server.url}/", f"{email} n'arrive pas sur son accueil : {page.url}"
        check_page(page, console)
        return page, console

    yield make
    for context in contexts:
        context.close()


class Clicks:
    """Counts the clicks of a journey, each checked on the page it lands on (status, CSP, axe)."""

    def __init__(self, page, console: Console):
        self.page, self.console, self.count = page, console, 0

    def follow(self, locator) -> None:
        """Click a link or a button that opens another page, and check that page."""
        self.count += 1
        self.console.clear()
        with self.page.expect_navigation():
            locator.click()
        check_page(self.page, self.console)


def test_team_home_to_the_next_workshops_capture_in_one_click(as_role, live_server):
    page, console = as_role("equipe@demo.hub", TABLET)
    clicks = Clicks(page, console)
    block = page.locator("article[aria-labelledby=bloc-ateliers]")
    expect(block).to_contain_text("Héry")  # the demo's next workshop, planned in 2027
    clicks.follow(block.get_by_role("button", name=re.compile("^Saisie sur site")).first)
    assert re.search(r"/ateliers/\d+/saisie$", page.url)
    expect(page.get_by_label("Intitulé")).to_be_visible()
    assert clicks.count <= 3


def test_team_home_to_a_proposal_to_review_in_one_click(as_role, live_server):
    page, console = as_role("equipe@demo.hub")
    clicks = Clicks(page, console)
    block = page.locator("article[aria-labelledby=bloc-propositions]")
    oldest = block.locator("li a").first
    title = oldest.inner_text()
    clicks.follow(oldest)
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    expect(page.locator("main")).to_contain_text("Proposé")
    assert clicks.count <= 3


def test_referent_home_to_their_board_and_their_sheet(as_role, live_server):
    email = f"referent.{REFERENT_SLUG}@demo.hub"
    try:
        page, console = as_role(email, TABLET)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Chalon-sur-Saône")
        with page.expect_download() as download_info:
            page.get_by_role("button", name="Fiche de la collectivité (PDF)").click()
        assert download_info.value.suggested_filename.startswith(f"fiche-{REFERENT_SLUG}-")
        clicks = Clicks(page, console)
        clicks.follow(page.get_by_role("button", name="Mon tableau des irritants"))
        assert page.url == f"{live_server.url}/mon-tableau"
        expect(page.get_by_role("heading", level=1)).to_contain_text("Chalon-sur-Saône")
        assert clicks.count <= 3
    finally:
        # The visit is remembered for the next one's news: the shared demo base gets its state back.
        live_server.query("UPDATE user_account SET home_seen_at = NULL WHERE email = ?", email)


def test_committee_home_to_a_figure_to_an_irritant_behind_a_decision_read_only(as_role, live_server):
    page, console = as_role("comite@demo.hub")
    clicks = Clicks(page, console)
    decisions = page.locator("section[aria-labelledby=decisions]")
    expect(decisions.locator("img")).to_have_attribute("alt", re.compile("Irritants par décision du comité"))
    figure = decisions.get_by_role("link").first
    clicks.follow(figure)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Décisions du comité")
    irritant = page.locator("main table a").first
    title = irritant.inner_text()
    clicks.follow(irritant)
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    expect(page.locator("section[aria-labelledby=decisions]")).to_be_visible()
    # Read-only: the committee is offered no form that would write (no role may meet a form it cannot submit).
    writing = page.locator("main form[method=post]")
    assert writing.count() == 0, f"{writing.count()} formulaire(s) d'écriture montrés au comité"
    assert clicks.count <= 3


def test_admin_home_to_the_accounts_in_one_click(as_role, live_server):
    page, console = as_role("admin@demo.hub")
    clicks = Clicks(page, console)
    section = page.locator("section[aria-labelledby=administration]")
    expect(section).to_contain_text("Invitations en attente")
    clicks.follow(section.get_by_role("button", name="Comptes", exact=True))
    assert page.url == f"{live_server.url}/comptes"
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert clicks.count <= 3
