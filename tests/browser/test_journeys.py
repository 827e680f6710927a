"""Each role's week in a real browser, from login to the result it came for, checked with axe on every page."""

from __future__ import annotations

import re
import time

import pikepdf
import pytest
from playwright.sync_api import expect

from tests.browser.pages import Console, check_page, log_in, open_page

pytestmark = pytest.mark.browser

TABLET = {"width": 768, "height": 1024}
LAPTOP = {"width": 1280, "height": 800}
PROGRAMME_SLUG = "experimentation-ia-2024-bfc"
PROGRAMME = f"/programmes/{PROGRAMME_SLUG}"
REFERENT_SLUG = "chalon-sur-saone"


def _go(page, console: Console, action) -> None:
    """Run an action that navigates, then check the page it lands on."""
    console.clear()
    with page.expect_navigation():
        action()
    check_page(page, console)


@pytest.fixture
def browser_page(chromium):
    """A fresh context per journey; yields a factory ``(viewport) -> (page, console)``."""
    contexts = []

    def make(viewport: dict):
        context = chromium.new_context(viewport=viewport, locale="fr-FR")
        contexts.append(context)
        page = context.new_page()
        return page, Console(page)

    yield make
    for context in contexts:
        context.close()


def test_facilitator_plans_a_workshop_captures_on_a_tablet_qualifies_scores_and_records_a_decision(
        browser_page, live_server):
    page, console = browser_page(TABLET)
    log_in(page, console, live_server.url, "equipe@demo.hub")
    (starts_on,), = live_server.query("SELECT min(m.starts_on) FROM milestone m JOIN programme p "
                           "ON p.id = m.programme_id WHERE m.kind = 'workshops' AND p.slug = ?", PROGRAMME_SLUG)
    open_page(page, console, f"{live_server.url}{PROGRAMME}/ateliers/nouveau")

    page.get_by_label("Collectivité").select_option(label="Lormes")
    page.get_by_label("Date", exact=False).first.fill(starts_on[:10])
    page.get_by_label("Lieu").fill("Salle du conseil, Lormes")
    page.get_by_label("Services à visiter").fill("accueil, état civil, urbanisme")
    _go(page, console, page.get_by_role("button", name="Enregistrer").click)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lormes")
    workshop_url = page.url

    _go(page, console, page.get_by_role("button", name="Saisie sur site").click)
    captured = page.locator("#captured-list")
    entries = [("Journée : dossiers d'urbanisme incomplets", "urbanisme"),
               ("Journée : relances d'état civil par courrier", "état civil"),
               ("Journée : standard saturé le lundi", "accueil")]
    for title, service in entries:
        page.get_by_label("Intitulé").fill(title)
        page.get_by_label("Service").select_option(service)
        page.get_by_label("Occurrences par mois").fill("40")
        page.get_by_label("Minutes perdues à chaque fois").fill("15")
        page.get_by_label("Agents concernés").fill("5")
        page.get_by_role("button", name="Enregistrer et saisir le suivant").click()
        expect(captured).to_contain_text(title)
        expect(page.get_by_label("Intitulé")).to_have_value("")
    expect(page.locator("#capture-pending")).to_contain_text("Aucune saisie en attente")
    check_page(page, console)
    (workshop_id,) = [int(part) for part in workshop_url.rstrip("/").split("/") if part.isdigit()]
    saved = live_server.query("SELECT title FROM irritant WHERE workshop_id = ?", workshop_id)
    assert sorted(title for (title,) in saved) == sorted(title for title, _service in entries)

    _go(page, console, captured.get_by_role("link", name=entries[0][0]).click)
    page.get_by_text("Qualifier", exact=True).click()
    page.get_by_label("Niveau de preuve (réel)").select_option(label="Observé pendant l'atelier")
    page.get_by_label("Capacité d'action (actionnable)").select_option(label="Un responsable et les moyens")
    _go(page, console, page.get_by_role("button", name="Enregistrer la qualification").click)
    expect(page.locator("#qualification")).to_contain_text("qualifié")
    expect(page.locator("#qualification")).not_to_contain_text("pas encore")

    _go(page, console, page.get_by_role("button", name="Ajouter les options de départ de la thématique").click)
    options = page.get_by_role("table", name="Options côte à côte")
    expect(options.locator("tbody tr")).not_to_have_count(0)
    expect(page.get_by_text("Recommandation :")).to_be_visible()

    page.get_by_text("Enregistrer une décision du comité", exact=True).click()
    page.get_by_role("combobox", name=re.compile("^Décision")).select_option(label="Engager une action frugale")
    page.get_by_label("Date du comité de pilotage").fill("2024-10-15")
    page.get_by_label("Justification").fill("Compléter la liste des pièces sur le site avant tout outil.")
    page.get_by_label("Responsable").fill("Service urbanisme")
    _go(page, console, page.get_by_role("button", name="Enregistrer la décision").click)
    expect(page.get_by_role("status")).to_contain_text("Décision enregistrée")
    expect(page.locator("section[aria-labelledby=decisions]")).to_contain_text("Compléter la liste des pièces")


def test_referent_sees_only_their_board_comments_and_proposes_an_irritant(browser_page, live_server):
    page, console = browser_page(TABLET)
    log_in(page, console, live_server.url, f"referent.{REFERENT_SLUG}@demo.hub")
    check_page(page, console)
    assert page.url == f"{live_server.url}/"
    open_page(page, console, f"{live_server.url}/mon-tableau")
    own = live_server.collectivity_ids()[REFERENT_SLUG]
    hrefs = page.locator(".board-card a[href^='/irritants/']").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))")
    card_ids = [int(href.rsplit("/", 1)[1]) for href in hrefs]
    assert card_ids, "le tableau du référent est vide"
    owners = {owner for (owner,) in live_server.query("SELECT DISTINCT collectivity_id FROM irritant "
                                           f"WHERE id IN ({','.join('?' * len(card_ids))})", *card_ids)}
    assert owners == {own}
    others = live_server.query("SELECT title FROM irritant WHERE collectivity_id != ? AND title NOT IN "
                    "(SELECT title FROM irritant WHERE collectivity_id = ?)", own, own)
    assert others, "la démonstration devrait avoir des irritants propres à d'autres collectivités"
    board_text = page.locator("main").inner_text()
    assert not [title for (title,) in others if title in board_text]

    _go(page, console, page.locator(".board-card a").first.click)
    page.get_by_role("textbox", name="Commentaire").fill("Le service confirme : deux relances par semaine.")
    _go(page, console, page.get_by_role("button", name="Commenter").click)
    expect(page.locator("section[aria-labelledby=commentaires]")).to_contain_text("deux relances par semaine")

    open_page(page, console, f"{live_server.url}/mon-tableau")
    _go(page, console, page.get_by_role("button", name="Proposer un irritant").click)
    page.get_by_label("Description").fill("Les arrêtés sont retapés à la main depuis les modèles papier.")
    page.get_by_role("combobox", name=re.compile("^Service")).select_option("secrétariat de mairie")
    _go(page, console, page.get_by_role("button", name="Enregistrer").click)
    # Refused: the error is announced next to its field, and nothing typed is lost.
    title = page.get_by_label("Intitulé")
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#title-error")).to_contain_text("Donnez un intitulé court")
    assert "title-error" in (title.get_attribute("aria-describedby") or "")
    assert page.evaluate("document.activeElement.id") == "title", "le focus attend sur le premier champ à corriger"
    expect(page.get_by_label("Description")).to_have_value(
        "Les arrêtés sont retapés à la main depuis les modèles papier.")
    title.fill("Arrêtés retapés à la main")
    # The theme menu opens on an empty choice and says so once the form comes back: the référent chooses one.
    expect(page.locator("#theme-error")).to_contain_text("Choisissez une thématique.")
    page.get_by_role("combobox", name=re.compile("^Thématique")).select_option(index=1)
    _go(page, console, page.get_by_role("button", name="Enregistrer").click)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Arrêtés retapés à la main")
    expect(page.locator("main")).to_contain_text("Proposé")
    open_page(page, console, f"{live_server.url}/mon-tableau")
    expect(page.locator("section[aria-labelledby=col-proposed]")).to_contain_text("Arrêtés retapés à la main")


def test_committee_reads_the_published_report_and_downloads_its_pdf(browser_page, live_server):
    page, console = browser_page(LAPTOP)
    log_in(page, console, live_server.url, "comite@demo.hub")
    check_page(page, console)
    _go(page, console, page.get_by_role("button", name="Lire le rapport publié").first.click)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    for section in ("Participants", "Irritants", "Décisions"):
        expect(page.get_by_role("heading", name=section).first).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Télécharger le PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with pikepdf.open(download.path()) as pdf:
        assert len(pdf.pages) > 10
        assert str(pdf.Root.Lang) == "fr"


def test_admin_publishes_a_report_and_watches_its_progress_while_the_web_workers_restart(browser_page, live_server):
    page, console = browser_page(LAPTOP)
    log_in(page, console, live_server.url, "admin@demo.hub")
    open_page(page, console, f"{live_server.url}{PROGRAMME}/rapport/versions")
    before = live_server.query("SELECT max(number) FROM report_version")[0][0] or 0
    _go(page, console, page.get_by_role("button", name="Publier").click)
    number = before + 1
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"version {number}")
    progress = page.locator("#rendering-progress")
    seen = [int(progress.get_attribute("value"))]
    # A deployment replaces the web workers while the report renders: the rendering lives in the job worker,
    # and the page keeps following it through the new web workers.
    live_server.restart_web_workers()
    deadline = time.monotonic() + 180
    while page.locator("#rendering-done").is_hidden() and time.monotonic() < deadline:
        seen.append(int(progress.get_attribute("value")))
        page.wait_for_timeout(250)
    expect(page.locator("#rendering-status")).to_contain_text(f"La version {number} est publiée")
    seen.append(int(progress.get_attribute("value")))
    assert seen[0] < 100 and seen[-1] == 100, f"progression observée : {seen}"
    assert seen == sorted(seen), f"la progression recule : {seen}"
    check_page(page, console)
    _go(page, console, page.get_by_role("link", name="Lire la version publiée").click)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    (status, pages), = live_server.query("SELECT status, pages FROM report_version WHERE number = ?",
                              number)
    assert status == "ready" and pages > 10


def test_admin_starts_the_next_programme_invites_enrols_from_the_registry_and_deactivates_an_account(
        browser_page, live_server):
    page, console = browser_page(LAPTOP)
    log_in(page, console, live_server.url, "admin@demo.hub")

    # The next programme, started from this year's: its themes come with it.
    open_page(page, console, f"{live_server.url}/programmes/nouveau?depuis={PROGRAMME_SLUG}")
    page.get_by_label("Nom du programme").fill("Expérimentation IA 2025 — Bourgogne-Franche-Comté")
    page.get_by_label("Journée de lancement", exact=False).first.fill("2025-04-11")
    _go(page, console, page.get_by_role("button", name="Créer le programme").click)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Expérimentation IA 2025")
    new_slug = page.url.rstrip("/").rsplit("/", 1)[-1]
    (themes,), = live_server.query("SELECT count(*) FROM programme_theme t JOIN programme p ON p.id = t.programme_id "
                                   "WHERE p.slug = ?", new_slug)
    assert themes >= 3

    # A facilitator and a committee member invited; without a mail server, each link is shown once.
    links = {}
    for email, role in (("animatrice.2025@exemple.fr", "Équipe projet"), ("elu.2025@exemple.fr", "Comité de pilotage")):
        open_page(page, console, f"{live_server.url}/comptes/inviter")
        page.get_by_label("Adresse électronique").fill(email)
        page.get_by_label("Rôle", exact=False).first.select_option(label=role)
        _go(page, console, page.get_by_role("button", name="Inviter").click)
        expect(page.locator(".flashes")).to_contain_text(email)
        links[email] = re.search(r"https?://\S+/invitation/[\w-]+", page.locator(".flashes").inner_text()).group(0)
    assert len(live_server.query("SELECT id FROM user_account WHERE email LIKE '%.2025@exemple.fr'")) == 2

    # The committee member opens their account with the link and starts reading, in their own browser.
    committee, committee_console = browser_page(LAPTOP)
    open_page(committee, committee_console, links["elu.2025@exemple.fr"])
    committee.get_by_label("Mot de passe (12 caractères au moins)").fill("un-mot-de-passe-2025")
    committee.get_by_label("Confirmez le mot de passe").fill("un-mot-de-passe-2025")
    _go(committee, committee_console, committee.get_by_role("button", name=re.compile("mot de passe", re.I)).click)
    committee.get_by_label("Adresse électronique").fill("elu.2025@exemple.fr")
    committee.get_by_label("Mot de passe").fill("un-mot-de-passe-2025")
    _go(committee, committee_console, committee.get_by_role("button", name="Se connecter").click)
    assert "/connexion" not in committee.url

    # « chalon » typed in the registry search: the official record answers, the hub knows it already.
    open_page(page, console, f"{live_server.url}/collectivites/nouvelle")
    page.get_by_label("Nom, code INSEE, SIREN ou code postal").press_sequentially("chalon", delay=60)
    result = page.locator("#registry-results").get_by_role("link", name="Chalon-sur-Saône")
    expect(result).to_be_visible()
    expect(page.locator("#registry-status")).to_contain_text("résultats dans le registre")
    _go(page, console, result.click)
    expect(page.get_by_role("textbox", name="SIREN")).to_have_value("217100767")
    _go(page, console, page.get_by_role("link", name=re.compile("Chalon-sur-Saône \\(71\\)")).click)
    page.get_by_text("Inscrire à un programme").click()
    page.get_by_role("combobox", name=re.compile("^Programme")).select_option(
        label="Expérimentation IA 2025 — Bourgogne-Franche-Comté")
    page.get_by_label("Motivation").fill("Poursuivre avec les services techniques.")
    _go(page, console, page.get_by_role("button", name="Enregistrer la candidature").click)
    expect(page.locator(".flashes")).to_contain_text("Candidature enregistrée")

    # The committee member's account deactivated: their open session ends at its next page.
    (committee_id,), = live_server.query("SELECT id FROM user_account WHERE email = 'elu.2025@exemple.fr'")
    open_page(page, console, f"{live_server.url}/comptes/{committee_id}")
    _go(page, console, page.get_by_role("button", name="Désactiver le compte").click)
    expect(page.locator(".flashes")).to_contain_text("ses sessions sont terminées")
    committee.goto(f"{live_server.url}{PROGRAMME}")
    assert "/connexion" in committee.url

    # The rehearsal over, the 2025 programme is archived: it leaves the lists, which open on 2024's again.
    open_page(page, console, f"{live_server.url}/programmes/{new_slug}")
    _go(page, console, page.get_by_role("button", name="Archiver").click)
    expect(page.locator("main")).to_contain_text("Programme archivé le")
