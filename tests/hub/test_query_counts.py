"""The number of SQL queries a page makes does not grow with the data (DESIGN §6)."""

from __future__ import annotations

import pytest

from hub.core import revisions
from tests import factories
from tests.sql_statements import page_queries, statements_run


def _grow(db, world, irritants: int, collectivities: int) -> None:
    for n in range(collectivities):
        other = factories.collectivity(db, world.programme)
        factories.workshop(db, world.programme, other)
        factories.irritant(db, world.programme, other)
    for n in range(irritants):
        row = factories.irritant(db, world.programme, world.own, status=("identified", "qualified", "scored")[n % 3])
        if n % 5 == 0:
            factories.option(db, row)
    db.commit()


# Every list and board of bench/pages.py, filtered and not, and the pages each role opens most.
PAGES = {
    "facilitator": ["/irritants?programme={slug}", "/irritants?programme={slug}&theme=rh&status=identified",
                    "/collectivites?programme={slug}", "/collectivites?programme={slug}&kind={kind}&departement={dep}",
                    "/ateliers?programme={slug}", "/collectivites/{own}/tableau", "/collectivites/{own}",
                    "/irritants/{irritant}", "/", "/programmes/{slug}/tableau", "/programmes/{slug}/tableau?theme=rh",
                    "/programmes/{slug}/candidatures", "/programmes/{slug}/decisions",
                    "/ateliers/{workshop}/hypotheses-du-jour"],
    "participant": ["/mon-tableau", "/ateliers", "/irritants/{irritant}"],
}


def _first_and_next_views(connection, client, urls) -> tuple[dict, dict]:
    # A page's first view on a worker reads what the worker then keeps (hub.core.revisions); the next one does not.
    first = {}
    for url in urls:
        revisions.forget_all()
        first[url] = page_queries(connection, client, url)
    return first, {url: page_queries(connection, client, url) for url in urls}


@pytest.mark.parametrize("role", sorted(PAGES))
def test_queries_per_page_do_not_grow_with_the_data(connection, client_as, world, db, role):
    urls = [u.format(slug=world.programme.slug, own=world.own.id, irritant=world.own_irritant.id,
                     workshop=world.own_workshop.id, kind=world.own.kind, dep=world.own.departement_code)
            for u in PAGES[role]]
    client = client_as(role)
    before = _first_and_next_views(connection, client, urls)
    _grow(db, world, irritants=60, collectivities=12)
    after = _first_and_next_views(connection, client, urls)
    assert after == before, (before, after)
    first, then = before
    assert all(then[url] <= first[url] for url in urls), before
    # The header's unread count and the programme menu cost a query or two on every page: the bound is 24.
    assert 0 < min(first.values()) and max(first.values()) < 24


KEPT_TABLES = ("programme_theme", "programme_service", "scoring_parameters")


@pytest.mark.parametrize("url", ["/programmes/{slug}/tableau", "/irritants?programme={slug}",
                                 "/irritants/{irritant}", "/programmes/{slug}/candidatures"])
def test_a_page_viewed_again_reads_neither_the_programme_s_settings_nor_its_whole_selection(connection, client_as,
                                                                                          world, db, url):
    db.commit()
    url = url.format(slug=world.programme.slug, irritant=world.own_irritant.id)
    client = client_as("facilitator")
    client.get(url)
    with statements_run(connection) as statements:
        assert client.get(url).status_code == 200
    read = " ".join(statements)
    assert not [table for table in KEPT_TABLES if f"FROM {table}" in read], statements
    # The grid's page reads its own enrolments (by id, or a LIMIT); the whole pool, and the order of the programme's
    # candidacies, are read only when they changed. The list's menu of enrolled collectivities too.
    assert not [s for s in statements if "FROM enrolment JOIN collectivity" in s and "LIMIT" not in s
                and "enrolment.id IN" not in s], statements
    assert not [s for s in statements if "FROM collectivity JOIN enrolment" in s], statements


def test_a_programme_s_collectivity_list_viewed_again_does_not_count_its_collectivities(connection, client_as,
                                                                                       world, db):
    db.commit()
    client = client_as("facilitator")
    url = f"/collectivites?programme={world.programme.slug}&kind=commune"
    client.get(url)
    with statements_run(connection) as statements:
        assert client.get(url).status_code == 200
    assert not [s for s in statements if s.lstrip().startswith("SELECT count(*)")], statements
