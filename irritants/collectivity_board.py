"""A collectivity's board in one statement: each column's first cards and count, and the irritants set aside
(« Écarté ») or abandoned, which leave the columns but stay in sight with the note that says why.

A collectivity holds a few hundred irritants at most, so each column counts all of its own with a window function
while it reads its first cards: the counts, the cards and the set-aside cards with their reasons come in one round
trip where they took three (a programme's board, across 100,000 irritants, counts to a cap instead: boards.board).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy import orm as so
from sqlmodel import Session, select

from irritants.boards import BOARD_COLUMN_SIZE, BOARD_STATUSES, CARD_COLUMNS, BoardFilters, filtered_on, named_values
from irritants.models import Irritant, IrritantEvent, priority_order

SET_ASIDE_STATUSES = ("rejected", "abandoned")
SET_ASIDE = "set_aside"  # the union's member of the irritants set aside or abandoned


@dataclass
class SetAside:
    """One irritant out of the running, and the note given when it left (the reason the collectivity reads)."""

    irritant: sa.Row  # the irritant's CARD_COLUMNS (.id, .title…)
    reason: str


@dataclass
class CollectivityBoard:
    """The columns' first cards and counts by status, and the latest irritants set aside with how many in all."""

    columns: dict[str, list[sa.Row]]
    counts: dict[str, int]
    set_aside: list[SetAside] = field(default_factory=list)
    set_aside_count: int = 0


def board_with_set_aside(session: Session, *, filters: BoardFilters) -> CollectivityBoard:
    """The board of ``filters.collectivity_id`` (with a theme or a service), in one statement."""
    values = filters.values()
    found = CollectivityBoard(columns={status: [] for status in BOARD_STATUSES}, counts={})
    for row in session.execute(_board_statement(tuple(values)), named_values(values)):
        if row.member == SET_ASIDE:
            found.set_aside.append(SetAside(row, row.reason or ""))
            found.set_aside_count = row.member_count
        else:
            found.columns[row.status].append(row)
            found.counts[row.status] = row.member_count
    # The union comes ordered by priority; the set-aside cards read the latest first.
    found.set_aside.sort(key=lambda aside: (aside.irritant.updated_at, aside.irritant.id), reverse=True)
    return found


@lru_cache(maxsize=16)
def _board_statement(names: tuple[str, ...]):
    """Each column's first cards with the column's count (a window over the whole column, before its LIMIT), and
    the set-aside member likewise; built once per kind of filter, run with the filters' values."""
    conditions = filtered_on(names)

    def member(name: str, where, order) -> sa.Subquery:
        return (select(*CARD_COLUMNS, sa.literal(name).label("member"), sa.func.count().over().label("member_count"))
                .where(*conditions, where).order_by(*order).limit(BOARD_COLUMN_SIZE).subquery())

    members = [member(status, Irritant.status == status, priority_order()) for status in BOARD_STATUSES]
    members.append(member(SET_ASIDE, Irritant.status.in_(SET_ASIDE_STATUSES),
                          (Irritant.updated_at.desc(), Irritant.id.desc())))
    # Each member a subquery: SQLite accepts no ORDER BY or LIMIT on a member of a UNION itself.
    union = sa.union_all(*(sa.select(member) for member in members)).subquery("collectivity_board")
    # Columns of an alias of Irritant: the statement stays an ORM one, which the session's scope narrows.
    card = so.aliased(Irritant, union)
    # The note of a set-aside irritant's last step into that state, read with it; none for the other cards.
    reason = (select(IrritantEvent.note).where(IrritantEvent.irritant_id == card.id,
                                               IrritantEvent.to_status.in_(SET_ASIDE_STATUSES))
              .order_by(IrritantEvent.at.desc(), IrritantEvent.id.desc()).limit(1).scalar_subquery())
    return (sa.select(*(getattr(card, column.key) for column in CARD_COLUMNS), union.c.member, union.c.member_count,
                      sa.case((union.c.member == SET_ASIDE, reason)).label("reason"))
            .order_by(*priority_order(card)))
