"""The number of SQL queries a page makes does not grow with the data (DESIGN §6)."""

from __future__ import annotations

import pytest

from tests import factories
from tests.sql_statements import page_queries


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


@pytest.mark.parametrize("role", sorted(PAGES))
def test_queries_per_page_do_not_grow_with_the_data(connection, client_as, world, db, role):
    urls = [u.format(slug=world.programme.slug, own=world.own.id, irritant=world.own_irritant.id,
                     workshop=world.own_workshop.id, kind=world.own.kind, dep=world.own.departement_code)
            for u in PAGES[role]]
    client = client_as(role)
    before = {url: page_queries(connection, client, url) for url in urls}
    _grow(db, world, irritants=60, collectivities=12)
    after = {url: page_queries(connection, client, url) for url in urls}
    assert after == before, (before, after)
    # The header's unread count and the programme menu cost a query or two on every page: the bound is 24.
    assert 0 < min(before.values()) and max(before.values()) < 24
