"""The main page of each role, photographed: ``make screenshots`` writes them to ``docs/screenshots/``.

In the ordinary suite the pictures go to a temporary folder, so the code that takes them is tested without
touching the repository; ``HUB_SCREENSHOTS_DIR`` names the folder to write to.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.pages import Console, check_page, log_in

pytestmark = pytest.mark.browser

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PROGRAMME = "/programmes/experimentation-ia-2024-bfc"

# file name, account, path (None: where the account lands after logging in), viewport
SHOTS = [
    ("1-equipe-accueil.png", "equipe@demo.hub", None, {"width": 1280, "height": 900}),
    ("2-equipe-saisie-tablette.png", "equipe@demo.hub", "capture", {"width": 820, "height": 1180}),
    ("3-referent-tableau.png", "referent.chalon-sur-saone@demo.hub", "/mon-tableau", {"width": 1024, "height": 900}),
    ("11-referent-accueil.png", "referent.chalon-sur-saone@demo.hub", None, {"width": 1024, "height": 900}),
    ("12-comite-tableau-de-bord.png", "comite@demo.hub", None, {"width": 1280, "height": 900}),
    ("4-comite-rapport-publie.png", "comite@demo.hub", f"{PROGRAMME}/rapport/versions/1",
     {"width": 1280, "height": 900}),
    ("5-admin-publication.png", "admin@demo.hub", f"{PROGRAMME}/rapport/versions", {"width": 1280, "height": 900}),
]


@pytest.fixture(scope="module")
def screenshot_dir(tmp_path_factory) -> Path:
    """Where the pictures go: ``HUB_SCREENSHOTS_DIR`` when set (``make screenshots``), else a temporary folder."""
    chosen = os.environ.get("HUB_SCREENSHOTS_DIR")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("name, email, path, viewport", SHOTS, ids=[shot[0] for shot in SHOTS])
def test_main_page_of_each_role_is_photographed(chromium, live_server, screenshot_dir, name, email, path, viewport):
    context = chromium.new_context(viewport=viewport, locale="fr-FR")
    page = context.new_page()
    console = Console(page)
    log_in(page, console, live_server.url, email)
    if path is not None:
        target = f"/ateliers/{live_server.planned_workshop_id()}/saisie" if path == "capture" else path
        response = page.goto(f"{live_server.url}{target}")
        assert response is not None and response.status == 200, f"{target} : HTTP {response and response.status}"
    check_page(page, console)
    out = screenshot_dir / name
    page.screenshot(path=str(out), full_page=False)
    context.close()
    data = out.read_bytes()
    assert data.startswith(PNG_SIGNATURE) and len(data) > 10_000, f"{out} n'est pas une capture d'écran complète"


def test_the_capture_on_a_tablet_is_photographed_online_and_offline(chromium, live_server, screenshot_dir, tmp_path):
    """The tablet in portrait, online with a photo chosen, then offline: the banner and the entries waiting."""
    from PIL import Image

    photo = tmp_path / "formulaire-papier.jpg"
    Image.new("RGB", (1200, 900), "#c8d6e5").save(photo, "JPEG")
    context = chromium.new_context(viewport={"width": 820, "height": 1180}, locale="fr-FR")
    page = context.new_page()
    console = Console(page)
    log_in(page, console, live_server.url, "equipe@demo.hub")
    page.goto(f"{live_server.url}/ateliers/{live_server.planned_workshop_id()}/saisie")
    # The service worker keeps the page once it controls it: the first visit installs it, a reload puts it in charge.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    assert page.evaluate("navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller)")
    services = page.eval_on_selector("#service", "s => Array.from(s.options).map(o => o.value).filter(Boolean)")
    page.get_by_label("Service").select_option(services[0])
    page.get_by_label("Intitulé").fill("Formulaire papier ressaisi dans le logiciel")
    page.set_input_files("#photos", str(photo))
    expect(page.locator("#photos-chosen img")).to_have_count(1, timeout=30_000)
    check_page(page, console)
    page.locator("#photos").scroll_into_view_if_needed()  # the photo chosen, shown small, and the button to save
    page.screenshot(path=str(screenshot_dir / "13-saisie-tablette-en-ligne.png"))

    context.set_offline(True)
    page.reload()
    expect(page.locator("#offline-banner")).to_be_visible()
    page.get_by_label("Service").select_option(services[0])  # kept from one entry to the next
    for title, with_photo in (("Double saisie des congés dans deux outils", True),
                              ("Accueil téléphonique sans fiche de suivi", False)):
        page.get_by_label("Intitulé").fill(title)
        if with_photo:
            page.set_input_files("#photos", str(photo))
            expect(page.locator("#photos-chosen img")).to_have_count(1, timeout=30_000)
        page.get_by_label("Intitulé").press("Enter")
    expect(page.locator("#capture-queue-list li")).to_have_count(2, timeout=30_000)
    page.locator("#capture-queue").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "14-saisie-tablette-hors-ligne.png"))
    context.close()  # offline to the end: the two entries stay on this tablet, the demo database is untouched
    for name in ("13-saisie-tablette-en-ligne.png", "14-saisie-tablette-hors-ligne.png"):
        data = (screenshot_dir / name).read_bytes()
        assert data.startswith(PNG_SIGNATURE) and len(data) > 10_000, name


def test_the_published_report_pages_are_rendered_as_images(live_server, screenshot_dir):
    """The demo's published PDF as a committee receives it: cover, contents, summary and the first two annexes."""
    (pdf,), = live_server.query("SELECT pdf FROM report_version WHERE status = 'ready' ORDER BY number LIMIT 1")
    source = screenshot_dir / "rapport.pdf"
    source.write_bytes(pdf)
    pages = subprocess.run(["pdftotext", "-layout", str(source), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    first_annex = next(n for n, text in enumerate(pages, start=1)
                       if "Annexes : une page par collectivité" in text and n > 2)
    wanted = {1: "6-rapport-couverture", 2: "7-rapport-sommaire", 3: "8-rapport-synthese",
              first_annex: "9-rapport-annexe-1", first_annex + 1: "10-rapport-annexe-2"}
    for number, name in wanted.items():
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", "-f", str(number), "-l", str(number),
                        str(source), str(screenshot_dir / name)], check=True)
        data = (screenshot_dir / f"{name}.png").read_bytes()
        assert data.startswith(PNG_SIGNATURE) and len(data) > 10_000, name
    source.unlink()
