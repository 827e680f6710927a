"""Workshops: listing, reading, closing a workshop once held."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from hub.pagination import Page, paginate
from participants.models import Collectivity
from workshops.models import Hypothesis, HypothesisTest, Workshop


class WorkshopRefused(ValueError):
    """A workshop change that the rules do not allow, with a French reason."""


def workshop_page(session: Session, *, programme_id: int | None, number: int, size: int) -> Page:
    """Workshops with their collectivity, by date."""
    statement = (select(Workshop, Collectivity).join(Collectivity, Collectivity.id == Workshop.collectivity_id)
                 .order_by(Workshop.held_on, Workshop.id))
    if programme_id is not None:
        statement = statement.where(Workshop.programme_id == programme_id)
    return paginate(session, statement, number, size)



def hypothesis_results(session: Session, *, workshop_id: int) -> list[tuple[HypothesisTest, Hypothesis]]:
    """The hypotheses a workshop tested and what it found."""
    return list(session.exec(select(HypothesisTest, Hypothesis)
                             .join(Hypothesis, Hypothesis.id == HypothesisTest.hypothesis_id)
                             .where(HypothesisTest.workshop_id == workshop_id).order_by(Hypothesis.id)))


def close_workshop(session: Session, *, workshop: Workshop, agents_met: int | None, services: list[str]) -> Workshop:
    """Mark a planned workshop as held; the agents met and services visited are required."""
    if workshop.status != "planned":
        raise WorkshopRefused(_l("Seul un atelier planifié peut être clôturé."))
    if not agents_met or agents_met < 1:
        raise WorkshopRefused(_l("Indiquez le nombre d'agents rencontrés."))
    if not services:
        raise WorkshopRefused(_l("Indiquez au moins un service visité."))
    workshop.status = "held"
    workshop.agents_met = agents_met
    workshop.services = services
    session.add(workshop)
    session.flush()
    return workshop
