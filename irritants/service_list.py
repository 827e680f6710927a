"""Renaming and merging a programme's services, with the irritants that carry them.

An irritant keeps its service by name (``Irritant.service``), so a rename or a merge rewrites every irritant of
the programme that carries an old name. Each is an ORM change: the audit log records every irritant moved, and
the list's entries renamed, added or removed, as every write of the hub.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from hub.core.models import utcnow
from irritants.models import Irritant
from workshops.service_list import ProgrammeService, ServiceRefused, checked_name, entries, find, folded
from workshops.service_names import likely_duplicates


@dataclass(frozen=True)
class ServiceRow:
    """A service of the list as its page shows it: the entry and the irritants that carry it."""

    entry: ProgrammeService
    irritants: int


def rows(session: Session, programme_id: int) -> list[ServiceRow]:
    """Every service of the list with its number of irritants (one grouped count, whatever the list's length)."""
    counts = dict(session.exec(select(Irritant.service, sa.func.count(Irritant.id))
                               .where(Irritant.programme_id == programme_id).group_by(Irritant.service)).all())
    return [ServiceRow(entry, counts.get(entry.name, 0)) for entry in entries(session, programme_id)]


def suggestions(service_rows: list[ServiceRow]) -> list[list[ServiceRow]]:
    """Groups of services that likely name one (``service_names.duplicate_key``), the most used first in each."""
    groups = likely_duplicates((row, row.entry.name) for row in service_rows)
    return [sorted(group, key=lambda row: (-row.irritants, row.entry.folded)) for group in groups]


def _move_irritants(session: Session, *, programme_id: int, old_names: list[str], new_name: str) -> int:
    moved = 0
    for irritant in session.exec(select(Irritant).where(Irritant.programme_id == programme_id,
                                                        Irritant.service.in_(old_names))):
        irritant.service = new_name
        irritant.updated_at = utcnow()
        session.add(irritant)
        moved += 1
    session.flush()
    return moved


def rename(session: Session, *, entry: ProgrammeService, new_name: str) -> int:
    """Rename a service and every irritant that carries it; returns how many irritants moved.

    A name that folds to another entry of the list is refused: that is a merge, which the page does apart.
    """
    name = checked_name(new_name, field="new_name")
    other = find(session, entry.programme_id, name)
    if other is not None and other.id != entry.id:
        raise ServiceRefused(_l("« %(existing)s » est déjà dans la liste : fusionnez les deux services plutôt que "
                                "d'en renommer un.", existing=other.name), field="new_name")
    old_name = entry.name
    if name == old_name:
        return 0
    entry.name, entry.folded = name, folded(name)
    session.add(entry)
    session.flush()
    return _move_irritants(session, programme_id=entry.programme_id, old_names=[old_name], new_name=name)


def merge(session: Session, *, programme_id: int, chosen: list[ProgrammeService], kept: ProgrammeService) -> int:
    """Move every irritant of the chosen services to the kept one and remove the others; returns how many moved."""
    if any(entry.programme_id != programme_id for entry in [*chosen, kept]):
        raise ServiceRefused(_l("Choisissez des services de ce programme."), field="services")
    others = [entry for entry in chosen if entry.id != kept.id]
    if not others:
        raise ServiceRefused(_l("Cochez au moins deux services à fusionner."), field="services")
    if kept.id not in {entry.id for entry in chosen}:
        raise ServiceRefused(_l("Le service gardé doit être l'un des services cochés."), field="kept")
    moved = _move_irritants(session, programme_id=programme_id, old_names=[entry.name for entry in others],
                            new_name=kept.name)
    for entry in others:
        session.delete(entry)
    session.flush()
    return moved
