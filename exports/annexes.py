"""One page per collectivity: the report's annexes and the sheet a référent downloads.

Grouped queries, never one per collectivity: a national programme's report has hundreds of
annexes and the number of queries must not grow with them (DESIGN §6).
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from exports import cutoff
from hub.core.models import Programme
from irritants.models import QUALIFIED_STATUSES, Decision, DecisionIrritant, Irritant
from participants import usage
from participants.models import Collectivity, Enrolment
from workshops.models import Workshop

ANNEX_TOP = 5  # an annex is one page: its irritants table is cut to the five with most at stake


def _enrolled(session: Session, programme: Programme, collectivity_id: int | None) -> list[Collectivity]:
    statement = (select(Collectivity).join(Enrolment, Enrolment.collectivity_id == Collectivity.id)
                 .where(Enrolment.programme_id == programme.id, Enrolment.status.in_(("enrolled", "completed")))
                 .order_by(Collectivity.departement_code, Collectivity.name))
    if collectivity_id is not None:
        statement = statement.where(Collectivity.id == collectivity_id)
    return list(session.exec(statement))


def collectivity_annexes(session: Session, programme: Programme, *, collectivity_id: int | None = None,
                         limit: int | None = ANNEX_TOP, as_of: date | None = None) -> list[dict]:
    """Each enrolled collectivity's workshops, irritants, decisions and usage on ``as_of`` (fixed number of queries)."""
    collectivities = _enrolled(session, programme, collectivity_id)
    if not collectivities:
        return []
    ids = [c.id for c in collectivities]
    in_scope = Irritant.collectivity_id.in_(ids)
    workshops: dict[int, list[dict]] = {i: [] for i in ids}
    for workshop in session.exec(select(Workshop).where(Workshop.programme_id == programme.id,
                                                        Workshop.collectivity_id.in_(ids),
                                                        cutoff.workshop_counts(as_of)).order_by(Workshop.held_on)):
        workshops[workshop.collectivity_id].append({
            "held_on": workshop.held_on.isoformat(), "status": workshop.status, "agents_met": workshop.agents_met,
            "services": list(workshop.services)})
    # Each irritant that counts on the date, with its status then; family and priority are today's answers, from
    # qualification inputs that are not historised.
    on = cutoff.irritants_on(programme.id, as_of, collectivity_ids=ids).c
    totals = {cid: (count, qualified, hours) for cid, count, qualified, hours in session.exec(
        select(on.collectivity_id, sa.func.count(on.id),
               sa.func.count(sa.case((on.status.in_(QUALIFIED_STATUSES), 1))),
               sa.func.coalesce(sa.func.sum(on.hours_per_year), 0))
        .where(on.status != "proposed")
        .group_by(on.collectivity_id))}
    # The one order of boards and reports (irritants.models.priority_order), on the subquery's columns.
    order = (on.priority_sort.desc(), on.hours_per_year.desc(), on.id.desc())
    rank = sa.func.row_number().over(partition_by=on.collectivity_id, order_by=order).label("rank")
    ranked = (select(on.collectivity_id, on.title, on.status, on.theme, on.hours_per_year,
                     on.recommended_family, on.priority_value, rank)
              .where(on.status != "proposed").subquery())
    statement = sa.select(ranked).order_by(ranked.c.collectivity_id, ranked.c.rank)
    if limit is not None:
        statement = statement.where(ranked.c.rank <= limit)
    irritants: dict[int, list[dict]] = {i: [] for i in ids}
    for row in session.execute(statement):
        irritants[row.collectivity_id].append({
            "title": row.title, "status": row.status, "theme": row.theme, "hours": round(row.hours_per_year),
            "family": row.recommended_family, "value": row.priority_value})
    decisions: dict[int, list[dict]] = {i: [] for i in ids}
    for cid, decision, title in session.exec(
            select(Irritant.collectivity_id, Decision, Irritant.title)
            .join(DecisionIrritant, DecisionIrritant.decision_id == Decision.id)
            .join(Irritant, Irritant.id == DecisionIrritant.irritant_id)
            .where(Decision.programme_id == programme.id, in_scope,
                   *([Decision.decided_on <= as_of] if as_of is not None else []))
            .order_by(Decision.decided_on, Decision.id)):
        decisions[cid].append({"decided_on": decision.decided_on.isoformat(), "kind": decision.kind,
                               "irritant": title, "owner": decision.owner})
    _calendar, _names, per_collectivity, _totals = usage.adoption_table(session, programme=programme, as_of=as_of)
    annexes = []
    for collectivity in collectivities:
        count, qualified, hours = totals.get(collectivity.id, (0, 0, 0))
        months = [m for m in per_collectivity.get(collectivity.id, []) if m.active_users is not None]
        annexes.append({
            "slug": collectivity.slug, "name": collectivity.name, "kind": collectivity.kind,
            "departement_code": collectivity.departement_code, "population": collectivity.population,
            "workshops": workshops[collectivity.id],
            "irritants": {"count": count, "qualified": qualified, "hours": round(float(hours)),
                          "rows": irritants[collectivity.id]},
            "decisions": decisions[collectivity.id],
            "usage": {"months": [{"month": m.month.isoformat(), "seats": m.seats, "active_users": m.active_users,
                                  "rate": m.rate} for m in months]},
        })
    return annexes


def collectivity_sheet(session: Session, programme: Programme, collectivity: Collectivity, *,
                       as_of: date | None = None) -> dict | None:
    """One collectivity's whole sheet on ``as_of``: every irritant, not only the top five; None if not enrolled."""
    found = collectivity_annexes(session, programme, collectivity_id=collectivity.id, limit=None, as_of=as_of)
    return found[0] if found else None
