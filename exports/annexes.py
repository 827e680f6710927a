"""One page per collectivity: the report's annexes and the sheet a référent downloads.

Grouped queries, never one per collectivity: a national programme's report has hundreds of
annexes and the number of queries must not grow with them (DESIGN §6).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from hub.core.models import Programme
from irritants.models import QUALIFIED_STATUSES, Decision, DecisionIrritant, Irritant, priority_order
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
                         limit: int | None = ANNEX_TOP) -> list[dict]:
    """Each enrolled collectivity's workshops, irritants, decisions and usage (a fixed number of queries)."""
    collectivities = _enrolled(session, programme, collectivity_id)
    if not collectivities:
        return []
    ids = [c.id for c in collectivities]
    in_scope = Irritant.collectivity_id.in_(ids)
    workshops: dict[int, list[dict]] = {i: [] for i in ids}
    for workshop in session.exec(select(Workshop).where(Workshop.programme_id == programme.id,
                                                        Workshop.collectivity_id.in_(ids)).order_by(Workshop.held_on)):
        workshops[workshop.collectivity_id].append({
            "held_on": workshop.held_on.isoformat(), "status": workshop.status, "agents_met": workshop.agents_met,
            "services": list(workshop.services)})
    totals = {cid: (count, qualified, hours) for cid, count, qualified, hours in session.exec(
        select(Irritant.collectivity_id, sa.func.count(Irritant.id),
               sa.func.count(sa.case((Irritant.status.in_(QUALIFIED_STATUSES), 1))),
               sa.func.coalesce(sa.func.sum(Irritant.hours_per_year), 0))
        .where(Irritant.programme_id == programme.id, in_scope, Irritant.status != "proposed")
        .group_by(Irritant.collectivity_id))}
    rank = sa.func.row_number().over(partition_by=Irritant.collectivity_id, order_by=priority_order()).label("rank")
    ranked = (select(Irritant.collectivity_id, Irritant.title, Irritant.status, Irritant.theme, Irritant.hours_per_year,
                     Irritant.recommended_family, Irritant.priority_value, rank)
              .where(Irritant.programme_id == programme.id, in_scope, Irritant.status != "proposed").subquery())
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
            .where(Decision.programme_id == programme.id, in_scope)
            .order_by(Decision.decided_on, Decision.id)):
        decisions[cid].append({"decided_on": decision.decided_on.isoformat(), "kind": decision.kind,
                               "irritant": title, "owner": decision.owner})
    _calendar, _names, per_collectivity, _totals = usage.adoption_table(session, programme=programme)
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


def collectivity_sheet(session: Session, programme: Programme, collectivity: Collectivity) -> dict | None:
    """One collectivity's whole sheet: every irritant of its board, not only the top five; None if not enrolled."""
    found = collectivity_annexes(session, programme, collectivity_id=collectivity.id, limit=None)
    return found[0] if found else None
