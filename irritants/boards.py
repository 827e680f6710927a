"""Boards: the first cards of each status column, by priority, and each column's count (capped on a programme's)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy import orm as so
from sqlmodel import Session, select

from hub.core import revisions
from irritants.models import Irritant, priority_order
from participants.models import Collectivity

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


# What a board may be filtered on: the filters' names and the columns they match.
FILTER_COLUMNS = {"collectivity_id": Irritant.collectivity_id, "programme_id": Irritant.programme_id,
                  "theme": Irritant.theme, "service": Irritant.service}


@dataclass(frozen=True)
class BoardFilters:
    """A board: one collectivity's, or a programme's across its collectivities; by theme and service."""

    collectivity_id: int | None = None
    programme_id: int | None = None
    theme: str | None = None
    service: str | None = None

    def values(self) -> dict[str, object]:
        """The filters given, by name (an empty theme or service filters nothing)."""
        return {name: getattr(self, name) for name in FILTER_COLUMNS if getattr(self, name) not in (None, "")}

    def conditions(self) -> list:
        """The WHERE clauses these filters make."""
        return [FILTER_COLUMNS[name] == value for name, value in self.values().items()]


def board(session: Session, *, filters: BoardFilters, count_cap: int | None = None,
          column_size: int = BOARD_COLUMN_SIZE) -> tuple[dict[str, list[sa.Row]], dict[str, int], dict[int, str]]:
    """The first ``column_size`` cards of each status column, each column's count (to ``count_cap`` + 1), and
    the names of the collectivities the cards belong to (read with the cards).

    A card is a row of ``CARD_COLUMNS`` (``card.title``…), not an Irritant: loading 70 ORM objects cost twice the
    statement itself. Two statements whatever the number of irritants: the columns' counts, then the cards of all
    columns. Both are built once per kind of filter (collectivity or programme, with a theme or a service…) and
    run with the filters' values: building them, seven subqueries each, cost more than running them.
    """
    values = filters.values()
    if count_cap is None:
        counts = dict(session.exec(select(Irritant.status, sa.func.count(Irritant.id))
                                   .where(*filters.conditions()).group_by(Irritant.status)).all())
    else:
        counts = _capped_counts(session, filters, count_cap)
    columns: dict[str, list[sa.Row]] = {status: [] for status in BOARD_STATUSES}
    names: dict[int, str] = {}
    for card in session.execute(_first_cards(tuple(values), column_size), named_values(values)):
        columns[card.status].append(card)
        names[card.collectivity_id] = card.collectivity_name
    return columns, counts, names


def _capped_counts(session: Session, filters: BoardFilters, cap: int) -> dict[str, int]:
    values = filters.values()

    def count() -> tuple[tuple[str, int], ...]:
        return tuple((status, n) for status, n in session.execute(_capped_status_counts(tuple(values), cap),
                                                                  named_values(values)).all() if n)

    if filters.programme_id is None:
        return dict(count())
    # A programme's board counts up to 7,000 index entries on each view (1.2 ms on PostgreSQL): the counts are kept
    # per worker while its irritants stand as counted (hub.core.revisions).
    return dict(revisions.kept(session, filters.programme_id, "irritants_revision",
                               ("board_counts", tuple(sorted(values.items())), cap), count))


def named_values(values: dict[str, object]) -> dict[str, object]:
    """The filters' values under the names ``filtered_on``'s parameters bear."""
    return {f"board_{name}": value for name, value in values.items()}


def filtered_on(names: tuple[str, ...]) -> list:
    """The WHERE clauses of these filters, with named parameters instead of values: a statement built once with
    them serves every value (``named_values``)."""
    return [FILTER_COLUMNS[name] == sa.bindparam(f"board_{name}") for name in names]


@lru_cache(maxsize=32)
def _first_cards(names: tuple[str, ...], column_size: int):
    """The first ``column_size`` cards of every column, in one statement ordered by priority.

    Each column is its own short read straight from an index on (owner, status, priority…), where a window
    function over a national programme would sort 100,000 rows; the columns are put together with UNION ALL,
    one round trip instead of seven (each one a tenth of a millisecond in PostgreSQL, several in the driver).
    """
    conditions = filtered_on(names)
    per_column = [select(*CARD_COLUMNS).where(*conditions, Irritant.status == status)
                  .order_by(*priority_order()).limit(sa.literal(column_size, literal_execute=True)).subquery()
                  for status in BOARD_STATUSES]
    # Each column is a subquery: SQLite accepts no ORDER BY or LIMIT on a member of a UNION itself.
    union = sa.union_all(*(sa.select(column) for column in per_column)).subquery("board_cards")
    # The columns of an alias of Irritant, not plain columns of the union: the statement stays an ORM one, which
    # the session's scope (hub.core.scoping) narrows like any other, alias included.
    card = so.aliased(Irritant, union)
    # The collectivity's name with each card: a programme's board names it, in the same round trip. A subquery by
    # primary key for each of the 70 cards, where a join had PostgreSQL scan all 2,000 collectivities.
    name = (sa.select(Collectivity.name).where(Collectivity.id == card.collectivity_id)
            .scalar_subquery().label("collectivity_name"))
    return sa.select(*(getattr(card, column.key) for column in CARD_COLUMNS), name).order_by(*priority_order(card))


@lru_cache(maxsize=32)
def _capped_status_counts(names: tuple[str, ...], cap: int):
    """Each column's count, stopping at ``cap`` + 1, in one statement: a national board reads at most
    ``cap`` + 1 index entries per status where a grouped count reads all 100,000 (11 ms on SQLite). Only the
    columns' statuses: a programme's board shows no set-aside column.
    """
    conditions = filtered_on(names)
    per_status = [sa.select(sa.literal(status).label("status"), sa.func.count().label("n")).select_from(
        sa.select(Irritant.id).where(*conditions, Irritant.status == status).limit(cap + 1).subquery())
        for status in BOARD_STATUSES]
    return sa.union_all(*per_status)
