"""The day's hypotheses, on site: the workshop's themes first, one tap to record each outcome and back on its card."""

from __future__ import annotations

import html

import pytest
from sqlmodel import select

from hub.core import revisions
from tests import factories
from tests.sql_statements import page_queries
from workshops.models import Hypothesis, HypothesisTest

RH = "Les questions RH des agents reviennent chaque semaine."
CITIZENS = "Les courriels des citoyens attendent plus de trois jours."


@pytest.fixture
def day(world, db):
    """A workshop of the RH theme, with one hypothesis of its theme and one of another (and the world's own)."""
    workshop = factories.workshop(db, world.programme, world.own, themes=["rh"], place="Salle du conseil")
    rh = Hypothesis(programme_id=world.programme.id, statement=RH, theme="rh")
    citizens = Hypothesis(programme_id=world.programme.id, statement=CITIZENS, theme="citoyens")
    db.add_all([rh, citizens])
    db.commit()
    return workshop, rh, citizens


def _url(workshop) -> str:
    return f"/ateliers/{workshop.id}/hypotheses-du-jour"


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.get_data(as_text=True))


def _card(page: str, hypothesis) -> str:
    """The HTML of one hypothesis's card."""
    start = page.index(f'id="hypothese-{hypothesis.id}"')
    return page[start:page.index("</article>", start)]


def test_the_workshops_theme_comes_first_and_the_others_are_folded(client_as, world, day):
    workshop, rh, citizens = day
    page = _page(client_as("facilitator"), _url(workshop))
    assert "Chéroy" in page and "Salle du conseil" in page and "Questions RH" in page
    assert f'href="/ateliers/{workshop.id}/saisie"' in page and "Retour à la saisie" in page
    folded = page.index('<details class="other-hypotheses">')  # without « open »: nothing of the day in it
    assert page.index(RH) < folded < page.index(CITIZENS)
    assert folded < page.index("Retrouver un arrêté prend plus de 10 minutes.")
    assert "Autres hypothèses du programme (2)" in page
    card = _card(page, rh)
    assert f'<legend id="hypothese-{rh.id}-enonce">{RH}</legend>' in card
    for words in ("Validée", "Invalidée", "Pas claire", "Ce qui l'étaye", "Enregistrer"):
        assert words in card
    assert card.count('type="radio" ') == 3 and 'name="suivant"' in card
    assert "Pas encore de résultat dans cet atelier." in card


def test_a_workshop_without_themes_shows_every_hypothesis_unfolded(client_as, world, db):
    workshop = factories.workshop(db, world.programme, world.foreign)
    db.commit()
    page = _page(client_as("admin"), _url(workshop))
    assert "Retrouver un arrêté prend plus de 10 minutes." in page and "<details" not in page.split("<main")[1]


def test_recording_from_the_day_page_comes_back_to_its_card_with_the_outcome(client_as, world, day, db):
    workshop, rh, _citizens = day
    client = client_as("facilitator")
    response = client.post(f"/ateliers/{workshop.id}/hypotheses", data={
        "hypothesis_id": rh.id, "outcome": "validated", "evidence": "Six questions sur les congés en une matinée.",
        "suivant": _url(workshop)})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{_url(workshop)}#hypothese-{rh.id}")
    page = _page(client, _url(workshop))
    assert "Résultat enregistré." in page  # the flash, kept in view above the card (hub.css)
    card = _card(page, rh)
    assert "Dans cet atelier :" in card and "Validée" in card and "Six questions sur les congés" in card
    assert 'value="validated" checked' in card
    test = db.exec(select(HypothesisTest).where(HypothesisTest.workshop_id == workshop.id)).one()
    assert (test.hypothesis_id, test.outcome) == (rh.id, "validated")


def test_a_result_among_the_others_unfolds_them(client_as, world, day, db):
    workshop, _rh, citizens = day
    db.add(HypothesisTest(workshop_id=workshop.id, collectivity_id=workshop.collectivity_id,
                          hypothesis_id=citizens.id, outcome="unclear", evidence="Avis partagés", agents_count=4))
    db.commit()
    page = _page(client_as("facilitator"), _url(workshop))
    assert '<details class="other-hypotheses" open>' in page
    card = _card(page, citizens)
    assert "Pas claire" in card and "Avis partagés" in card
    # The count of agents recorded from the workshop page goes back with the day page's form, unchanged.
    assert 'name="agents_count" value="4"' in card


def test_a_refused_post_shows_the_day_page_again_with_what_was_typed(client_as, world, day, db):
    workshop, rh, citizens = day
    client = client_as("facilitator")
    url = f"/ateliers/{workshop.id}/hypotheses"
    no_choice = client.post(url, data={"hypothesis_id": citizens.id, "evidence": "Deux agents hésitent encore.",
                                       "suivant": _url(workshop)})
    assert no_choice.status_code == 422
    page = html.unescape(no_choice.get_data(as_text=True))
    assert "Hypothèses du jour" in page
    card = _card(page, citizens)
    assert "Choisissez un résultat : validée, invalidée ou pas claire." in card
    assert ">Deux agents hésitent encore.</textarea>" in card
    # The folded part opens on the card refused.
    assert '<details class="other-hypotheses" open>' in page
    no_evidence = client.post(url, data={"hypothesis_id": rh.id, "outcome": "invalidated", "evidence": " ",
                                         "suivant": _url(workshop)})
    assert no_evidence.status_code == 422
    card = _card(html.unescape(no_evidence.get_data(as_text=True)), rh)
    assert "Décrivez ce qui a été observé" in card and 'value="invalidated" checked' in card
    assert db.exec(select(HypothesisTest).where(HypothesisTest.workshop_id == workshop.id)).first() is None


def test_only_this_workshops_day_page_is_a_next_to_go_back_to(client_as, world, day):
    workshop, rh, _citizens = day
    client = client_as("facilitator")
    url = f"/ateliers/{workshop.id}/hypotheses"
    data = {"hypothesis_id": rh.id, "outcome": "unclear", "evidence": ""}
    honoured = client.post(url, data={**data, "suivant": _url(workshop)})
    assert honoured.headers["Location"].endswith(f"{_url(workshop)}#hypothese-{rh.id}")
    for target in ("https://hameconnage.example/ateliers", "//hameconnage.example/x", "//[", "javascript:alert(1)",
                   f"https://hameconnage.example{_url(workshop)}", _url(world.foreign_workshop)):
        response = client.post(url, data={**data, "suivant": target})
        assert response.status_code == 302, target
        assert response.headers["Location"].endswith(f"/ateliers/{workshop.id}#hypotheses"), target


def test_the_workshop_pages_own_form_works_as_before(client_as, world, day):
    workshop, rh, _citizens = day
    client = client_as("facilitator")
    refused = client.post(f"/ateliers/{workshop.id}/hypotheses", data={"hypothesis_id": rh.id, "outcome": "validated",
                                                                       "evidence": ""})
    assert refused.status_code == 422
    assert "Enregistrer le résultat d'une hypothèse" in refused.get_data(as_text=True)
    done = client.post(f"/ateliers/{workshop.id}/hypotheses", data={"hypothesis_id": rh.id, "outcome": "untested"})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/ateliers/{workshop.id}#hypotheses")


@pytest.mark.parametrize(("role", "status"), [("participant", 403), ("steering", 403), ("anonymous", 302)])
def test_only_the_team_opens_the_day_page(client_as, world, role, status):
    assert client_as(role).get(_url(world.own_workshop)).status_code == status


def test_an_unknown_workshop_is_not_found(client_as, world):
    assert client_as("facilitator").get("/ateliers/999999/hypotheses-du-jour").status_code == 404


def test_another_programmes_hypotheses_are_not_shown(client_as, world, day, db):
    workshop, _rh, _citizens = day
    other = factories.programme(db)
    db.add(Hypothesis(programme_id=other.id, statement="Hypothèse d'un autre programme", theme="rh"))
    db.commit()
    assert "Hypothèse d'un autre programme" not in _page(client_as("facilitator"), _url(workshop))


def test_the_day_pages_queries_do_not_grow_with_the_library(connection, client_as, world, day, db):
    workshop, _rh, _citizens = day
    client = client_as("facilitator")
    revisions.forget_all()  # both views as a worker's first: the programme's themes are read each time
    before = page_queries(connection, client, _url(workshop))
    for n in range(20):
        hypothesis = Hypothesis(programme_id=world.programme.id, statement=f"Hypothèse {n}",
                                theme=("rh", "citoyens", "")[n % 3])
        db.add(hypothesis)
        db.flush()
        db.add(HypothesisTest(workshop_id=workshop.id, collectivity_id=workshop.collectivity_id,
                              hypothesis_id=hypothesis.id, outcome="validated", evidence="Observé"))
    db.commit()
    revisions.forget_all()
    assert page_queries(connection, client, _url(workshop)) == before
