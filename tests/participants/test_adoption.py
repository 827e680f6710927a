"""Adoption arithmetic: seats held in a month, rates, months without seats, programme totals, falling away."""

from __future__ import annotations

from datetime import date

import pytest

from participants.adoption import (
    MonthFigures,
    SeatGrant,
    is_falling,
    months_between,
    programme_series,
    rate,
    seats_in,
    series,
)

SEPT, OCT, NOV, DEC = date(2024, 9, 1), date(2024, 10, 1), date(2024, 11, 1), date(2024, 12, 1)


def test_months_between_crosses_the_year():
    assert months_between(date(2024, 11, 15), 3) == [NOV, DEC, date(2025, 1, 1)]


def test_seats_held_in_a_month():
    grants = [SeatGrant(10, date(2024, 9, 16)), SeatGrant(5, date(2024, 9, 1), withdrawn_on=date(2024, 11, 1))]
    assert seats_in(grants, date(2024, 8, 1)) == 0  # before any grant
    assert seats_in(grants, SEPT) == 15  # granted during September: counted
    assert seats_in(grants, OCT) == 15
    assert seats_in(grants, NOV) == 10  # withdrawn on 1 November: not held in November


def test_rates_and_months_without_seats():
    assert rate(12, 15) == pytest.approx(0.8)
    assert rate(3, 0) is None  # no seat: nothing to adopt, not 0 %
    assert rate(None, 10) is None  # no record for the month


def test_series_and_programme_totals():
    grants = [SeatGrant(10, date(2024, 9, 16))]
    a = series([SEPT, OCT], grants, {SEPT: (5, 40), OCT: (8, 90)})
    b = series([SEPT, OCT], [SeatGrant(20, date(2024, 10, 1))], {OCT: (10, 50)})
    assert [f.rate for f in a] == [0.5, 0.8]
    assert [f.rate for f in b] == [None, 0.5]  # no seat in September
    total = programme_series([a, b])
    # September: only a reported (5 of 10); October: 18 of 30.
    assert [(f.active_users, f.seats) for f in total] == [(5, 10), (18, 30)]
    assert total[1].rate == pytest.approx(0.6) and total[1].requests == 140


def _rows(rates):
    return [MonthFigures(date(2025, m + 1, 1), 100, round(r * 100), 0) for m, r in enumerate(rates)]


def test_a_collectivity_falling_away_stands_out():
    assert is_falling(_rows([0.5, 0.9, 0.8, 0.6]))
    assert not is_falling(_rows([0.5, 0.9, 0.8, 0.85]))  # back up last month
    assert not is_falling(_rows([0.9, 0.88, 0.86]))  # down, but by less than 20 points
    assert not is_falling(_rows([0.9, 0.5]))  # too few months to tell
