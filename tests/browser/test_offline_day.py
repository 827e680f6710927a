"""A day of capture without network, on a tablet: the acceptance test of « the queue as a list ».

The capture page opens from the service worker's copy, twenty entries (five with a photo, one carrying a GPS
position) wait on the tablet across a closed page, one is corrected in place, one is removed after a confirmation,
the session ends; back online and logged in again, the queue leaves in order, each entry once, each photo once and
attached to its entry, and the photo kept on the server carries no GPS position.
"""

from __future__ import annotations

import io
import re
import secrets

import pytest
from playwright.sync_api import expect

from tests.browser.pages import Console, check_page, log_in

pytestmark = pytest.mark.browser

PORTRAIT = {"width": 820, "height": 1180}
LANDSCAPE = {"width": 1180, "height": 820}
WAIT = 60_000  # ms: every wait is bounded
ENTRIES = 20
WITH_PHOTO = (0, 4, 9, 14, 19)  # the last one too: the queue is empty only once its photo has left
CORRECTED = 4  # an entry with a photo: the correction keeps it
GPS_TAG = 0x8825
CLOCK = re.compile(r"^\d{2}:\d{2}$")  # HH:MM, the time of capture as the list shows it


def _jpeg(path, colour, gps: bool = False):
    """A small JPEG made with Pillow; with ``gps``, an EXIF block giving a position."""
    from PIL import Image

    image = Image.new("RGB", (2400, 1800), colour)  # larger than 1600 px: the tablet makes it smaller
    exif = Image.Exif()
    if gps:
        exif[GPS_TAG] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 7.0)}
    image.save(path, "JPEG", quality=80, exif=exif.tobytes())
    return path


def _controlled(page) -> bool:
    return page.evaluate("navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller)")


def _no_overflow(page) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"la page déborde : {width[0]} px pour {width[1]} px de large"


def _touch_targets(page) -> None:
    small = page.evaluate("""() => Array.from(document.querySelectorAll(
        '#capture-form button:not([hidden]), #capture-queue button, #capture-form input[type=file]'))
      .map(b => [b.textContent.trim(), b.getBoundingClientRect()])
      .filter(([_, r]) => r.width > 0 && (r.height < 44 || r.width < 44))
      .map(([t, r]) => `${t} ${Math.round(r.width)}x${Math.round(r.height)}`)""")
    assert not small, f"cibles tactiles de moins de 44 px : {small}"


def _capture(page, title: str, photo=None) -> None:
    """Keyboard first, as on site: the title, a photo when there is one, then Enter in the title field."""
    page.get_by_label("Intitulé").fill(title)
    if photo is not None:
        page.set_input_files("#photos", str(photo))
        expect(page.locator("#photos-chosen img")).to_have_count(1, timeout=WAIT)  # the thumbnail, from the tablet
        assert photo.name in page.locator("#photos-chosen img").get_attribute("alt")
    page.get_by_label("Intitulé").press("Enter")
    assert page.get_by_label("Intitulé").input_value() == ""  # the next entry starts at once


STORED_PHOTOS = """([account, workshop]) => HubCaptureStore.open(account, workshop)
  .then((store) => store.photos())
  .then((photos) => Promise.all(photos.map((photo) => photo.blob.arrayBuffer()
    .then((buffer) => Array.from(new Uint8Array(buffer))))))"""


def _stored_jpegs(page):
    """The photos waiting in the tablet's store, as they will be sent, opened with Pillow."""
    from PIL import Image

    owner = [page.get_attribute("#capture-form", "data-account"), page.get_attribute("#capture-form", "data-workshop")]
    return [Image.open(io.BytesIO(bytes(data))) for data in page.evaluate(STORED_PHOTOS, owner)]


def test_a_day_of_capture_offline(chromium, live_server, tmp_path):
    from PIL import Image

    context = chromium.new_context(viewport=PORTRAIT, locale="fr-FR")
    try:
        page = context.new_page()
        console = Console(page)
        log_in(page, console, live_server.url, "equipe@demo.hub")
        workshop_id = live_server.planned_workshop_id()
        capture = f"{live_server.url}/ateliers/{workshop_id}/saisie"

        # Online first: the service worker takes the page, which is then kept with its scripts.
        page.goto(capture)
        if not _controlled(page):
            page.reload()
        assert _controlled(page), "le service worker ne contrôle pas la page de saisie"
        page.reload()  # loaded through the worker: the page and its scripts are in its caches
        expect(page.get_by_label("Intitulé")).to_be_visible()
        # The day's hypotheses are one link away from the capture page.
        expect(page.get_by_role("link", name="Hypothèses du jour")).to_have_attribute(
            "href", f"/ateliers/{workshop_id}/hypotheses-du-jour")
        services = page.eval_on_selector("#service", "s => Array.from(s.options).map(o => o.value).filter(Boolean)")
        assert services, "le programme n'a aucun service"

        # The network goes: the page opens from the worker's copy.
        context.set_offline(True)
        page.reload()
        expect(page.get_by_label("Intitulé")).to_be_visible()
        page.get_by_label("Service").select_option(services[0])  # kept from one entry to the next

        suffix = secrets.token_hex(4)
        titles = [f"Journée {suffix} : irritant {number:02d}" for number in range(1, ENTRIES + 1)]
        colours = ["red", "green", "blue", "orange", "purple"]
        photos = {index: _jpeg(tmp_path / f"photo-{index:02d}.jpg", colours[n], gps=(n == 0))
                  for n, index in enumerate(WITH_PHOTO)}
        heading = page.locator("#capture-queue h2")
        for index, title in enumerate(titles):
            _capture(page, title, photos.get(index))
            expect(heading).to_have_text(f"En attente d'envoi ({index + 1})", timeout=WAIT)
        expect(page.locator("#capture-pending")).to_contain_text(f"{ENTRIES} saisies en attente")
        assert "Journée" not in page.locator("#captured-list").inner_text()

        # One more, removed after an in-page confirmation: it never reaches the server.
        removed = f"Journée {suffix} : saisie retirée"
        _capture(page, removed)
        expect(heading).to_have_text(f"En attente d'envoi ({ENTRIES + 1})", timeout=WAIT)
        page.get_by_role("button", name=f"Retirer « {removed} »").click()
        keep = page.get_by_role("button", name=f"Non, garder « {removed} »")
        expect(keep).to_be_focused()
        page.get_by_role("button", name=f"Oui, retirer « {removed} »").click()
        expect(heading).to_have_text(f"En attente d'envoi ({ENTRIES})", timeout=WAIT)
        expect(page.locator("#capture-status")).to_contain_text(f"Saisie retirée : {removed}")

        # The page is closed; another opens, still offline, from the worker's copy: the queue is still there.
        page.close()
        page = context.new_page()
        console = Console(page)
        page.goto(capture)
        heading = page.locator("#capture-queue h2")
        expect(heading).to_have_text(f"En attente d'envoi ({ENTRIES})", timeout=WAIT)
        items = page.locator("#capture-queue-list > li")
        expect(items).to_have_count(ENTRIES)
        for index in range(ENTRIES):
            expect(items.nth(index)).to_contain_text(titles[index])
            expect(items.nth(index)).to_contain_text("1 photo" if index in WITH_PHOTO else "aucune photo")
        expect(items.nth(0).locator("time")).to_have_text(CLOCK)
        # The photos wait on the tablet already smaller and without EXIF (so without GPS): the canvas re-encoded them.
        stored = _stored_jpegs(page)
        assert len(stored) == len(WITH_PHOTO)
        for image in stored:
            assert image.format == "JPEG" and max(image.size) == 1600
            assert GPS_TAG not in image.getexif() and "exif" not in image.info

        # The queue listed, checked in both orientations: axe, no overflow, touch targets.
        check_page(page, console)
        _no_overflow(page)
        _touch_targets(page)
        page.set_viewport_size(LANDSCAPE)
        check_page(page, console)
        _no_overflow(page)
        _touch_targets(page)
        page.set_viewport_size(PORTRAIT)

        # One pending entry corrected in place: same key, same place, its photo kept.
        old_title = titles[CORRECTED]
        new_title = f"Journée {suffix} : corrigé, ex-{CORRECTED + 1:02d}"
        page.get_by_role("button", name=f"Modifier « {old_title} »").click()
        expect(page.get_by_label("Intitulé")).to_have_value(old_title)
        expect(page.get_by_label("Intitulé")).to_be_focused()
        expect(page.locator("#capture-submit")).to_have_text("Enregistrer la correction")
        expect(page.locator("#photos-chosen img")).to_have_count(1, timeout=WAIT)
        page.get_by_label("Intitulé").fill(new_title)
        page.locator("#capture-submit").click()
        expect(items.nth(CORRECTED)).to_contain_text(new_title, timeout=WAIT)
        expect(items.nth(CORRECTED)).to_contain_text("1 photo")
        expect(page.locator("#capture-queue")).not_to_contain_text(old_title)
        expect(page.locator("#capture-submit")).to_have_text("Enregistrer et saisir le suivant")
        expect(heading).to_have_text(f"En attente d'envoi ({ENTRIES})")
        titles[CORRECTED] = new_title

        # The session ends (the browser closed its cookie); the network comes back: the page says so, keeps all.
        context.clear_cookies()
        context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        expect(page.locator("#capture-feedback")).to_contain_text("Votre session a pris fin", timeout=WAIT)
        expect(heading).to_have_text(f"En attente d'envoi ({ENTRIES})")

        # Logged in again, back on the capture page: the queue leaves, each entry shown as it is recorded.
        console.clear()
        log_in(page, console, live_server.url, "equipe@demo.hub")
        page.goto(capture)
        listed = page.locator("#captured-list")
        expect(listed).to_contain_text(titles[-1], timeout=WAIT)
        expect(page.locator("#capture-status")).to_contain_text(f"Enregistré : {titles[-1]}")  # seen, not hidden
        assert page.locator("#capture-status").is_visible()
        expect(page.locator("#capture-queue")).to_be_hidden(timeout=WAIT)
        expect(page.locator("#capture-pending")).to_contain_text("Aucune saisie en attente", timeout=WAIT)
        expect(page.locator("#capture-blocked")).to_be_hidden()
        assert old_title not in listed.inner_text()

        # On the server: each entry once, in the order captured, the correction and not the old title.
        rows = live_server.query("SELECT id, title, created_at FROM irritant WHERE title LIKE ? ORDER BY id",
                                 f"Journée {suffix}%")
        assert [row[1] for row in rows] == titles
        assert [row[2] for row in rows] == sorted(row[2] for row in rows)
        # Exactly five photos, each on its entry (the corrected one kept its own).
        photo_rows = live_server.query(
            "SELECT p.id, i.title FROM irritant_photo p JOIN irritant i ON i.id = p.irritant_id WHERE i.title LIKE ?"
            " ORDER BY i.id", f"Journée {suffix}%")
        assert sorted(row[1] for row in photo_rows) == sorted(titles[index] for index in WITH_PHOTO)
        # The photo that carried a GPS position is kept without it, as the tablet sent it.
        gps_photo = next(row[0] for row in photo_rows if row[1] == titles[WITH_PHOTO[0]])
        response = page.request.get(f"{live_server.url}/photos/{gps_photo}")
        assert response.status == 200
        kept = Image.open(io.BytesIO(response.body()))
        assert max(kept.size) <= 1600
        assert GPS_TAG not in kept.getexif()
    finally:
        context.close()
