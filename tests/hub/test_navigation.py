"""Navigation: the programme menu on every programme page (only what its reader may open), breadcrumbs, the account
and logout in the header, and the programme being worked on kept from one list to the next."""

from __future__ import annotations

import base64
import re
from datetime import date

import pytest

from hub.app.navigation import MENU
from tests import factories
from tests.hub.page_crawl import _PageParser
from tests.sql_statements import statements_run

GROUPS = ("Participants", "Ateliers", "Irritants", "Décisions", "Impact", "Rapport")


def _section(html: str, label: str) -> str:
    """The HTML of the ``<nav>`` whose aria-label starts with this label."""
    found = re.search(r'<nav[^>]*aria-label="' + re.escape(label) + r'[^"]*"[^>]*>(.*?)</nav>', html, re.S)
    assert found, f"pas de navigation « {label} »"
    return found.group(1)


def _links(fragment: str) -> list[str]:
    parser = _PageParser("http://localhost/")
    parser.feed(fragment)
    return [link.removeprefix("http://localhost") for link in parser.links]


def test_a_programme_page_carries_the_grouped_programme_menu(client_as, world):
    html = client_as("facilitator").get(f"/programmes/{world.programme.slug}/calendrier").get_data(as_text=True)
    menu = _section(html, "Menu du programme")
    assert [g for g in GROUPS if f"<summary>{g}</summary>" in menu or f'current-group">{g}</summary>' in menu] \
        == list(GROUPS)
    links = _links(menu)
    assert f"/programmes/{world.programme.slug}/tableau" in links
    assert f"/collectivites?programme={world.programme.slug}" in links
    # The page being read is marked in the menu.
    assert re.search(r'href="/programmes/[^"]+/calendrier" aria-current="page"', menu)


def test_the_menu_follows_an_irritant_or_a_workshop_to_its_programme(client_as, world):
    client = client_as("facilitator")
    for path in (f"/irritants/{world.own_irritant.id}", f"/ateliers/{world.own_workshop.id}"):
        html = client.get(path).get_data(as_text=True)
        assert world.programme.name in _section(html, "Menu du programme"), path


def test_no_menu_outside_a_programme(client_as):
    html = client_as("admin").get("/comptes").get_data(as_text=True)
    assert 'aria-label="Menu du programme' not in html


@pytest.mark.parametrize("role", ["steering", "participant", "facilitator", "admin"])
def test_every_entry_of_the_menu_opens_for_its_reader(client_as, world, role):
    client = client_as(role)
    start = f"/irritants/{world.own_irritant.id}" if role == "participant" else f"/programmes/{world.programme.slug}"
    links = _links(_section(client.get(start).get_data(as_text=True), "Menu du programme"))
    assert links
    statuses = {link: client.get(link).status_code for link in links}
    assert all(status == 200 for status in statuses.values()), statuses


def test_a_referent_menu_leads_to_their_board_and_the_report_figures_they_may_read(client_as, world):
    html = client_as("participant").get("/mon-tableau").get_data(as_text=True)
    links = _links(_section(html, "Menu du programme"))
    assert "/mon-tableau" in links
    assert f"/programmes/{world.programme.slug}/rapport/chiffres-cles" in links
    assert f"/programmes/{world.programme.slug}/rapport" not in links  # the whole report is not theirs
    assert f"/programmes/{world.programme.slug}/tableau" not in links


def test_the_menu_lists_endpoints_that_exist(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert {item.endpoint for group in MENU for item in group.items} <= endpoints


def test_breadcrumbs_lead_back_through_the_programme_and_the_board(client_as, world):
    html = client_as("facilitator").get(f"/irritants/{world.own_irritant.id}").get_data(as_text=True)
    crumbs = _section(html, "Fil d&#39;Ariane") if "Fil d&#39;Ariane" in html else _section(html, "Fil d'Ariane")
    assert _links(crumbs) == ["/", f"/programmes/{world.programme.slug}", f"/programmes/{world.programme.slug}/tableau"]
    assert re.search(r'<li aria-current="page">Recherche d&#39;anciens arrêtés', crumbs)


def test_the_referent_breadcrumbs_go_through_their_board(client_as, world):
    html = client_as("participant").get(f"/irritants/{world.own_irritant.id}").get_data(as_text=True)
    crumbs = _section(html, "Fil d&#39;Ariane") if "Fil d&#39;Ariane" in html else _section(html, "Fil d'Ariane")
    # A référent has no programme page: home, then their board.
    assert _links(crumbs) == ["/", "/mon-tableau"]


def test_the_account_and_logout_sit_in_the_header(client_as, world):
    html = client_as("facilitator").get("/").get_data(as_text=True)
    header = html.split("</header>")[0]
    footer = html.split("<footer")[1]
    assert world.users["facilitator"].display_name in header and "Équipe projet" in header
    assert 'action="/deconnexion"' in header and 'action="/deconnexion"' not in footer


def test_the_programme_worked_on_is_kept_across_lists(client_as, world, db):
    other = factories.programme(db, slug="programme-suivant", name="Programme suivant",
                                launch_date=date(2020, 1, 1))
    factories.irritant(db, other, factories.collectivity(db, other), title="Irritant du programme suivant")
    client = client_as("facilitator")
    # Untouched, a list opens on the latest programme launched.
    assert "Irritant du programme suivant" not in client.get("/irritants").get_data(as_text=True)
    client.get(f"/programmes/{other.slug}")
    assert "Irritant du programme suivant" in client.get("/irritants").get_data(as_text=True)
    header = client.get("/irritants").get_data(as_text=True).split("</header>")[0]
    assert f'href="/collectivites?programme={other.slug}"' in header
    assert f'href="/ateliers?programme={other.slug}"' in header


def test_after_an_import_the_collectivity_list_keeps_its_programme(client_as, world):
    client = client_as("facilitator")
    client.get(f"/programmes/{world.programme.slug}")
    example = client.get("/collectivites/import/exemple.csv").get_data()
    response = client.post("/collectivites/import/confirmer", data={"payload": base64.b64encode(example).decode()})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/collectivites?programme={world.programme.slug}")


def test_the_workshop_list_names_each_workshop_by_its_collectivity_and_marks_today(client_as, world, db):
    world.own_workshop.held_on = date.today()
    db.add(world.own_workshop)
    db.commit()
    html = client_as("facilitator").get(f"/ateliers?programme={world.programme.slug}").get_data(as_text=True)
    assert f'href="/ateliers/{world.own_workshop.id}">{world.own.name}</a>' in html
    row = html.split(f'href="/ateliers/{world.own_workshop.id}"')[0].rsplit("<tr>", 1)[1]
    assert "Aujourd&#39;hui" in row or "Aujourd'hui" in row
    assert html.count("badge-today") == 1


def test_every_entry_of_the_menu_says_who_may_open_it(app):
    """The menu filters on the roles ``roles_required`` records: an entry without them would be offered to all."""
    for group in MENU:
        for item in group.items:
            assert getattr(app.view_functions[item.endpoint], "allowed_roles", None), item.endpoint


@pytest.mark.parametrize("account, page", [("facilitator", "/irritants?programme={slug}"),
                                           ("facilitator", "/collectivites?programme={slug}"),
                                           ("participant", "/mon-tableau"), ("participant", "/")])
def test_the_menu_finds_the_programme_the_page_has_already_read(connection, client_as, world, account, page):
    client = client_as(account)
    url = page.format(slug=world.programme.slug)
    with statements_run(connection) as statements:
        shown = client.get(url).get_data(as_text=True)
    programme_reads = [s for s in statements if re.search(r"\bFROM programme\b(?!_)", s)]
    assert len(programme_reads) == 1, programme_reads  # the view's own read; the menu and breadcrumbs reuse it
    assert world.programme.name in shown  # the programme's menu is there all the same


def test_the_menu_kept_from_page_to_page_is_each_role_s_and_each_programme_s(client_as, world, db):
    # The menu is built once per role and programme in a web worker: the same app serves every reader here.
    other = factories.programme(db)
    db.commit()

    def menu_links(role: str, slug: str, path: str = "/programmes/{slug}/calendrier") -> list[str]:
        html = client_as(role).get(path.format(slug=slug)).get_data(as_text=True)
        return _links(_section(html, "Menu du programme"))

    team = menu_links("facilitator", world.programme.slug)
    committee = menu_links("steering", world.programme.slug)
    assert f"/programmes/{world.programme.slug}/candidatures" in team
    assert f"/programmes/{world.programme.slug}/candidatures" not in committee  # the team's page only
    assert menu_links("facilitator", world.programme.slug) == team
    elsewhere = menu_links("facilitator", other.slug)
    assert f"/programmes/{other.slug}/candidatures" in elsewhere and not set(elsewhere) & set(team)
    # The page being read is marked on each page, not kept with the menu.
    client = client_as("facilitator")
    html = client.get(f"/programmes/{world.programme.slug}/tableau").get_data(as_text=True)
    assert re.search(r'href="/programmes/[^"]+/tableau" aria-current="page"', _section(html, "Menu du programme"))
    # Each language has its own words for the same menu.
    assert "Candidatures et sélection" in _section(html, "Menu du programme")
    client.post("/langue", data={"lang": "en"})
    english = client.get(f"/programmes/{world.programme.slug}/tableau").get_data(as_text=True)
    assert "Applications and selection" in english and "Candidatures et sélection" not in english
