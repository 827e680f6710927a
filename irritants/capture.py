"""On-site capture: irritants and wishes recorded one after another, each exactly once."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from irritants import service as irritant_service
from irritants.models import Irritant
from workshops.models import Workshop


def capture(session: Session, *, workshop: Workshop, values: dict, client_key: str,
            by_user_id: int | None) -> tuple[Irritant, bool]:
    """Record an irritant found during the workshop; a resend with the same client key returns the first.

    The key is made by the browser before the first attempt, so a request that reached the
    server but whose answer was lost (a poor network) is recognised when it comes again.
    """
    existing = session.exec(select(Irritant).where(Irritant.client_key == client_key)).first()
    if existing is not None:
        return existing, False
    irritant = Irritant(programme_id=workshop.programme_id, collectivity_id=workshop.collectivity_id,
                        workshop_id=workshop.id, client_key=client_key, **values)
    try:
        with session.begin_nested():
            irritant_service.record_irritant(session, irritant=irritant, by_user_id=by_user_id, proposed=False)
    except IntegrityError:
        # The same key arrived twice at once: the other request saved it first.
        return session.exec(select(Irritant).where(Irritant.client_key == client_key)).one(), False
    return irritant, True


def captured(session: Session, *, workshop_id: int) -> list[Irritant]:
    """What was captured in this workshop, the latest first."""
    return list(session.exec(select(Irritant).where(Irritant.workshop_id == workshop_id)
                             .order_by(Irritant.created_at.desc(), Irritant.id.desc())))
