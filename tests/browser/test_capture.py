"""On-site capture in a real browser, on a tablet, with the network cut: nothing typed is lost, nothing doubles."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from tests.browser.pages import Console, check_page, log_in

pytestmark = pytest.mark.browser

TABLET = {"width": 768, "height": 1024}


@dataclass
class Tablet:
    """A tablet's browser logged in as the project team, on the capture page of a planned workshop."""

    context: object
    page: object
    console: Console
    workshop_id: int
    capture: str  # the capture page's URL


@pytest.fixture
def tablet(chromium, live_server):
    """A tablet of its own for each test (its cookies, its storage, its network), closed at the test's end."""
    context = chromium.new_context(viewport=TABLET, locale="fr-FR")
    page = context.new_page()
    console = Console(page)
    log_in(page, console, live_server.url, "equipe@demo.hub")
    workshop_id = live_server.planned_workshop_id()
    capture = f"{live_server.url}/ateliers/{workshop_id}/saisie"
    page.goto(capture)
    yield Tablet(context, page, console, workshop_id, capture)
    context.close()


def _saved(live_server, title: str) -> int:
    return live_server.query("SELECT count(*) FROM irritant WHERE title = ?", title)[0][0]


def _type_entry(page, title: str, service: str) -> None:
    """Keyboard only: the title field has the focus; type, Tab to the service, type, Enter.

    The service is a menu of the programme's list, chosen by typing its first letters: plain letters only, since
    Playwright types an accented letter as inserted text, which a menu does not take (a tablet's key does).
    """
    page.keyboard.type(title)
    page.keyboard.press("Tab")
    page.keyboard.type(service)
    page.keyboard.press("Enter")


def test_capture_offline_then_online_saves_each_entry_once(tablet, live_server):
    context, page = tablet.context, tablet.page
    check_page(page, tablet.console)
    pending = page.locator("#capture-pending")
    listed = page.locator("#captured-list")

    page.get_by_label("Intitulé").focus()
    context.set_offline(True)
    _type_entry(page, "Hors ligne : courrier papier", "accueil")
    assert page.evaluate("document.activeElement.name") == "title"  # ready for the next one
    assert page.get_by_label("Intitulé").input_value() == ""
    _type_entry(page, "Hors ligne : actes à retrouver", "secr")  # « secrétariat de mairie »
    expect(pending).to_contain_text("2 saisies en attente")
    assert "Hors ligne" not in listed.inner_text()
    assert _saved(live_server, "Hors ligne : courrier papier") == 0

    context.set_offline(False)
    expect(pending).to_contain_text("Aucune saisie en attente", timeout=20000)
    assert "Hors ligne : courrier papier" in listed.inner_text()
    assert "Hors ligne : actes à retrouver" in listed.inner_text()
    # Sent again on purpose: the page's periodic retry finds an empty queue, and a reload lists each once.
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.reload()
    assert listed.inner_text().count("Hors ligne : courrier papier") == 1
    assert _saved(live_server, "Hors ligne : courrier papier") == 1
    assert _saved(live_server, "Hors ligne : actes à retrouver") == 1
    assert "Aucune saisie" in pending.inner_text()


def test_an_incomplete_entry_stays_in_the_form(tablet):
    page = tablet.page
    page.get_by_label("Intitulé").focus()
    page.keyboard.press("Tab")
    page.keyboard.type("accueil")
    page.keyboard.press("Enter")  # no title: the browser keeps the entry and points at the field
    assert page.evaluate("document.activeElement.name") == "title"
    assert page.get_by_label("Service").input_value() == "accueil"
    assert "Aucune saisie" in page.locator("#capture-pending").inner_text()

    # What only the server can refuse comes back into the form with its French message.
    page.evaluate("document.getElementById('title').removeAttribute('required')")
    page.keyboard.press("Enter")
    expect(page.locator("#title-client-error")).to_contain_text("Donnez un intitulé court")
    assert page.get_by_label("Intitulé").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Service").input_value() == "accueil"


def test_an_entry_typed_before_the_browser_closed_leaves_after_the_next_login(tablet, live_server):
    # Offline, an entry waits; the tablet's browser is closed (its session cookie ends); the facilitator logs in
    # again and goes online: the entry must leave with the new session's token, once, and block nothing.
    context, page, console = tablet.context, tablet.page, tablet.console
    pending, feedback = page.locator("#capture-pending"), page.locator("#capture-feedback")
    page.get_by_label("Intitulé").focus()
    context.set_offline(True)
    _type_entry(page, "Avant fermeture : registre papier", "accueil")
    expect(pending).to_contain_text("1 saisie en attente")
    context.clear_cookies()  # the browser was closed: its session cookie is gone
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(feedback).to_contain_text("Votre session a pris fin", timeout=20000)
    expect(pending).to_contain_text("1 saisie en attente")  # kept on the tablet, not lost, not refused
    console.clear()
    log_in(page, console, live_server.url, "equipe@demo.hub")
    page.goto(tablet.capture)
    # Listed once the server has recorded it (the page opens saying nothing waits before its script runs).
    expect(page.locator("#captured-list")).to_contain_text("Avant fermeture : registre papier", timeout=20000)
    expect(pending).to_contain_text("Aucune saisie en attente")
    assert page.locator("#capture-blocked").is_hidden()
    assert _saved(live_server, "Avant fermeture : registre papier") == 1


def test_an_entry_the_server_refuses_is_set_aside_and_holds_up_no_other(tablet, live_server):
    page = tablet.page
    # An entry waiting on the tablet that the server cannot take: too large once sent (413 past 5 MB).
    page.evaluate("""(workshop) => localStorage.setItem("hub.capture.workshop." + workshop, JSON.stringify([
        {client_key: "trop-gros", title: "Pièce jointe collée", service: "accueil", kind: "irritant",
         description: "é".repeat(1024 * 1024)}]))""", str(tablet.workshop_id))  # 1 M characters stored, 6 MB sent
    page.reload()
    blocked = page.locator("#capture-blocked")
    expect(blocked).to_be_visible(timeout=20000)
    expect(blocked).to_contain_text("Pièce jointe collée")
    expect(blocked).to_contain_text("refusée par le serveur (413)")
    # The next entry leaves at once: the one set aside holds nothing up.
    page.get_by_label("Intitulé").focus()
    _type_entry(page, "Après la saisie trop grosse", "accueil")
    expect(page.locator("#captured-list")).to_contain_text("Après la saisie trop grosse", timeout=20000)
    expect(page.locator("#capture-pending")).to_contain_text("Aucune saisie en attente")
    assert _saved(live_server, "Après la saisie trop grosse") == 1
    check_page(page, tablet.console)
    blocked.get_by_role("button", name="Abandonner").click()
    expect(blocked).to_be_hidden()


def test_two_facilitators_on_one_tablet_never_see_nor_send_each_others_entries(tablet, live_server):
    # The queue is kept per account: the entry one typed offline waits for them, out of the other's sight and sending.
    context, page, console = tablet.context, tablet.page, tablet.console
    queue = page.locator("#capture-queue")
    page.get_by_label("Intitulé").focus()
    context.set_offline(True)
    _type_entry(page, "Tablette partagée : celle de l'équipe", "accueil")
    expect(queue.locator("h2")).to_have_text("En attente d'envoi (1)")
    context.clear_cookies()  # the team's session ends on this tablet before the network comes back
    context.set_offline(False)
    console.clear()
    log_in(page, console, live_server.url, "admin@demo.hub")
    page.goto(tablet.capture)
    page.get_by_label("Intitulé").focus()
    _type_entry(page, "Tablette partagée : celle de l'admin", "accueil")
    expect(page.locator("#captured-list")).to_contain_text("celle de l'admin", timeout=20000)
    expect(page.locator("#capture-pending")).to_contain_text("Aucune saisie en attente")
    assert "celle de l'équipe" not in queue.inner_text()
    assert _saved(live_server, "Tablette partagée : celle de l'équipe") == 0
    context.clear_cookies()
    console.clear()
    log_in(page, console, live_server.url, "equipe@demo.hub")
    page.goto(tablet.capture)
    expect(page.locator("#captured-list")).to_contain_text("celle de l'équipe", timeout=20000)
    assert _saved(live_server, "Tablette partagée : celle de l'équipe") == 1


def test_a_pending_entry_is_corrected_or_removed_with_the_keyboard(tablet, live_server):
    context, page = tablet.context, tablet.page
    queue = page.locator("#capture-queue")
    page.get_by_label("Intitulé").focus()
    context.set_offline(True)
    _type_entry(page, "Clavier : premier", "accueil")
    _type_entry(page, "Clavier : second", "accueil")
    expect(queue.locator("h2")).to_have_text("En attente d'envoi (2)")
    # « Modifier » by the keyboard: the entry comes back into the form, saved in place, order kept.
    page.get_by_role("button", name="Modifier « Clavier : premier »").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Intitulé")).to_be_focused()
    expect(page.get_by_role("button", name="Enregistrer la correction")).to_be_visible()
    page.keyboard.press("End")
    page.keyboard.type(" (corrigé)")
    page.keyboard.press("Enter")
    items = page.locator("#capture-queue-list > li")
    expect(items.nth(0)).to_contain_text("Clavier : premier (corrigé)")
    expect(items.nth(1)).to_contain_text("Clavier : second")
    expect(page.get_by_role("button", name="Enregistrer et saisir le suivant")).to_be_visible()
    # « Modifier » then « Annuler la correction »: nothing changes.
    page.get_by_role("button", name="Modifier « Clavier : second »").click()
    page.get_by_role("button", name="Annuler la correction").click()
    expect(page.get_by_label("Intitulé")).to_have_value("")
    # « Retirer » asks first, in the page; « Non, garder » keeps it, « Oui, retirer » removes it.
    page.get_by_role("button", name="Retirer « Clavier : second »").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Non, garder « Clavier : second »")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Retirer « Clavier : second »")).to_be_focused()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Oui, retirer « Clavier : second »").click()
    expect(queue.locator("h2")).to_have_text("En attente d'envoi (1)")
    expect(page.locator("#capture-status")).to_contain_text("Saisie retirée : Clavier : second")
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#capture-status")).to_contain_text("Enregistré : Clavier : premier (corrigé)", timeout=20000)
    expect(queue).to_be_hidden()
    assert _saved(live_server, "Clavier : premier (corrigé)") == 1
    assert _saved(live_server, "Clavier : premier") == 0
    assert _saved(live_server, "Clavier : second") == 0


def test_a_photo_the_server_refuses_is_set_aside_and_the_entry_is_recorded(tablet, live_server):
    # A photo that is no image (stored straight into the tablet's store): refused with its reason, the entry kept.
    page = tablet.page
    page.evaluate("""([account, workshop]) => {
        const fields = {};
        new FormData(document.getElementById("capture-form")).forEach((value, name) => { fields[name] = value; });
        ["csrf_token", "client_key", "photos"].forEach((name) => delete fields[name]);
        Object.assign(fields, {title: "Photo illisible jointe", service: "accueil"});
        return HubCaptureStore.open(account, workshop).then((store) => store.save(
          {client_key: "photo-refusee-1", seq: 1, captured_at: Date.now(), photos: ["photo-refusee-p1"], fields},
          [{key: "photo-refusee-p1", name: "pas-une-photo.jpg", label: "pas-une-photo.jpg",
            blob: new Blob(["pas une image"], {type: "image/jpeg"})}], []));
      }""", [page.get_attribute("#capture-form", "data-account"), str(tablet.workshop_id)])
    page.reload()
    expect(page.locator("#captured-list")).to_contain_text("Photo illisible jointe", timeout=20000)
    blocked = page.locator("#capture-blocked")
    expect(blocked).to_be_visible(timeout=20000)
    expect(blocked).to_contain_text("pas-une-photo.jpg")
    expect(blocked).to_contain_text("pas une photo")
    expect(page.locator("#capture-queue")).to_be_hidden()
    assert _saved(live_server, "Photo illisible jointe") == 1
    blocked.get_by_role("button", name="Abandonner").click()
    expect(blocked).to_be_hidden()
