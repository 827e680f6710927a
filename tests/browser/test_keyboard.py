"""The capture form and the irritant board with the keyboard alone: no click, no script-set focus."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.pages import Console, check_page, log_in, open_page

pytestmark = pytest.mark.browser

TABLET = {"width": 768, "height": 1024}
MAX_TABS = 80


def tab_until(page, selector: str) -> int:
    """Press Tab until the focused element matches ``selector``; return how many presses it took."""
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return presses
    focused = page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
    raise AssertionError(f"{selector} jamais atteint en {MAX_TABS} tabulations (focus sur {focused})")


def _focused(page, expression: str):
    return page.evaluate(f"document.activeElement.{expression}")


@pytest.fixture
def keyboard_page(chromium, live_server):
    """A tablet-sized page; yields ``(page, console)``; the caller logs in."""
    context = chromium.new_context(viewport=TABLET, locale="fr-FR")
    page = context.new_page()
    yield page, Console(page)
    context.close()


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_content(keyboard_page, live_server):
    page, console = keyboard_page
    log_in(page, console, live_server.url, "equipe@demo.hub")
    page.keyboard.press("Tab")
    assert _focused(page, "textContent.trim()") == "Aller au contenu"
    page.keyboard.press("Enter")
    assert _focused(page, "id") == "contenu"


def test_capture_with_the_keyboard_alone(keyboard_page, live_server):
    page, console = keyboard_page
    log_in(page, console, live_server.url, "equipe@demo.hub")
    page.goto(f"{live_server.url}/ateliers/{live_server.planned_workshop_id()}/saisie")
    check_page(page, console)

    tab_until(page, "#title")
    page.keyboard.type("Clavier : convocations du conseil mises sous pli à la main")
    page.keyboard.press("Tab")
    assert _focused(page, "id") == "service"
    # A menu now: type-ahead picks « assemblées » (Playwright types accented letters as inserted text).
    page.keyboard.type("assembl")
    page.keyboard.press("Tab")
    assert _focused(page, "id") == "theme"
    page.keyboard.press("ArrowDown")
    chosen_theme = page.get_by_label("Thématique").input_value()
    assert chosen_theme, "la flèche n'a pas choisi de thématique"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # Enter in a text field sends the entry

    listed = page.locator("#captured-list")
    expect(listed).to_contain_text("Clavier : convocations du conseil")
    assert _focused(page, "id") == "title", "le focus revient sur l'intitulé pour la saisie suivante"
    saved = live_server.query("SELECT service, theme FROM irritant WHERE title LIKE 'Clavier : convocations%'")
    assert saved == [("assemblées", chosen_theme)]

    # The entry just saved is one Tab-walk away, and Enter opens it.
    tab_until(page, "#captured-list a")
    while "Clavier" not in _focused(page, "textContent"):
        page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Clavier : convocations du conseil")


def test_the_board_with_the_keyboard_alone(keyboard_page, live_server):
    page, console = keyboard_page
    log_in(page, console, live_server.url, "referent.chalon-sur-saone@demo.hub")
    open_page(page, console, f"{live_server.url}/mon-tableau")

    tab_until(page, "#theme")
    page.keyboard.press("ArrowDown")
    theme = page.get_by_label("Thématique").input_value()
    assert theme
    tab_until(page, "form.filters button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert parse_qs(urlparse(page.url).query).get("theme") == [theme]
    expect(page.get_by_label("Thématique")).to_have_value(theme)

    tab_until(page, ".board-card a")
    title = _focused(page, "textContent.trim()")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    check_page(page, console)

    # Back on the board, the proposal form opens from the keyboard too.
    page.go_back()
    tab_until(page, "a[href='/irritants/nouveau']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Proposer un irritant")
