"""What a programme's pages read on every view and rarely changes, kept per worker while the database says it is
unchanged.

Each programme carries three counters that the database's own triggers move on every write of the rows they stand
for (migrations 0020 to 0022): ``settings_revision`` (themes, services, scoring parameters), ``selection_revision``
(enrolments, what the selection weighs of their collectivities, and the register's collectivities added, removed or
renamed) and ``irritants_revision`` (irritants added or removed, or changed in what the lists and boards count them
by). A value computed from those rows is kept under the counter's value read before computing it; a change moves the
counter and the next view computes again.
The rows are read after the counter, so a kept value is never older than its key.

A session that has written in its open transaction neither reads what is kept nor keeps what it computes: what it
sees may yet be rolled back, and another transaction may later move the counter to the same value. Writes are seen
through the ORM's flushes and ``session.execute``; a statement sent on ``session.connection()`` is not, so no writer
of the counted tables sends one there.
"""

from __future__ import annotations

from typing import Callable, Hashable, Literal, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from hub.core.models import Programme

Counter = Literal["settings_revision", "selection_revision", "irritants_revision"]
COUNTERS = ("settings_revision", "selection_revision", "irritants_revision")
T = TypeVar("T")

WROTE = "revisions.wrote"  # session.info: this session has written in its open transaction
KEPT_AT_MOST = 512  # a bound, not an LRU: a few programmes × a few values each (a grid per number of seats)
_kept: dict[tuple, tuple[tuple, object]] = {}


def kept(session: Session, programme_id: int, counter: Counter, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, or what it gave while the programme's ``counter`` stood where it stands now.

    ``compute`` must return a value no caller changes (tuples, frozen dataclasses, a dict copied by the caller).
    """
    if session.info.get(WROTE):
        return compute()
    programme = session.get(Programme, programme_id)  # from the identity map on a programme's pages
    if programme is None:
        return compute()
    # created_at too: SQLite may give a rolled-back programme's id to the next one.
    revision = (programme.created_at, getattr(programme, counter))
    # The session's scope too: what a référent's session computes holds only their collectivity's rows (and the
    # team's holds every collectivity's), so neither may be served to the other.
    slot = (programme_id, counter, key, session.info.get("scope"))
    entry = _kept.get(slot)
    if entry is not None and entry[0] == revision:
        return entry[1]  # type: ignore[return-value]
    value = compute()
    if len(_kept) >= KEPT_AT_MOST:
        _kept.clear()
    _kept[slot] = (revision, value)
    return value


def forget_all() -> None:
    """Drop everything kept (tests: ids and counters start again with each test's rolled-back data)."""
    _kept.clear()


@event.listens_for(Session, "after_flush")
def _wrote(session: Session, _flush_context) -> None:
    session.info[WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _wrote_in_bulk(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[WROTE] = True


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    # The triggers moved the counters in the database; a programme kept in the session (expire_on_commit is off)
    # reads them again when next asked.
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Programme):
            session.expire(obj, list(COUNTERS))


@event.listens_for(Session, "after_transaction_end")
def _transaction_ended(session: Session, transaction) -> None:
    # Only the outermost: a savepoint rolled back leaves what was written before it.
    if transaction.parent is None:
        session.info.pop(WROTE, None)
