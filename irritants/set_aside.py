"""Irritants set aside (« Écarté ») or abandoned: they leave the board's columns but stay in sight, with why."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import orm as so
from sqlmodel import Session, select

from irritants.boards import BOARD_COLUMN_SIZE, BoardFilters
from irritants.models import Irritant, IrritantEvent

SET_ASIDE_STATUSES = ("rejected", "abandoned")
ASIDE_COLUMNS = (Irritant.id, Irritant.collectivity_id, Irritant.programme_id, Irritant.title, Irritant.status,
                 Irritant.service, Irritant.updated_at)


@dataclass
class SetAside:
    """One irritant out of the running, and the note given when it left (the reason the collectivity reads)."""

    irritant: Irritant
    reason: str


def set_aside(session: Session, *, filters: BoardFilters, total: int) -> tuple[list[SetAside], int]:
    """The latest irritants set aside or abandoned under these filters, each with its reason, and ``total``: how many
    in all, which the board has already counted by status.

    Two queries whatever the data (the first cards, and their last steps), none when there is nothing set aside.
    """
    if not total:
        return [], 0
    conditions = [*filters.conditions(), Irritant.status.in_(SET_ASIDE_STATUSES)]
    # What the board writes of each: its title, status and service (a board loads only what it shows).
    rows = list(session.exec(select(Irritant).options(so.load_only(*ASIDE_COLUMNS)).where(*conditions)
                             .order_by(Irritant.updated_at.desc(), Irritant.id.desc()).limit(BOARD_COLUMN_SIZE)))
    reasons: dict[int, str] = {}
    if rows:
        events = session.exec(select(IrritantEvent.irritant_id, IrritantEvent.note)
                              .where(IrritantEvent.irritant_id.in_([row.id for row in rows]),
                                     IrritantEvent.to_status.in_(SET_ASIDE_STATUSES))
                              .order_by(IrritantEvent.at, IrritantEvent.id))
        for irritant_id, note in events:  # oldest first: the last step into this state wins
            reasons[irritant_id] = note
    return [SetAside(row, reasons.get(row.id, "")) for row in rows], total
