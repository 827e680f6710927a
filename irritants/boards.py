"""Boards: the first cards of each status column, by priority, and each column's count (capped on a programme's)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm as so
from sqlmodel import Session, select

from irritants.models import IRRITANT_STATUSES, Irritant, priority_order

# How many cards a board column shows before pointing to the full, paginated list.
BOARD_COLUMN_SIZE = 25
# A programme's board spans every collectivity: each column shows its ten first cards by priority, and links to
# the list of all of them (rendering a national board's 150 cards cost more than all its queries).
PROGRAMME_BOARD_COLUMN_SIZE = 10
# What a card shows or its note weighs (answers.card_notes): a board loads only these columns of an irritant.
CARD_COLUMNS = (Irritant.id, Irritant.collectivity_id, Irritant.programme_id, Irritant.title, Irritant.service,
                Irritant.theme, Irritant.status, Irritant.hours_per_year, Irritant.recommended_family,
                Irritant.priority_sort, Irritant.volume_unknown, Irritant.evidence_level, Irritant.impact_citizens,
                Irritant.compliance_risk, Irritant.mental_load, Irritant.actionability, Irritant.updated_at)
# A programme's board counts each column this far: past it the column says « plus de 1 000 » and links to the list.
BOARD_COUNT_CAP = 1000
BOARD_STATUSES = ("proposed", "identified", "qualified", "scored", "decided", "in_progress", "done")


@dataclass(frozen=True)
class BoardFilters:
    """A board: one collectivity's, or a programme's across its collectivities; by theme and service."""

    collectivity_id: int | None = None
    programme_id: int | None = None
    theme: str | None = None
    service: str | None = None

    def conditions(self) -> list:
        """The WHERE clauses these filters make."""
        pairs = ((Irritant.collectivity_id, self.collectivity_id), (Irritant.programme_id, self.programme_id),
                 (Irritant.theme, self.theme), (Irritant.service, self.service))
        return [column == value for column, value in pairs if value not in (None, "")]


def board(session: Session, *, filters: BoardFilters, count_cap: int | None = None,
          column_size: int = BOARD_COLUMN_SIZE) -> tuple[dict[str, list[Irritant]], dict[str, int]]:
    """The first ``column_size`` cards of each status column, and each column's count (to ``count_cap`` + 1).

    A grouped count sizes every column; then one query for the cards of all columns: two statements whatever the
    number of irritants.
    """
    conditions = filters.conditions()
    if count_cap is None:
        counts = dict(session.exec(select(Irritant.status, sa.func.count(Irritant.id))
                                   .where(*conditions).group_by(Irritant.status)).all())
    else:
        counts = _capped_status_counts(session, conditions, count_cap)
    columns: dict[str, list[Irritant]] = {status: [] for status in BOARD_STATUSES}
    for card in session.exec(_first_cards(conditions, column_size)):
        columns[card.status].append(card)
    return columns, counts


def _first_cards(conditions: list, column_size: int):
    """The first ``column_size`` cards of every column, in one statement ordered by priority.

    Each column is its own short read straight from an index on (owner, status, priority…), where a window
    function over a national programme would sort 100,000 rows; the columns are put together with UNION ALL,
    one round trip instead of seven (each one a tenth of a millisecond in PostgreSQL, several in the driver).
    """
    per_column = [select(*CARD_COLUMNS).where(*conditions, Irritant.status == status)
                  .order_by(*priority_order()).limit(column_size).subquery() for status in BOARD_STATUSES]
    # Each column is a subquery: SQLite accepts no ORDER BY or LIMIT on a member of a UNION itself.
    union = sa.union_all(*(sa.select(column) for column in per_column)).subquery("board_cards")
    card = so.aliased(Irritant, union)
    return select(card).options(so.load_only(*(getattr(card, c.key) for c in CARD_COLUMNS))).order_by(
        *priority_order(card))


def _capped_status_counts(session: Session, conditions: list, cap: int) -> dict[str, int]:
    """Each status's count, stopping at ``cap`` + 1, in one query: a national board reads at most
    ``cap`` + 1 index entries per status where a grouped count reads all 100,000 (11 ms on SQLite).
    """
    per_status = [sa.select(sa.literal(status).label("status"), sa.func.count().label("n")).select_from(
        sa.select(Irritant.id).where(*conditions, Irritant.status == status).limit(cap + 1).subquery())
        for status in IRRITANT_STATUSES]
    return {status: n for status, n in session.execute(sa.union_all(*per_status)).all() if n}
