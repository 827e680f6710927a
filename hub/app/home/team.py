"""What the project team does next: workshops, proposals, irritants to qualify, score and decide, figures to validate.

Every block is one query that returns its first rows and, through a window count, how many there are in all: the
home makes the same handful of queries whatever the size of the programmes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import sqlalchemy as sa
from sqlmodel import Session, select

from hub.core.models import Invitation, Programme, User
from hub.core.pagination import COUNT_CAP, Page, capped_count, paginate
from irritants.models import DecisionIrritant, Irritant, priority_order
from participants.models import Collectivity, SurveyResult, SurveyWave, UsageMonth
from workshops.models import Workshop, WorkshopFacilitator

FIRST_ITEMS = 5
# The statuses from which the committee may still decide (irritants.decisions.DECIDABLE, less "decided" itself).
AWAITING_DECISION = ("qualified", "scored")


@dataclass(frozen=True)
class TodoList:
    """One kind of irritant the team has to act on: its URL key, its rows' condition, and their order."""

    key: str
    condition: sa.ColumnElement
    order: tuple
    oldest_first: bool


def _no_decision():
    return ~sa.exists().where(DecisionIrritant.irritant_id == Irritant.id)


# The lists the home's blocks open on, by the key of their URL (/a-faire?liste=…).
TODO_LISTS = {
    # A référent's proposal waits for the team's review: the oldest first, nobody should wait long.
    "propositions": TodoList("propositions", Irritant.status == "proposed", (Irritant.created_at, Irritant.id), True),
    "a-qualifier": TodoList("a-qualifier", Irritant.status == "identified", (Irritant.created_at, Irritant.id), True),
    # Qualified but without any remedy option: nothing to recommend yet (answers.stored_answer).
    "a-chiffrer": TodoList("a-chiffrer", sa.and_(Irritant.status == "qualified", Irritant.recommended_family.is_(None)),
                           (Irritant.created_at, Irritant.id), True),
    # Recommended, and still without a decision of the committee: the most valuable first.
    "a-decider": TodoList("a-decider", sa.and_(Irritant.status.in_(AWAITING_DECISION),
                                               Irritant.recommended_family.is_not(None), _no_decision()),
                          priority_order(), False),
}


@dataclass(frozen=True)
class Block:
    """A block of the home: how many items wait (past ``cap``, a lower bound), and the first of them."""

    count: int
    items: list = field(default_factory=list)
    cap: int | None = None

    @property
    def beyond_cap(self) -> bool:
        """Whether more items wait than were counted (the home says « plus de 10 000 »)."""
        return self.cap is not None and self.count > self.cap


def _live(programme_id: int | None):
    """Rows of a programme not archived (or of the one programme asked for)."""
    if programme_id is not None:
        return Programme.id == programme_id
    return Programme.archived_at.is_(None)


def _irritant_statement(todo: TodoList, programme_id: int | None):
    return (select(Irritant.id, Irritant.title, Irritant.created_at, Irritant.hours_per_year,
                   Irritant.recommended_family, Collectivity.name.label("collectivity"),
                   Programme.name.label("programme"), Programme.slug.label("programme_slug"))
            .join(Collectivity, Collectivity.id == Irritant.collectivity_id)
            .join(Programme, Programme.id == Irritant.programme_id)
            .where(todo.condition, _live(programme_id)).order_by(*todo.order))


def irritant_block(session: Session, key: str, *, limit: int = FIRST_ITEMS) -> Block:
    """The first irritants of one to-do list across the live programmes, and how many there are, up to a cap."""
    statement = _irritant_statement(TODO_LISTS[key], None)
    # Counted apart and only to the cap, as the lists are: a count over the window made the database read every
    # irritant of the status (12,500 of a national programme) where the first five come from an index in order.
    rows = session.exec(statement.limit(sa.literal(limit, literal_execute=True))).all()
    return Block(count=session.execute(capped_count(_counted(key, None), COUNT_CAP)).scalar_one(), items=list(rows),
                 cap=COUNT_CAP)


def todo_page(session: Session, key: str, *, programme_id: int | None, number: int, size: int) -> Page:
    """A page of one to-do list, in its own order, over the live programmes or one of them; counted to the cap."""
    return paginate(session, _irritant_statement(TODO_LISTS[key], programme_id), number, size,
                    count=capped_count(_counted(key, programme_id), COUNT_CAP), cap=COUNT_CAP)


def _counted(key: str, programme_id: int | None) -> sa.Select:
    # The rows of a to-do list without the collectivity's name, which only the rows shown need.
    return select(Irritant.id).join(Programme, Programme.id == Irritant.programme_id).where(
        TODO_LISTS[key].condition, _live(programme_id))


@dataclass(frozen=True)
class WorkshopBlock:
    """Today's and the next planned workshops, and the planned ones whose day has passed."""

    today: date
    count: int
    items: list
    overdue: int


def workshop_block(session: Session, *, today: date, limit: int = FIRST_ITEMS) -> WorkshopBlock:
    """The planned workshops from today on, soonest first, and how many planned ones are already past."""
    planned = sa.and_(Workshop.status == "planned", Programme.archived_at.is_(None))
    rows = session.exec(
        select(Workshop.id, Workshop.held_on, Workshop.place, Collectivity.name.label("collectivity"),
               Programme.name.label("programme"), sa.func.count().over().label("total"))
        .join(Collectivity, Collectivity.id == Workshop.collectivity_id)
        .join(Programme, Programme.id == Workshop.programme_id)
        .where(planned, Workshop.held_on >= today).order_by(Workshop.held_on, Workshop.id).limit(limit)).all()
    overdue = session.exec(select(sa.func.count(Workshop.id)).join(Programme, Programme.id == Workshop.programme_id)
                           .where(planned, Workshop.held_on < today)).one()
    return WorkshopBlock(today=today, count=rows[0].total if rows else 0, items=list(rows), overdue=overdue)


def todays_workshops(session: Session, *, today: date, user_id: int) -> list:
    """The planned workshops held today in the live programmes, those the user facilitates first (one query)."""
    mine = sa.exists().where(WorkshopFacilitator.workshop_id == Workshop.id, WorkshopFacilitator.user_id == user_id)
    return list(session.exec(
        select(Workshop.id, Workshop.place, Collectivity.name.label("collectivity"), Programme.name.label("programme"),
               mine.label("mine"))
        .join(Collectivity, Collectivity.id == Workshop.collectivity_id)
        .join(Programme, Programme.id == Workshop.programme_id)
        .where(Workshop.status == "planned", Programme.archived_at.is_(None), Workshop.held_on == today)
        # On a day with several workshops, the user's own come first: that is where they are.
        .order_by(sa.case((mine, 0), else_=1), Collectivity.name, Workshop.id)).all())


@dataclass(frozen=True)
class FiguresToValidate:
    """A programme's usage months and survey results the team has not validated, and corrections waiting."""

    programme: Programme
    usage_unvalidated: int = 0
    usage_corrections: int = 0
    survey_unvalidated: int = 0
    survey_corrections: int = 0

    @property
    def total(self) -> int:
        """Everything that waits in this programme."""
        return self.usage_unvalidated + self.usage_corrections + self.survey_unvalidated + self.survey_corrections


def figures_to_validate(session: Session, *, programmes: list[Programme]) -> list[FiguresToValidate]:
    """For each live programme with something waiting: its figures to validate and corrections (two queries)."""
    ids = [p.id for p in programmes]
    if not ids:
        return []

    def waiting(model):
        return (sa.func.count(sa.case((model.validated.is_(sa.false()), 1))),
                sa.func.count(sa.case((model.correction.is_not(None), 1))))

    usage = {pid: (unvalidated, corrections) for pid, unvalidated, corrections in session.exec(
        select(UsageMonth.programme_id, *waiting(UsageMonth)).where(UsageMonth.programme_id.in_(ids))
        .group_by(UsageMonth.programme_id))}
    surveys = {pid: (unvalidated, corrections) for pid, unvalidated, corrections in session.exec(
        select(SurveyWave.programme_id, *waiting(SurveyResult)).join(SurveyWave, SurveyWave.id == SurveyResult.wave_id)
        .where(SurveyWave.programme_id.in_(ids)).group_by(SurveyWave.programme_id))}
    result = []
    for programme in programmes:
        row = FiguresToValidate(programme, *usage.get(programme.id, (0, 0)), *surveys.get(programme.id, (0, 0)))
        if row.total:
            result.append(row)
    return result


@dataclass(frozen=True)
class Accounts:
    """The accounts at a glance: the active ones by role, the deactivated, and invitations still open."""

    by_role: dict[str, int]
    inactive: int
    pending_invitations: int


def accounts_at_a_glance(session: Session) -> Accounts:
    """Counts of accounts and open invitations, for the admin's home (two queries)."""
    by_role, inactive = {}, 0
    for role, active, count in session.exec(select(User.role, User.active, sa.func.count(User.id))
                                            .group_by(User.role, User.active)):
        if active:
            by_role[role] = count
        else:
            inactive += count
    pending = session.exec(select(sa.func.count(Invitation.id)).where(
        Invitation.purpose == "invitation", Invitation.used_at.is_(None),
        Invitation.expires_at > datetime.now(timezone.utc))).one()
    return Accounts(by_role=by_role, inactive=inactive, pending_invitations=pending)


def age_in_days(moment: datetime, today: date) -> int:
    """Whole days since ``moment`` (a naive time read back from SQLite is UTC, as it was stored)."""
    return max(0, (today - moment.date()).days)
