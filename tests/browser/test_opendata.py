"""The public open-data page in a real browser: no login, axe-core clean, no CSP error."""

from __future__ import annotations

import pytest

from tests.browser.pages import Console, open_page

pytestmark = pytest.mark.browser


def test_open_data_page_is_accessible_without_logging_in(chromium, live_server):
    context = chromium.new_context(viewport={"width": 768, "height": 1024}, locale="fr-FR")
    page = context.new_page()
    console = Console(page)
    try:
        open_page(page, console, f"{live_server.url}/donnees-ouvertes/experimentation-ia-2024-bfc")
        assert page.get_by_role("link", name="Le catalogue au format CSV").count() == 1
        open_page(page, console, f"{live_server.url}/donnees-ouvertes/inconnu", status=404)
    finally:
        context.close()
