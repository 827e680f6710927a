"""The figures a programme's home page and report open with, counted across every domain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from exports.cutoff import irritants_on, workshop_counts
from hub.core import revisions
from irritants.models import QUALIFIED_STATUSES
from participants.models import Collectivity, Enrolment
from workshops.models import Workshop


@dataclass(frozen=True)
class ProgrammeSummary:
    """The figures a programme's home and report open with."""

    collectivities: int
    departements: int
    kinds: int
    population: int
    workshops: int
    workshops_held: int
    agents_met: int
    irritants: int
    qualified: int
    by_status: dict[str, int]


def programme_summary(session: Session, programme_id: int, *, as_of: date | None = None) -> ProgrammeSummary:
    """Counts over the collectivities, workshops and irritants the session may see, on ``as_of`` if given."""
    enrolled = (select(sa.func.count(Collectivity.id), sa.func.count(sa.distinct(Collectivity.departement_code)),
                       sa.func.count(sa.distinct(Collectivity.kind)),
                       sa.func.coalesce(sa.func.sum(Collectivity.population), 0))
                .join(Enrolment, Enrolment.collectivity_id == Collectivity.id)
                .where(Enrolment.programme_id == programme_id, Enrolment.status.in_(("enrolled", "completed"))))
    collectivities, departements, kinds, population = session.exec(enrolled).one()
    held = Workshop.status.in_(("held", "published"))
    workshops, workshops_held, agents_met = session.exec(
        select(sa.func.count(Workshop.id), sa.func.count(sa.case((held, 1))),
               sa.func.coalesce(sa.func.sum(sa.case((held, Workshop.agents_met), else_=0)), 0))
        .where(Workshop.programme_id == programme_id, workshop_counts(as_of))).one()
    by_status = dict(_irritants_by_status(session, programme_id) if as_of is None
                     else _count_by_status(session, programme_id, as_of))
    return ProgrammeSummary(
        collectivities=collectivities, departements=departements, kinds=kinds, population=int(population),
        workshops=workshops, workshops_held=workshops_held, agents_met=int(agents_met),
        irritants=sum(by_status.values()), qualified=sum(by_status.get(s, 0) for s in QUALIFIED_STATUSES),
        by_status=by_status,
    )


def _count_by_status(session: Session, programme_id: int, as_of: date | None) -> tuple[tuple[str, int], ...]:
    counted = irritants_on(programme_id, as_of)
    return tuple(session.exec(select(counted.c.status, sa.func.count(counted.c.id)).group_by(counted.c.status)))


def _irritants_by_status(session: Session, programme_id: int) -> tuple[tuple[str, int], ...]:
    # Today's counts are kept per worker under the irritant counter, which moves whenever an irritant is added,
    # removed or changes status (migration 0021): counting a national programme's 100,000 took 12 ms on each
    # view of the team's home, for every programme it lists.
    return revisions.kept(session, programme_id, "irritants_revision", "by-status",
                          lambda: _count_by_status(session, programme_id, None))
