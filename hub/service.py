"""Programme-level operations shared by every package."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import abort
from sqlmodel import Session, select

from hub.models import Programme, ProgrammeTheme


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


def all_programmes(session: Session) -> list[Programme]:
    """Every programme, most recent launch first."""
    return list(session.exec(select(Programme).order_by(Programme.launch_date.desc(), Programme.id)))


def visible_or_404(session: Session, model: type, row_id: int):
    """The row with this id if the session's scope lets it be seen, else a 404.

    A query rather than ``session.get``: the scope's criteria apply to queries, so a
    référent asking for another collectivity's row gets the same 404 as for a missing one.
    """
    found = session.exec(select(model).where(model.id == row_id)).first()
    if found is None:
        abort(404)
    return found


def programme_or_404(session: Session, slug: str) -> Programme:
    """The programme with this slug, or a 404."""
    programme = session.exec(select(Programme).where(Programme.slug == slug)).first()
    if programme is None:
        abort(404)
    return programme


def chosen_programme(session: Session, slug: str | None) -> Programme | None:
    """The programme named in the query string, else the latest already launched (else the next one)."""
    if slug:
        return programme_or_404(session, slug)
    newest_first = select(Programme).order_by(Programme.launch_date.desc(), Programme.id)
    launched = session.exec(newest_first.where(Programme.launch_date <= date.today())).first()
    return launched or session.exec(newest_first).first()


def themes(session: Session, programme_id: int) -> dict[str, str]:
    """The programme's themes, code → label, in the order they were declared."""
    rows = session.exec(select(ProgrammeTheme).where(ProgrammeTheme.programme_id == programme_id)
                        .order_by(ProgrammeTheme.id))
    return {row.code: row.label for row in rows}


def summary(session: Session, programme_id: int) -> ProgrammeSummary:
    """Counts over the collectivities, workshops and irritants the session may see."""
    from irritants.models import QUALIFIED_STATUSES, Irritant
    from participants.models import Collectivity, Enrolment
    from workshops.models import Workshop

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
        .where(Workshop.programme_id == programme_id)).one()
    by_status = dict(session.exec(select(Irritant.status, sa.func.count(Irritant.id))
                                  .where(Irritant.programme_id == programme_id).group_by(Irritant.status)).all())
    return ProgrammeSummary(
        collectivities=collectivities, departements=departements, kinds=kinds, population=int(population),
        workshops=workshops, workshops_held=workshops_held, agents_met=int(agents_met),
        irritants=sum(by_status.values()), qualified=sum(by_status.get(s, 0) for s in QUALIFIED_STATUSES),
        by_status=by_status,
    )
