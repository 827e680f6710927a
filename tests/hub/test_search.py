"""The search page: French words found on SQLite (FTS5) and PostgreSQL (full-text), scoped like the lists."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from hub.app.search import service
from hub.core.scoping import Scope
from irritants.models import Decision, DecisionIrritant, Irritant
from tests import factories
from tests.conftest import session_on

SEARCH = "/recherche"


def _texts(response) -> str:
    return response.get_data(as_text=True)


def _find(db, role="facilitator", **kwargs):
    return service.search(db, role=role, **kwargs)


def _ids(results, kind):
    return {hit.id for hit in results.hits.get(kind, [])}


def test_a_plural_finds_the_singular_and_the_reverse(db, world):
    singular = factories.irritant(db, world.programme, world.own, title="Formulaire de demande d'acte papier")
    plural = factories.irritant(db, world.programme, world.own, title="Trop de relances",
                                description="Les formulaires en ligne sont incomplets")
    assert {singular.id, plural.id} <= _ids(_find(db, query="formulaires"), "irritant")
    assert {singular.id, plural.id} <= _ids(_find(db, query="formulaire"), "irritant")
    assert _ids(_find(db, query="parapheur"), "irritant") == set()


def test_every_word_must_be_found(db, world):
    both = factories.irritant(db, world.programme, world.own, title="Courriers en retard", service="urbanisme")
    factories.irritant(db, world.programme, world.own, title="Courriers perdus", service="accueil")
    assert _ids(_find(db, query="courriers urbanisme"), "irritant") == {both.id}


def test_accents_are_folded_on_sqlite(db, world):
    if db.get_bind().dialect.name != "sqlite":
        pytest.skip("PostgreSQL's 'french' configuration keeps accents (no unaccent extension required)")
    found = factories.irritant(db, world.programme, world.own, title="Délais de l'état civil")
    assert found.id in _ids(_find(db, query="etat civil delais"), "irritant")


def test_a_collectivity_is_found_by_name_and_siren_and_its_irritants_by_its_name(db, world):
    town = factories.collectivity(db, world.programme, name="Saint-Apollinaire", siren="212105424")
    owned = factories.irritant(db, world.programme, town, title="Agendas partagés")
    assert town.id in _ids(_find(db, query="apollinaire"), "collectivity")
    assert town.id in _ids(_find(db, query="212105424"), "collectivity")
    assert owned.id in _ids(_find(db, query="Saint-Apollinaire"), "irritant")


def test_words_may_be_in_the_irritant_or_in_its_collectivity_s_name(db, world):
    factories.irritant(db, world.programme, world.foreign, title="Recherche d'anciens arrêtés")
    assert _ids(_find(db, query=f"arrêtés {world.own.name}"), "irritant") == {world.own_irritant.id}
    assert world.own_workshop.id in _ids(_find(db, query=f"{world.own.name} mairie"), "workshop")
    assert _ids(_find(db, query=f"parapheur {world.own.name}"), "irritant") == set()


def test_workshops_by_place_notes_collectivity_and_date(db, world):
    held = factories.workshop(db, world.programme, world.own, place="Salle du conseil", held_on=date(2024, 6, 3),
                              context="Visite du service des marchés publics")
    assert held.id in _ids(_find(db, query="marchés publics"), "workshop")
    assert held.id in _ids(_find(db, query="salle conseil"), "workshop")
    assert held.id in _ids(_find(db, query="03/06/2024"), "workshop")
    assert world.own_workshop.id in _ids(_find(db, query=world.own.name), "workshop")


def test_decisions_by_rationale_link_to_an_irritant_they_cover(db, world):
    decision = Decision(programme_id=world.programme.id, kind="defer", decided_on=date(2024, 11, 5),
                        rationale="Attendre la mutualisation départementale du logiciel", owner="DGS")
    db.add(decision)
    db.flush()
    db.add(DecisionIrritant(decision_id=decision.id, irritant_id=world.own_irritant.id,
                            collectivity_id=world.own.id))
    db.flush()
    hits = _find(db, query="mutualisation logiciel").hits["decision"]
    assert [(hit.id, hit.link_id) for hit in hits] == [(decision.id, world.own_irritant.id)]


def test_the_index_follows_edits_and_deletions(db, world):
    row = factories.irritant(db, world.programme, world.own, title="Photocopieur en panne")
    row.title = "Scanner en panne"
    db.add(row)
    db.flush()
    assert row.id in _ids(_find(db, query="scanner"), "irritant")
    assert row.id not in _ids(_find(db, query="photocopieur"), "irritant")
    for link in db.exec(select(DecisionIrritant).where(DecisionIrritant.irritant_id == row.id)):
        db.delete(link)
    db.delete(row)
    db.flush()
    assert row.id not in _ids(_find(db, query="scanner"), "irritant")


def test_the_programme_narrows_the_search(db, world):
    other = factories.programme(db)
    elsewhere = factories.collectivity(db, other)
    mine = factories.irritant(db, world.programme, world.own, title="Archives introuvables")
    theirs = factories.irritant(db, other, elsewhere, title="Archives introuvables")
    assert {mine.id, theirs.id} <= _ids(_find(db, query="archives"), "irritant")
    assert _ids(_find(db, query="archives", programme_id=other.id), "irritant") == {theirs.id}


def test_a_referent_finds_only_their_collectivity(client_as, world, db):
    factories.irritant(db, world.programme, world.own, title="Badges de cantine")
    factories.irritant(db, world.programme, world.foreign, title="Badges de piscine")
    page = _texts(client_as("participant").get(SEARCH, query_string={"q": "badges"}))
    assert "Badges de cantine" in page
    assert "Badges de piscine" not in page


def test_a_referents_session_finds_nothing_of_another_collectivity(connection, world):
    own = session_on(connection, Scope.collectivity(world.own.id))
    results = service.search(own, query=f"{world.foreign.name} {world.own.name}", role="participant")
    assert results.total == 0
    results = service.search(own, query="test", role="participant")  # the world's decision covers both
    assert _ids(results, "decision") and {hit.link_id for hit in results.hits["decision"]} == {world.own_irritant.id}
    foreign = service.search(own, query=world.foreign.name, role="participant")
    assert foreign.total == 0 and set(foreign.totals) == set(service.KINDS)


def test_the_referent_scope_reaches_collectivities_workshops_and_decisions(client_as, world):
    page = _texts(client_as("participant").get(SEARCH, query_string={"q": world.foreign.name}))
    assert f'/collectivites/{world.foreign.id}"' not in page
    assert f'/ateliers/{world.foreign_workshop.id}"' not in page
    page = _texts(client_as("participant").get(SEARCH, query_string={"q": world.own.name}))
    assert f'/collectivites/{world.own.id}"' in page
    assert f'/ateliers/{world.own_workshop.id}"' in page


def test_the_committee_finds_irritants_and_decisions_only(client_as, world):
    page = _texts(client_as("steering").get(SEARCH, query_string={"q": world.own.name}))
    assert f'/irritants/{world.own_irritant.id}"' in page
    assert "resultats-collectivity" not in page and "resultats-workshop" not in page


def test_twenty_per_kind_then_more(client_as, world, db):
    for n in range(service.PER_KIND + 5):
        factories.irritant(db, world.programme, world.own, title=f"Tableur de suivi {n}")
    page = _texts(client_as("facilitator").get(SEARCH, query_string={"q": "tableur"}))
    assert page.count("Tableur de suivi") == service.PER_KIND
    assert "kind=irritant" in page and "(25)" in page
    more = _texts(client_as("facilitator").get(SEARCH, query_string={"q": "tableur", "kind": "irritant"}))
    assert more.count("Tableur de suivi") == service.PER_KIND + 5
    assert "resultats-collectivity" not in more


def test_the_excerpt_marks_the_words_found(client_as, world, db):
    factories.irritant(db, world.programme, world.own, title="Messagerie",
                       description="Les agents recopient chaque réclamation reçue par courriel dans le logiciel.")
    page = _texts(client_as("facilitator").get(SEARCH, query_string={"q": "réclamations"}))
    assert "<mark>réclamation</mark>" in page


@pytest.mark.parametrize("query", ['"', '"formulaire', "*", "formul*", "NEAR(a b)", "a NEAR b", "(", ")", "-", "-x",
                                   ":", "title:x", "AND", "OR NOT", "^", "{}", "a + b", "l'état", "'", "%", "_",
                                   "\\", "é" * 300, "日本語", "🙂"])
def test_query_language_characters_are_plain_words(client_as, world, query):
    response = client_as("facilitator").get(SEARCH, query_string={"q": query})
    assert response.status_code == 200


def test_a_word_with_query_syntax_is_still_found(db, world):
    found = factories.irritant(db, world.programme, world.own, title="Le NEAR des données")
    assert found.id in _ids(_find(db, query='"NEAR" (données*) -:'), "irritant")


def test_control_characters_and_long_queries_are_refused_in_french_and_kept(client_as, world):
    client = client_as("facilitator")
    response = client.get(SEARCH, query_string={"q": "arrêtés\x00"})
    assert response.status_code == 200
    assert "caractère" in _texts(response)
    long = "mot " * 2500
    response = client.get(SEARCH, query_string={"q": long})
    page = _texts(response)
    assert response.status_code == 200
    assert "200 caractères au plus" in page
    assert 'value="mot mot' in page  # what was typed stays in the box


def test_an_unknown_kind_or_programme_searches_everything(client_as, world):
    response = client_as("facilitator").get(SEARCH, query_string={"q": world.own.name, "kind": "x",
                                                                  "programme": "inconnu"})
    assert response.status_code == 200
    assert f'/irritants/{world.own_irritant.id}"' in _texts(response)


def test_anonymous_visitors_are_sent_to_login(client_as):
    response = client_as("anonymous").get(SEARCH, query_string={"q": "x"})
    assert response.status_code == 302


def test_the_header_box_is_a_labelled_search_form(app, client_as, world):
    with app.test_request_context("/"):
        from flask import render_template
        from flask_login import login_user
        login_user(world.users["facilitator"])
        html = render_template("search/_header_box.html")
    assert 'role="search"' in html and 'action="/recherche"' in html
    assert '<label for="recherche-entete"' in html
    with app.test_request_context(f"/collectivites?programme={world.programme.slug}"):
        login_user(world.users["facilitator"])
        narrowed = render_template("search/_header_box.html")
    assert f'<input type="hidden" name="programme" value="{world.programme.slug}">' in narrowed
    # A programme that does not exist is not echoed back into the page.
    with app.test_request_context("/collectivites?programme=prog-x"):
        login_user(world.users["facilitator"])
        unknown = render_template("search/_header_box.html")
    assert 'name="programme"' not in unknown
    assert 'name="programme"' not in html


def test_stems_are_searched_as_quoted_prefixes_without_stop_words():
    terms = service.Terms.parse('les formulaires "NEAR" de l\'RH*')
    assert terms.fts == '"formulair"* "near"* "rh"'
    assert terms.plain == "formulaires near rh"
    assert service.Terms.parse("La Le").words == ("la", "le")  # only stop words: searched as typed


def test_elisions_and_small_words_do_not_have_to_be_in_the_text(db, world):
    found = factories.irritant(db, world.programme, world.own, title="Registres état civil")
    assert found.id in _ids(_find(db, query="les registres de l'état civil"), "irritant")


def test_fts_tables_match_the_rows(db, world):
    if db.get_bind().dialect.name != "sqlite":
        pytest.skip("the FTS5 tables are SQLite's")
    rows = db.exec(select(Irritant.id)).all()
    indexed = db.connection().exec_driver_sql("SELECT rowid FROM search_irritant").scalars().all()
    assert set(rows) == set(indexed)
