"""The figures a programme's home page and report open with, counted across every domain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from exports.cutoff import irritants_on, workshop_counts
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
    counted = irritants_on(programme_id, as_of)
    by_status = dict(session.exec(select(counted.c.status, sa.func.count(counted.c.id))
                                  .group_by(counted.c.status)).all())
    return ProgrammeSummary(
        collectivities=collectivities, departements=departements, kinds=kinds, population=int(population),
        workshops=workshops, workshops_held=workshops_held, agents_met=int(agents_met),
        irritants=sum(by_status.values()), qualified=sum(by_status.get(s, 0) for s in QUALIFIED_STATUSES),
        by_status=by_status,
    )
