"""A person switches the interface to English in the browser and keeps it, on every page and at the next login."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import expect

from tests.browser.crawl import crawl
from tests.browser.pages import Console, check_page, log_in, open_page

pytestmark = pytest.mark.browser

TABLET = {"width": 768, "height": 1024}
EMAIL = "referent.le-grand-chalon@demo.hub"
# The page's text outside the parts marked as French on purpose (a frozen published report, published metadata).
INTERFACE_TEXT = """() => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll('[lang]:not([lang^="en"])').forEach(part => part.remove());
  return copy.textContent;
}"""
# Sentences of the interface that the demo programme also uses as data (its milestones' labels, typed in French).
ALSO_DATA = {"Ateliers « vis ma vie »", "Comité de pilotage", "Journée de lancement"}
ENGLISH_CATALOG = Path(__file__).resolve().parents[2] / "hub/translations/en/LC_MESSAGES/messages.po"
# 1,234 in English; 1 234 (narrow no-break space) in French.
ENGLISH_THOUSANDS = re.compile(r"\d,\d{3}")
FRENCH_THOUSANDS = re.compile(r"\d[\u202f\u00a0]\d{3}")


def _switch_to(page, console: Console, language: str) -> None:
    page.get_by_label("Langue" if language == "English" else "Language").select_option(label=language)
    console.clear()
    with page.expect_navigation():
        page.get_by_role("button", name="Changer" if language == "English" else "Change").click()
    check_page(page, console)


def _cost_text(page) -> str:
    return page.locator("dl.figures").inner_text()


def test_switching_to_english_is_kept_across_pages_and_logins(chromium, live_server):
    context = chromium.new_context(viewport=TABLET, locale="fr-FR")
    page = context.new_page()
    console = Console(page)
    log_in(page, console, live_server.url, EMAIL)
    home_url = page.url
    open_page(page, console, f"{live_server.url}/mon-tableau")
    page.locator(".board-card a").first.click()
    page.wait_for_load_state("load")
    irritant_url = page.url
    french_costs = _cost_text(page)
    assert FRENCH_THOUSANDS.search(french_costs), french_costs

    _switch_to(page, console, "English")
    assert page.url == irritant_url, "le changement ramène à la page où il a été fait"
    expect(page.locator("html")).to_have_attribute("lang", "en")
    english_costs = _cost_text(page)
    assert ENGLISH_THOUSANDS.search(english_costs) and not FRENCH_THOUSANDS.search(english_costs), english_costs
    expect(page.get_by_role("navigation", name="Main navigation")).to_contain_text("My board")

    page.goto(f"{live_server.url}/ateliers")
    check_page(page, console)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main")).to_contain_text(re.compile(r"(January|February|March|April|May|June|July|August|"
                                                            r"September|October|November|December) \d{1,2}, 2024"))
    page.get_by_role("button", name="Log out").click()
    context.close()

    # Another browser, another day: the account remembers the language.
    context = chromium.new_context(viewport=TABLET, locale="fr-FR")
    page = context.new_page()
    console = Console(page)
    log_in(page, console, live_server.url, EMAIL)
    assert page.url == home_url
    expect(page.locator("html")).to_have_attribute("lang", "en")
    open_page(page, console, f"{live_server.url}/mon-tableau")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pain-point board")
    _switch_to(page, console, "Français")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tableau des irritants")
    context.close()


def _french_sentences() -> set[str]:
    """The catalogue's French sentences whose English differs: none may be left on an English page."""
    catalog = read_po(ENGLISH_CATALOG.open("rb"))
    return {message.id for message in catalog
            if isinstance(message.id, str) and "%" not in message.id and len(message.id.split()) >= 3
            and message.string and message.string != message.id}


@pytest.mark.parametrize("email", ["equipe@demo.hub", "referent.chalon-sur-saone@demo.hub"])
def test_every_page_a_role_reaches_in_english_is_in_english(chromium, live_server, email):
    french = _french_sentences()
    context = chromium.new_context(viewport=TABLET, locale="en-GB")
    page = context.new_page()
    console = Console(page)
    log_in(page, console, live_server.url, email)
    _switch_to(page, console, "English")

    def no_french_left(page) -> None:
        text = " ".join(page.evaluate(INTERFACE_TEXT).split())
        left = sorted(sentence for sentence in french if sentence in text and sentence not in ALSO_DATA)
        assert not left, f"{page.url} : phrases restées en français : {left[:5]}"
        lang = page.locator("html").get_attribute("lang")
        assert lang == "en", f"{page.url} : lang={lang}"

    try:
        result = crawl(page, console, role=email, base_url=live_server.url, inspect=no_french_left)
    finally:  # the account keeps its language: put it back in French for the tests that read French labels
        page.goto(f"{live_server.url}/")
        _switch_to(page, console, "Français")
        context.close()
    assert len(result.visited) > 5, result.summary()
    assert not result.failures, "\n\n".join(result.failures)
