"""Adoption of the programme's tool: active users over seats, month by month (pure functions).

A month with no seat has no adoption rate (there is nothing to adopt), which is not the
same as a rate of zero; the figures say which.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date

# A collectivity stands out when its latest rate is this far below its best month…
FALL_POINTS = 0.20
# …and fell in each of its last two months.
FALL_MONTHS = 2


@dataclass(frozen=True)
class SeatGrant:
    """Seats given on a date, possibly withdrawn later."""

    seats: int
    granted_on: date
    withdrawn_on: date | None = None


def months_between(start: date, count: int) -> list[date]:
    """``count`` first days of months from the month of ``start``."""
    months, year, month = [], start.year, start.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def seats_in(grants: list[SeatGrant], month: date) -> int:
    """Seats held at some point of the month: granted by its last day, not withdrawn before its first."""
    last_day = month.replace(day=monthrange(month.year, month.month)[1])
    return sum(g.seats for g in grants
               if g.granted_on <= last_day and (g.withdrawn_on is None or g.withdrawn_on > month))


def rate(active_users: int | None, seats: int) -> float | None:
    """Active users over seats; None without seats (nothing to adopt) or without a usage record."""
    if seats <= 0 or active_users is None:
        return None
    return active_users / seats


@dataclass(frozen=True)
class MonthFigures:
    """One month of one collectivity (or of the programme)."""

    month: date
    seats: int
    active_users: int | None
    requests: int | None

    @property
    def rate(self) -> float | None:
        """Adoption: active users over seats, or None."""
        return rate(self.active_users, self.seats)


def series(months: list[date], grants: list[SeatGrant], usage: dict[date, tuple[int, int]]) -> list[MonthFigures]:
    """A collectivity's months: seats held, active users and requests recorded (None when not recorded)."""
    return [MonthFigures(m, seats_in(grants, m), *(usage[m] if m in usage else (None, None))) for m in months]


def programme_series(per_collectivity: list[list[MonthFigures]]) -> list[MonthFigures]:
    """The programme month by month: seats and users summed over the collectivities that reported."""
    if not per_collectivity:
        return []
    totals = []
    for index, month in enumerate(m.month for m in per_collectivity[0]):
        column = [rows[index] for rows in per_collectivity]
        reported = [f for f in column if f.active_users is not None]
        totals.append(MonthFigures(
            month, sum(f.seats for f in reported) if reported else sum(f.seats for f in column),
            sum(f.active_users for f in reported) if reported else None,
            sum(f.requests or 0 for f in reported) if reported else None))
    return totals


def is_falling(rows: list[MonthFigures]) -> bool:
    """Whether adoption fell away: latest rate well below the best, and down each of the last months."""
    rates = [f.rate for f in rows if f.rate is not None]
    if len(rates) < FALL_MONTHS + 1:
        return False
    recent = rates[-(FALL_MONTHS + 1):]
    falling_each_month = all(later < earlier for earlier, later in zip(recent, recent[1:]))
    return falling_each_month and rates[-1] <= max(rates) - FALL_POINTS
