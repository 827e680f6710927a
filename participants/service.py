"""Collectivities and their enrolment: listing, reading, moving a candidacy along."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from hub.pagination import Page, paginate
from participants.models import Collectivity, Enrolment, EnrolmentEvent

# Which status may follow which (DESIGN §2).
ENROLMENT_TRANSITIONS = {
    "candidacy": ("selected", "not_selected"),
    "selected": ("enrolled", "withdrawn"),
    "not_selected": (),
    "enrolled": ("withdrawn", "completed"),
    "withdrawn": (),
    "completed": (),
}
NEGATIVE_STATUSES = ("not_selected", "withdrawn")


class TransitionRefused(ValueError):
    """A status change the workflow does not allow, with a French reason."""


def collectivity_page(session: Session, *, programme_id: int | None, number: int, size: int) -> Page:
    """Collectivities (with their enrolment in the programme), by name."""
    statement = select(Collectivity, Enrolment).order_by(Collectivity.name, Collectivity.id)
    if programme_id is not None:
        statement = statement.join(Enrolment, sa.and_(Enrolment.collectivity_id == Collectivity.id,
                                                      Enrolment.programme_id == programme_id))
    else:
        statement = statement.outerjoin(Enrolment, Enrolment.collectivity_id == Collectivity.id)
    return paginate(session, statement, number, size)



def enrolments(session: Session, *, collectivity_id: int) -> list[Enrolment]:
    """The collectivity's enrolments, oldest first."""
    return list(session.exec(select(Enrolment).where(Enrolment.collectivity_id == collectivity_id)
                             .order_by(Enrolment.applied_on)))


def enrolment_history(session: Session, *, enrolment_ids: list[int]) -> list[EnrolmentEvent]:
    """Every status change of these enrolments, in order."""
    if not enrolment_ids:
        return []
    return list(session.exec(select(EnrolmentEvent).where(EnrolmentEvent.enrolment_id.in_(enrolment_ids))
                             .order_by(EnrolmentEvent.at, EnrolmentEvent.id)))


def change_enrolment_status(session: Session, *, enrolment: Enrolment, to_status: str, reason: str,
                            by_user_id: int | None) -> EnrolmentEvent:
    """Move an enrolment along its workflow; a negative outcome needs a reason."""
    if to_status not in ENROLMENT_TRANSITIONS.get(enrolment.status, ()):
        raise TransitionRefused(_l("Ce changement de statut n'est pas possible depuis le statut actuel."))
    if to_status in NEGATIVE_STATUSES and not reason.strip():
        raise TransitionRefused(_l("Indiquez la raison de ce refus ou de ce retrait."))
    event = EnrolmentEvent(enrolment_id=enrolment.id, collectivity_id=enrolment.collectivity_id,
                           from_status=enrolment.status, to_status=to_status, reason=reason.strip(),
                           by_user_id=by_user_id)
    enrolment.status = to_status
    session.add_all([enrolment, event])
    session.flush()
    return event
