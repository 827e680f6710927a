"""The calendar of a large programme: one month at a time, every month listed with its count, odd months refused."""

from __future__ import annotations

from datetime import date

import pytest

from tests import factories
from tests.sql_statements import page_queries
from workshops import service


@pytest.fixture
def large(monkeypatch, world, db):
    """The world's programme counted as large: three workshops over the threshold of two (a national one has 6,000)."""
    factories.workshop(db, world.programme, world.own, held_on=date(2024, 10, 3))
    db.commit()
    monkeypatch.setattr(service, "CALENDAR_WHOLE_UP_TO", 2)
    return f"/programmes/{world.programme.slug}/calendrier"


def _month_index(page: str) -> str:
    return page.split('aria-label="Mois du programme"')[1].split("</nav>")[0]


def test_a_large_programme_shows_the_month_asked_for_and_lists_every_month_with_its_count(client_as, large):
    page = client_as("facilitator").get(f"{large}?mois=2024-10").get_data(as_text=True)
    assert page.count('class="calendar-month"') == 1 and 'id="mois-2024-10-01"' in page
    assert "3 octobre 2024 — Chéroy" in page and "Lormes" not in page  # May's workshops stay in May
    index = _month_index(page)
    assert index.count("<li>") == 13  # April 2024 to April 2025, empty months included
    for month in ("mai 2024 — 2 ateliers", "octobre 2024 — 1 atelier", "juin 2024 — aucun atelier"):
        assert month in index
    assert 'mois=2024-10" aria-current="page">octobre 2024' in index


def test_a_large_programme_opens_on_its_first_month_with_workshops_outside_its_dates(client_as, large):
    page = client_as("facilitator").get(large).get_data(as_text=True)  # today (2026) is after the programme
    assert page.count('class="calendar-month"') == 1 and 'id="mois-2024-05-01"' in page
    assert "Chéroy" in page and "Lormes" in page
    assert "n'est pas un mois du programme" not in page


@pytest.mark.parametrize("asked", ["2024-13", "mai", "2023-01", "2025-05", "2024-5", "9999-99", "٢٠٢٤-١٠"])
def test_a_month_the_programme_does_not_have_shows_its_first_month_with_workshops_and_says_so(client_as, large,
                                                                                                asked):
    response = client_as("facilitator").get(large, query_string={"mois": asked})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="mois-2024-05-01"' in page
    assert f"« {asked} » n'est pas un mois du programme (AAAA-MM) : voici mai 2024." in page


def test_a_small_programme_shows_every_month_whatever_the_month_asked(client_as, world):
    page = client_as("facilitator").get(f"/programmes/{world.programme.slug}/calendrier?mois=2024-10")
    html = page.get_data(as_text=True)
    assert html.count('class="calendar-month"') == 13 and 'aria-label="Mois du programme"' not in html


def test_a_large_programme_s_calendar_runs_as_many_queries_whatever_its_size(connection, client_as, world, db, large):
    client = client_as("facilitator")
    before = page_queries(connection, client, f"{large}?mois=2024-05")
    for day in range(1, 20):
        factories.workshop(db, world.programme, factories.collectivity(db, world.programme),
                           held_on=date(2024, 5, day))
    db.commit()
    assert page_queries(connection, client, f"{large}?mois=2024-05") == before
