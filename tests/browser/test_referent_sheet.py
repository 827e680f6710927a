"""A référent reaches their collectivity's sheet from their home in a real browser, and no other collectivity's."""

from __future__ import annotations

import re

import pikepdf
import pytest
from playwright.sync_api import expect

from tests.browser.pages import Console, check_page, log_in, open_page

pytestmark = pytest.mark.browser

PROGRAMME_SLUG = "experimentation-ia-2024-bfc"
REFERENT_SLUG = "chalon-sur-saone"
TABLET = {"width": 768, "height": 1024}


@pytest.fixture
def referent(chromium, live_server):
    """A page logged in as Chalon-sur-Saône's référent, at a tablet's portrait size."""
    context = chromium.new_context(viewport=TABLET, locale="fr-FR")
    page = context.new_page()
    console = Console(page)
    log_in(page, console, live_server.url, f"referent.{REFERENT_SLUG}@demo.hub")
    yield page, console
    context.close()


def _others(live_server) -> list[tuple[str, str]]:
    """The other collectivities enrolled in the programme: (slug, name)."""
    return live_server.query(
        "SELECT c.slug, c.name FROM collectivity c JOIN enrolment e ON e.collectivity_id = c.id "
        "JOIN programme p ON p.id = e.programme_id WHERE p.slug = ? AND c.slug != ? "
        "AND e.status IN ('enrolled', 'completed') ORDER BY c.name", PROGRAMME_SLUG, REFERENT_SLUG)


def _download_sheet(page, link) -> pikepdf.Pdf:
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == f"fiche-{REFERENT_SLUG}-{PROGRAMME_SLUG}.pdf"
    return pikepdf.open(download.path())


def test_referent_reaches_their_sheet_in_two_clicks_and_not_anothers(referent, live_server):
    page, console = referent
    check_page(page, console)
    assert page.url == f"{live_server.url}/"

    # Click 1: from the board to the collectivity's page; click 2: its sheet.
    console.clear()
    with page.expect_navigation():
        page.get_by_role("button", name="Fiche de la collectivité", exact=True).click()
    check_page(page, console)
    with _download_sheet(page, page.get_by_role("link", name="Fiche de la collectivité (PDF)")) as pdf:
        assert str(pdf.Root.Lang) == "fr"
        assert len(pdf.pages) >= 1

    # The board offers it in one click too.
    open_page(page, console, f"{live_server.url}/mon-tableau")
    with _download_sheet(page, page.get_by_role("button", name="Fiche de la collectivité (PDF)")):
        pass

    others = _others(live_server)
    assert others, "la démonstration devrait engager d'autres collectivités"
    foreign_slug, _name = others[0]
    open_page(page, console, f"{live_server.url}/programmes/{PROGRAMME_SLUG}/collectivites/{foreign_slug}/fiche.pdf",
              status=404)


def test_referent_reads_the_key_figures_without_other_collectivities(referent, live_server):
    page, console = referent
    open_page(page, console, f"{live_server.url}/mon-tableau")
    console.clear()
    with page.expect_navigation():
        page.get_by_role("button", name="Fiche de la collectivité", exact=True).click()
    console.clear()
    with page.expect_navigation():
        page.get_by_role("link", name="Chiffres clés du programme").click()
    check_page(page, console)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chiffres clés")
    expect(page.get_by_role("row", name=re.compile("Collectivités engagées"))).to_be_visible()
    text = page.locator("main").inner_text()
    leaked = [name for _slug, name in _others(live_server) if name in text]
    assert not leaked, f"noms d'autres collectivités sur les chiffres clés : {leaked}"
