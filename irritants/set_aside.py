"""Irritants set aside (« Écarté ») or abandoned: they leave the board's columns but stay in sight, with why."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Row
from sqlmodel import Session, select

from irritants.boards import BOARD_COLUMN_SIZE, BoardFilters
from irritants.models import Irritant, IrritantEvent

SET_ASIDE_STATUSES = ("rejected", "abandoned")
ASIDE_COLUMNS = (Irritant.id, Irritant.collectivity_id, Irritant.programme_id, Irritant.title, Irritant.status,
                 Irritant.service, Irritant.updated_at)


@dataclass
class SetAside:
    """One irritant out of the running, and the note given when it left (the reason the collectivity reads)."""

    irritant: Row  # the irritant's ASIDE_COLUMNS (.id, .title…)
    reason: str


def set_aside(session: Session, *, filters: BoardFilters, total: int) -> tuple[list[SetAside], int]:
    """The latest irritants set aside or abandoned under these filters, each with its reason, and ``total``: how many
    in all, which the board has already counted by status.

    One statement whatever the data (the first cards, each with its last step's note), none when there is nothing
    set aside.
    """
    if not total:
        return [], 0
    conditions = [*filters.conditions(), Irritant.status.in_(SET_ASIDE_STATUSES)]
    # The note of the irritant's last step into this state, read with it (a second round trip otherwise).
    reason = (select(IrritantEvent.note).where(IrritantEvent.irritant_id == Irritant.id,
                                               IrritantEvent.to_status.in_(SET_ASIDE_STATUSES))
              .order_by(IrritantEvent.at.desc(), IrritantEvent.id.desc()).limit(1)
              .correlate(Irritant).scalar_subquery())
    # What the board writes of each: its title, status and service, as rows (ORM objects cost more than the read).
    rows = session.execute(select(*ASIDE_COLUMNS, reason.label("reason")).where(*conditions)
                           .order_by(Irritant.updated_at.desc(), Irritant.id.desc()).limit(BOARD_COLUMN_SIZE))
    return [SetAside(row, row.reason or "") for row in rows], total
