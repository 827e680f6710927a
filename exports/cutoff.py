"""The report's cut-off (« données arrêtées au … »): which irritants and workshops count on a date, and as what.

Every section of the report reads these expressions, so that one version shows one date's state. ``as_of=None``
is the live report: no cut-off, the records as they stand (the expressions are then the plain columns).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import sqlalchemy as sa
from sqlmodel import select

from irritants.models import Irritant, IrritantEvent
from workshops.models import Workshop


def day_end(as_of: date) -> datetime:
    """The first instant after the cut-off day: timestamps strictly before it are on or before that day."""
    # Midnight UTC: timestamps are stored aware, in UTC (hub.core.models.utcnow).
    return datetime.combine(as_of + timedelta(days=1), time(), tzinfo=timezone.utc)


def irritant_counts(as_of: date | None):
    """A condition on Irritant: recorded on or before the cut-off day (always true without one)."""
    if as_of is None:
        return sa.true()
    end = day_end(as_of)
    # An irritant whose history was recorded after the fact (an import, the demo) has events dated before its
    # created_at: its earliest event then says when it existed. In the app's own flow the creation event and
    # created_at are the same instant, so this reads as "created_at on or before the day".
    return sa.or_(Irritant.created_at < end,
                  sa.exists().where(IrritantEvent.irritant_id == Irritant.id, IrritantEvent.at < end))


def irritant_status(as_of: date | None):
    """Irritant's status on the cut-off day: its last event's to_status by then, else its creation status."""
    if as_of is None:
        return Irritant.status
    end = day_end(as_of)
    last = (select(IrritantEvent.to_status)
            .where(IrritantEvent.irritant_id == Irritant.id, IrritantEvent.at < end)
            .order_by(IrritantEvent.at.desc(), IrritantEvent.id.desc()).limit(1).correlate(Irritant)
            .scalar_subquery())
    # No event by then: the status it was created with, i.e. the one its first later change started from; an
    # irritant with no history at all has only ever had its stored status.
    first_from = (select(IrritantEvent.from_status).where(IrritantEvent.irritant_id == Irritant.id)
                  .order_by(IrritantEvent.at, IrritantEvent.id).limit(1).correlate(Irritant).scalar_subquery())
    return sa.func.coalesce(last, first_from, Irritant.status)


def workshop_counts(as_of: date | None):
    """A condition on Workshop: held (or due) on or before the cut-off day; a later one is absent from the version."""
    return sa.true() if as_of is None else Workshop.held_on <= as_of


def counted_irritant_ids(session, *, programme_id: int, as_of: date | None) -> set[int] | None:
    """The ids of the programme's irritants that count on the date (one query); None without a cut-off."""
    if as_of is None:
        return None
    return set(session.exec(select(Irritant.id).where(Irritant.programme_id == programme_id,
                                                      irritant_counts(as_of))))


def irritants_on(programme_id: int, as_of: date | None, *, collectivity_ids: list[int] | None = None):
    """The programme's irritants that count on the date, each with its status then, as a subquery to group on."""
    # Grouping on a subquery's plain column rather than on the correlated status expression itself: PostgreSQL
    # and SQLite both accept it, and the expression is written once.
    # Qualification inputs (evidence, hours, actionability, flags) and the derived recommendation and priority are
    # not historised: a version reads their current values, only for the irritants that count on its date.
    statement = (select(Irritant.id, Irritant.collectivity_id, Irritant.title, Irritant.theme, Irritant.service,
                        Irritant.hours_per_year, Irritant.evidence_level, Irritant.actionability,
                        Irritant.impact_citizens, Irritant.compliance_risk, Irritant.mental_load,
                        Irritant.recommended_family, Irritant.priority_value, Irritant.priority_sort,
                        irritant_status(as_of).label("status"))
                 .where(Irritant.programme_id == programme_id, irritant_counts(as_of)))
    if collectivity_ids is not None:
        statement = statement.where(Irritant.collectivity_id.in_(collectivity_ids))
    return statement.subquery("irritant_on")
