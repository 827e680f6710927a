"""Lists sorted by their columns: ``?tri=colonne&ordre=asc|desc`` read against each list's own columns, in SQL.

An unknown column or order is the list's default order, never an error. The header links (``hub/_sorting.html``)
keep the list's filters, and the pager keeps the sort.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from hub.core.query import str_arg

SORT_ARG, ORDER_ARG = "tri", "ordre"
ASCENDING, DESCENDING = "asc", "desc"


@dataclass(frozen=True)
class Sort:
    """The column a list is sorted by (None: the list's default order) and its direction."""

    key: str | None = None
    descending: bool = False

    def args(self) -> dict:
        """The query-string arguments that give this sort back (none for the default order)."""
        if self.key is None:
            return {}
        return {SORT_ARG: self.key, ORDER_ARG: DESCENDING if self.descending else ASCENDING}

    def link(self, key: str) -> dict:
        """The arguments of a column header's link: this column ascending, or reversed if it is the one sorted."""
        descending = not self.descending if key == self.key else False
        return {SORT_ARG: key, ORDER_ARG: DESCENDING if descending else ASCENDING}

    def aria(self, key: str) -> str | None:
        """The ``aria-sort`` value of a column header: only the sorted column has one."""
        if key != self.key:
            return None
        return "descending" if self.descending else "ascending"


@dataclass(frozen=True)
class Sortable:
    """A list's sortable columns: a key of the query string → the SQL expressions it orders by."""

    columns: Mapping[str, Sequence[sa.ColumnElement]]
    tiebreak: sa.ColumnElement  # the id: two rows never tie, so pages never overlap
    default: Sort = Sort()

    def read(self, args=None) -> Sort:
        """The sort the query string asks for, or the default when its column or order is unknown."""
        key = str_arg(SORT_ARG, args=args)
        order = str_arg(ORDER_ARG, ASCENDING, args=args)
        if key not in self.columns or order not in (ASCENDING, DESCENDING):
            return self.default
        return Sort(key, order == DESCENDING)

    def order(self, sort: Sort) -> list | None:
        """The ORDER BY of this sort; None for the default, which the list's own order (and its index) gives."""
        if sort == self.default or sort.key not in self.columns:
            return None
        ordered = []
        for column in self.columns[sort.key]:
            directed = column.desc() if sort.descending else column.asc()
            # NULLs last both ways, on SQLite as on PostgreSQL; a NOT NULL column keeps a plain ORDER BY, which
            # an index can give.
            ordered.append(directed.nulls_last() if getattr(_expression(column), "nullable", True) else directed)
        return [*ordered, self.tiebreak.desc() if sort.descending else self.tiebreak.asc()]


def _expression(column):
    return getattr(column, "expression", column)
