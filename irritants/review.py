"""What happens to a référent's proposal next: who in the project team reviews it, and by when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, select

from hub.core.models import Role, User
from irritants.models import Irritant
from workshops.models import Workshop, WorkshopFacilitator

# The team's promise to a collectivity: a proposal is reviewed within this many days of being made.
REVIEW_DAYS = 10


@dataclass(frozen=True)
class Review:
    """The people who will review a proposal (by name), and the day it will have been reviewed by."""

    reviewers: list[str]
    by: date
    next_workshop: date | None

    @property
    def late(self) -> bool:
        """Whether the promised day has passed without a review."""
        return self.by < date.today()


def review_plan(session: Session, irritant: Irritant) -> Review | None:
    """Who reviews this proposal and by when; None once it is no longer a proposal.

    The reviewers are the team members who facilitate the collectivity's workshops in this programme (they know it);
    without any, the programme's facilitators. A workshop coming before the promised day is where it is reviewed.
    """
    if irritant.status != "proposed":
        return None
    facilitating = session.exec(
        select(User).join(WorkshopFacilitator, WorkshopFacilitator.user_id == User.id)
        .join(Workshop, Workshop.id == WorkshopFacilitator.workshop_id)
        .where(Workshop.collectivity_id == irritant.collectivity_id, Workshop.programme_id == irritant.programme_id,
               User.active.is_(True)).distinct()).all()
    if not facilitating:
        facilitating = session.exec(select(User).where(User.role == Role.FACILITATOR, User.active.is_(True))).all()
    names = sorted({user.display_name for user in facilitating})
    by = irritant.created_at.date() + timedelta(days=REVIEW_DAYS)
    upcoming = session.exec(select(Workshop.held_on).where(
        Workshop.collectivity_id == irritant.collectivity_id, Workshop.programme_id == irritant.programme_id,
        Workshop.status == "planned", Workshop.held_on >= date.today(), Workshop.held_on <= by)
        .order_by(Workshop.held_on)).first()
    return Review(reviewers=names, by=by, next_workshop=upcoming)
