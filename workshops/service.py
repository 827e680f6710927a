"""Workshops: planning inside the programme, facilitators' bookings, closing and publishing."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from functools import cache

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from hub.core.models import Milestone, Programme, User, utcnow
from hub.core.pagination import Page, paginate
from hub.core.refusals import Refused
from participants.adoption import months_between
from participants.models import Collectivity
from workshops.models import Hypothesis, HypothesisTest, Workshop, WorkshopFacilitator


class WorkshopRefused(Refused):
    """A workshop change that the rules do not allow, with a French reason."""


# What the list shows of a workshop: these columns as plain rows, not a workshop and its collectivity as objects
# (loading those was a tenth of the national list's time, for five values and a name).
LIST_COLUMNS = (Workshop.id, Workshop.held_on, Workshop.place, Workshop.status, Workshop.agents_met,
                Collectivity.name.label("collectivity_name"))


def _list_statement(programme_id: int | None, columns: tuple = (Workshop, Collectivity)) -> sa.Select:
    statement = (select(*columns).join(Collectivity, Collectivity.id == Workshop.collectivity_id)
                 .order_by(Workshop.held_on, Workshop.id))
    if programme_id is not None:
        statement = statement.where(Workshop.programme_id == programme_id)
    return statement


def workshop_page(session: Session, *, programme_id: int | None, number: int, size: int,
                  order: list | None = None) -> Page:
    """Workshops as rows of :data:`LIST_COLUMNS`, by date (or by ``order``, a sorted column)."""
    statement = _list_statement(programme_id, LIST_COLUMNS)
    if order:
        statement = statement.order_by(None).order_by(*order)
    # Counted on the workshop table alone: every workshop has its collectivity, and the join cost a national
    # programme's 6,000 workshops a scan of both tables (1.5 ms on PostgreSQL, against 0.5 from the index alone).
    count = sa.select(sa.func.count()).select_from(Workshop)
    if programme_id is not None:
        count = count.where(Workshop.programme_id == programme_id)
    return paginate(session, statement, number, size, count=count)


def workshop_rows(session: Session, *, programme_id: int | None) -> list:
    """Every row of the list (workshop, collectivity), for the exports."""
    return list(session.exec(_list_statement(programme_id)))


def hypothesis_results(session: Session, *, workshop_id: int) -> list[tuple[HypothesisTest, Hypothesis]]:
    """The hypotheses a workshop tested and what it found."""
    return list(session.exec(select(HypothesisTest, Hypothesis)
                             .join(Hypothesis, Hypothesis.id == HypothesisTest.hypothesis_id)
                             .where(HypothesisTest.workshop_id == workshop_id).order_by(Hypothesis.id)))


def programme_end(programme: Programme) -> date:
    """The last day of the programme: launch day plus its duration in months."""
    month = programme.launch_date.month - 1 + programme.duration_months
    year, month = programme.launch_date.year + month // 12, month % 12 + 1
    # The same day of the month, or the month's last day when it has fewer days (31 → 30).
    return date(year, month, min(programme.launch_date.day, monthrange(year, month)[1]))


def workshops_window(session: Session, programme: Programme) -> tuple[date, date]:
    """The dates workshops may take: the programme's workshops milestone, else the whole programme."""
    window = session.exec(select(Milestone).where(Milestone.programme_id == programme.id,
                                                  Milestone.kind == "workshops")).first()
    if window is not None:
        return window.starts_on, window.ends_on or programme_end(programme)
    return programme.launch_date, programme_end(programme)


def facilitator_conflicts(session: Session, *, held_on: date, user_ids: list[int],
                          ignore_workshop_id: int | None = None) -> list[tuple[User, Collectivity]]:
    """Facilitators already booked on another workshop that day, with where."""
    if not user_ids:
        return []
    statement = (select(User, Collectivity)
                 .join(WorkshopFacilitator, WorkshopFacilitator.user_id == User.id)
                 .join(Workshop, Workshop.id == WorkshopFacilitator.workshop_id)
                 .join(Collectivity, Collectivity.id == Workshop.collectivity_id)
                 .where(Workshop.held_on == held_on, User.id.in_(user_ids)))
    if ignore_workshop_id is not None:
        statement = statement.where(Workshop.id != ignore_workshop_id)
    return list(session.exec(statement))


@dataclass
class WorkshopPlan:
    """What the planning form gives."""

    collectivity_id: int
    held_on: date
    place: str
    services: list[str]
    themes: list[str]
    facilitator_ids: list[int]


def check_plan(session: Session, programme: Programme, plan: WorkshopPlan,
               workshop_id: int | None = None) -> dict[str, str]:
    """French messages by field for a date outside the window or a facilitator booked twice."""
    errors = {}
    start, end = workshops_window(session, programme)
    if not start <= plan.held_on <= end:
        errors["held_on"] = str(_l("Date hors de la période des ateliers du programme (du %(start)s au %(end)s).",
                                   start=start.strftime("%d/%m/%Y"), end=end.strftime("%d/%m/%Y")))
    conflicts = facilitator_conflicts(session, held_on=plan.held_on, user_ids=plan.facilitator_ids,
                                      ignore_workshop_id=workshop_id)
    if conflicts:
        errors["facilitator_ids"] = str(_l("Déjà en atelier ce jour-là : %(list)s.", list=", ".join(
            f"{user.display_name} ({collectivity.name})" for user, collectivity in conflicts)))
    return errors


def save_plan(session: Session, programme: Programme, plan: WorkshopPlan, workshop: Workshop | None = None) -> Workshop:
    """Create or update a planned workshop and its facilitators' bookings."""
    errors = check_plan(session, programme, plan, workshop.id if workshop else None)
    if errors:
        raise WorkshopRefused.on_fields(errors)
    if workshop is None:
        workshop = Workshop(programme_id=programme.id, collectivity_id=plan.collectivity_id, held_on=plan.held_on)
    elif workshop.status != "planned":
        raise WorkshopRefused(_l("Seul un atelier planifié peut être modifié."))
    workshop.held_on, workshop.place = plan.held_on, plan.place
    workshop.services, workshop.themes = plan.services, plan.themes
    session.add(workshop)
    session.flush()
    booked = {b.user_id: b for b in session.exec(select(WorkshopFacilitator)
                                                 .where(WorkshopFacilitator.workshop_id == workshop.id))}
    for user_id in set(plan.facilitator_ids) - set(booked):
        session.add(WorkshopFacilitator(workshop_id=workshop.id, collectivity_id=workshop.collectivity_id,
                                        user_id=user_id))
    for user_id in set(booked) - set(plan.facilitator_ids):
        session.delete(booked[user_id])
    session.flush()
    return workshop


def facilitators(session: Session, *, workshop_ids: list[int]) -> dict[int, list[User]]:
    """The team members booked on each of these workshops."""
    booked: dict[int, list[User]] = {}
    if workshop_ids:
        for workshop_id, user in session.exec(select(WorkshopFacilitator.workshop_id, User)
                                              .join(User, User.id == WorkshopFacilitator.user_id)
                                              .where(WorkshopFacilitator.workshop_id.in_(workshop_ids))):
            booked.setdefault(workshop_id, []).append(user)
    return booked


def close_workshop(session: Session, *, workshop: Workshop, agents_met: int | None, services: list[str]) -> Workshop:
    """Mark a planned workshop as held; the agents met and services visited are required."""
    if workshop.status != "planned":
        raise WorkshopRefused(_l("Seul un atelier planifié peut être clôturé."))
    if not agents_met or agents_met < 1:
        raise WorkshopRefused(_l("Indiquez le nombre d'agents rencontrés."), field="agents_met")
    if not services:
        raise WorkshopRefused(_l("Indiquez au moins un service visité."))
    workshop.status = "held"
    workshop.agents_met = agents_met
    workshop.services = services
    session.add(workshop)
    session.flush()
    return workshop


def publish_report(session: Session, *, workshop: Workshop, context: str, next_steps: str) -> Workshop:
    """Publish the compte-rendu of a held workshop: from now on its collectivity's référents read it."""
    if workshop.status != "held":
        raise WorkshopRefused(_l("Seul le compte-rendu d'un atelier tenu peut être publié."))
    workshop.context, workshop.next_steps = context.strip(), next_steps.strip()
    workshop.status, workshop.published_at = "published", utcnow()
    session.add(workshop)
    session.flush()
    return workshop


# A calendar shows the whole programme on one page up to this many workshops (a region's programme has tens);
# beyond, one month at a time: a national programme's 6,000 workshops made a page of 600 ms and several megabytes.
CALENDAR_WHOLE_UP_TO = 300


def programme_months(programme: Programme) -> list[date]:
    """The first day of each month of the programme, from its launch to its end."""
    start, end = programme.launch_date, programme_end(programme)
    return months_between(start, (end.year - start.year) * 12 + end.month - start.month + 1)


def calendar_months(session: Session, programme: Programme) -> list[tuple[date, int]]:
    """Each month of the programme with how many workshops it holds, counted by the database."""
    year, month = sa.extract("year", Workshop.held_on), sa.extract("month", Workshop.held_on)
    counted = {(int(y), int(m)): n for y, m, n in session.exec(
        select(year, month, sa.func.count()).where(Workshop.programme_id == programme.id).group_by(year, month))}
    return [(first, counted.get((first.year, first.month), 0)) for first in programme_months(programme)]


def calendar(session: Session, programme: Programme,
             month: date | None = None) -> list[tuple[date, list[tuple[Workshop, Collectivity]]]]:
    """The programme month by month with its workshops in each month; only ``month`` (its first day) if given."""
    statement = (select(Workshop, Collectivity).join(Collectivity, Collectivity.id == Workshop.collectivity_id)
                 .where(Workshop.programme_id == programme.id).order_by(Workshop.held_on, Workshop.id))
    if month is not None:
        statement = statement.where(Workshop.held_on >= month, Workshop.held_on < months_between(month, 2)[1])
    by_month: dict[date, list] = {}
    for workshop, collectivity in session.exec(statement):
        by_month.setdefault(workshop.held_on.replace(day=1), []).append((workshop, collectivity))
    return [(first, by_month.get(first, [])) for first in ([month] if month else programme_months(programme))]


def same_day_bookings(session: Session, *, programme_id: int) -> set[tuple[int, date]]:
    """(facilitator, day) pairs booked on more than one workshop: flagged on the calendar."""
    rows = session.exec(select(WorkshopFacilitator.user_id, Workshop.held_on)
                        .join(Workshop, Workshop.id == WorkshopFacilitator.workshop_id)
                        .where(Workshop.programme_id == programme_id)
                        .group_by(WorkshopFacilitator.user_id, Workshop.held_on)
                        .having(sa.func.count(Workshop.id) > 1)).all()
    return {(user_id, held_on) for user_id, held_on in rows}


def workshops_of(session: Session, *, collectivity_id: int) -> list[Workshop]:
    """A collectivity's workshops, the earliest first (its board and its page list them)."""
    return list(session.exec(_workshops_of(), params={"collectivity_id": collectivity_id}))


@cache  # built once and run with the collectivity's id
def _workshops_of():
    return (select(Workshop).where(Workshop.collectivity_id == sa.bindparam("collectivity_id"))
            .order_by(Workshop.held_on))
