"""A référent's home: what happened on their board since their last visit, and what the team asks of them.

Every query here names the référent's collectivity, on top of the session's scope (hub/core/scoping.py), which
would drop another collectivity's rows anyway.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from hub.core.models import AuditEntry, Programme, User
from irritants.models import Comment, Decision, DecisionIrritant, ImpactMeasure, ImpactValue, Irritant, IrritantEvent
from participants import adoption
from participants.models import SurveyResult, SurveyWave, ToolSeat, UsageMonth
from workshops.service import programme_end

NEWS_ITEMS = 10
DECIDED_STATUSES = ("decided", "abandoned")  # where a decision moves an irritant (irritants.decisions.STATUS_AFTER)
PROPOSALS = 10


@dataclass(frozen=True)
class NewsItem:
    """Something that happened to one of the collectivity's irritants: a status change, a comment or a decision."""

    at: datetime | date
    kind: str  # status | comment | decision
    irritant_id: int
    title: str
    detail: dict = field(default_factory=dict)


def _sort_key(item: NewsItem):
    moment = item.at if isinstance(item.at, datetime) else datetime.combine(item.at, datetime.max.time())
    return moment.replace(tzinfo=None)


def news(session: Session, *, collectivity_id: int, since: datetime, reader_id: int) -> tuple[list[NewsItem], int]:
    """The board's news since ``since`` by anyone but the reader, latest first, and how many there are (3 queries)."""
    mine = Irritant.collectivity_id == collectivity_id
    total = sa.func.count().over().label("total")
    events = session.exec(
        select(IrritantEvent, Irritant.title, total).join(Irritant, Irritant.id == IrritantEvent.irritant_id)
        .where(mine, IrritantEvent.at > since,
               sa.or_(IrritantEvent.by_user_id.is_(None), IrritantEvent.by_user_id != reader_id))
        .order_by(IrritantEvent.at.desc(), IrritantEvent.id.desc()).limit(NEWS_ITEMS)).all()
    comments = session.exec(
        select(Comment, Irritant.title, User.full_name, User.email, total)
        .join(Irritant, Irritant.id == Comment.irritant_id).outerjoin(User, User.id == Comment.author_id)
        .where(mine, Comment.created_at > since,
               sa.or_(Comment.author_id.is_(None), Comment.author_id != reader_id))
        .order_by(Comment.created_at.desc(), Comment.id.desc()).limit(NEWS_ITEMS)).all()
    decisions = session.exec(
        select(Decision, Irritant.id, Irritant.title, total).join(DecisionIrritant, DecisionIrritant.decision_id ==
                                                                   Decision.id)
        .join(Irritant, Irritant.id == DecisionIrritant.irritant_id)
        .where(mine, Decision.decided_on >= since.date())
        .order_by(Decision.decided_on.desc(), Decision.id.desc()).limit(NEWS_ITEMS)).all()
    decided = {irritant_id for _d, irritant_id, _title, _n in decisions}
    # A decision moves its irritants on: the decision itself says more than the status change it made.
    items = [NewsItem(e.at, "status", e.irritant_id, title, {"from": e.from_status, "to": e.to_status,
                                                              "note": e.note}) for e, title, _n in events
             if not (e.irritant_id in decided and e.to_status in DECIDED_STATUSES)]
    items += [NewsItem(c.created_at, "comment", c.irritant_id, title, {"author": (name or "").strip() or email or "",
                                                                        "body": c.body})
              for c, title, name, email, _n in comments]
    items += [NewsItem(d.decided_on, "decision", irritant_id, title, {"kind": d.kind, "rationale": d.rationale})
              for d, irritant_id, title, _n in decisions]
    count = sum(rows[0][-1] for rows in (events, comments, decisions) if rows) - (len(events) - sum(
        1 for item in items if item.kind == "status"))
    return sorted(items, key=_sort_key, reverse=True)[:NEWS_ITEMS], count


@dataclass(frozen=True)
class Requests:
    """What the team asks of the référent, and where their own entries stand."""

    months_to_declare: list[date] = field(default_factory=list)
    waves_to_answer: list = field(default_factory=list)
    corrections_waiting: int = 0
    corrections_settled: list[dict] = field(default_factory=list)
    measures_without_value: list = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many things the référent is asked to do."""
        return (len(self.months_to_declare) + len(self.waves_to_answer) + len(self.measures_without_value))


def _months_to_declare(session: Session, *, programme: Programme, collectivity_id: int, today: date) -> list[date]:
    """The months the collectivity held seats of the tool, now over and within the programme, with no usage entered."""
    grants = [adoption.SeatGrant(s.seats, s.granted_on, s.withdrawn_on) for s in session.exec(
        select(ToolSeat).where(ToolSeat.programme_id == programme.id, ToolSeat.collectivity_id == collectivity_id))]
    if not grants:
        return []
    # Months over (the current one is not) and begun within the programme (its last month included).
    end = programme_end(programme)
    after_end = adoption.months_between(end, 2)[1]
    stop = min(today.replace(day=1), after_end)
    first = min(g.granted_on for g in grants).replace(day=1)
    span = (stop.year - first.year) * 12 + stop.month - first.month
    months = [m for m in adoption.months_between(first, max(span, 0)) if adoption.seats_in(grants, m)]
    declared = set(session.exec(select(UsageMonth.month).where(UsageMonth.programme_id == programme.id,
                                                               UsageMonth.collectivity_id == collectivity_id)))
    return [m for m in months if m not in declared]


def _settled_corrections(session: Session, *, collectivity_id: int, since: datetime, reader_id: int) -> list[dict]:
    """The team's answers to the référent's corrections since ``since``: accepted or refused, from the audit log."""
    usage_ids = select(UsageMonth.id).where(UsageMonth.collectivity_id == collectivity_id)
    result_ids = select(SurveyResult.id).where(SurveyResult.collectivity_id == collectivity_id)
    entries = session.exec(select(AuditEntry).where(
        AuditEntry.at > since, AuditEntry.action == "update",
        sa.or_(AuditEntry.user_id.is_(None), AuditEntry.user_id != reader_id),
        sa.or_(sa.and_(AuditEntry.table_name == "usage_month", AuditEntry.row_id.in_(usage_ids)),
               sa.and_(AuditEntry.table_name == "survey_result", AuditEntry.row_id.in_(result_ids))))
        .order_by(AuditEntry.at.desc())).all()
    settled = []
    for entry in entries:
        before, after = entry.changes.get("correction", [None, None])
        if before is not None and after is None:
            # Accepting writes the proposed values; refusing only drops the correction.
            accepted = any(name != "correction" for name in entry.changes)
            settled.append({"table": entry.table_name, "at": entry.at, "accepted": accepted,
                            "values": before.get("values", {}) if isinstance(before, dict) else {}})
    return settled


def requests(session: Session, *, programme: Programme | None, collectivity_id: int, since: datetime,
             reader_id: int, today: date) -> Requests:
    """What the team asks of the collectivity in its programme: usage, surveys, impact values; corrections' fate."""
    if programme is None:
        return Requests()
    answered = select(SurveyResult.wave_id).where(SurveyResult.collectivity_id == collectivity_id)
    waves = session.exec(select(SurveyWave).where(
        SurveyWave.programme_id == programme.id, SurveyWave.opened_on <= today,
        sa.or_(SurveyWave.closed_on.is_(None), SurveyWave.closed_on >= today), SurveyWave.id.not_in(answered))
        .order_by(SurveyWave.opened_on)).all()
    waiting = session.exec(select(sa.func.count(UsageMonth.id)).where(
        UsageMonth.collectivity_id == collectivity_id, UsageMonth.correction.is_not(None))).one() + session.exec(
        select(sa.func.count(SurveyResult.id)).where(SurveyResult.collectivity_id == collectivity_id,
                                                    SurveyResult.correction.is_not(None))).one()
    measures = session.exec(select(ImpactMeasure).join(Decision, Decision.id == ImpactMeasure.decision_id).where(
        Decision.programme_id == programme.id, ImpactMeasure.collectivity_id == collectivity_id,
        ~sa.exists().where(ImpactValue.measure_id == ImpactMeasure.id)).order_by(ImpactMeasure.id)).all()
    return Requests(
        months_to_declare=_months_to_declare(session, programme=programme, collectivity_id=collectivity_id,
                                             today=today),
        waves_to_answer=list(waves), corrections_waiting=waiting,
        corrections_settled=_settled_corrections(session, collectivity_id=collectivity_id, since=since,
                                                 reader_id=reader_id),
        measures_without_value=list(measures))


def proposals(session: Session, *, collectivity_id: int) -> list[tuple[Irritant, IrritantEvent | None]]:
    """The collectivity's proposals waiting for the team, and those the team set aside, with the team's word."""
    rows = session.exec(select(Irritant).where(Irritant.collectivity_id == collectivity_id,
                                               Irritant.status.in_(("proposed", "rejected")))
                        .order_by(Irritant.updated_at.desc(), Irritant.id.desc()).limit(PROPOSALS)).all()
    ids = [row.id for row in rows if row.status == "rejected"]
    last_event: dict[int, IrritantEvent] = {}
    if ids:
        for event in session.exec(select(IrritantEvent).where(IrritantEvent.irritant_id.in_(ids),
                                                              IrritantEvent.to_status == "rejected")
                                  .order_by(IrritantEvent.at)):
            last_event[event.irritant_id] = event
    return [(row, last_event.get(row.id)) for row in rows]
