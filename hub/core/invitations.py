"""One-time set-password links: an invitation (a new account's first password, valid 7 days) or a reset (its owner
asked for a new one, valid 1 hour, only ever sent to the owner's address); each used once.

The two purposes are kept apart because they mean different things: a used invitation is what makes an account
« activated » (``is_activated``), while a reset link says nothing about that, so asking for one never turns an
opened account back into an « invited » one whose link the team may see (tests/participants/test_no_takeover.py).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlmodel import Session, select

from hub.core.auth import end_every_session
from hub.core.models import Invitation, User, utcnow
from hub.core.passwords import hash_password

VALID_FOR = timedelta(days=7)
RESET_VALID_FOR = timedelta(hours=1)
PURPOSES = ("invitation", "reset")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    # SQLite returns what it stored without an offset; every moment here is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def create_invitation(session: Session, *, user: User, by_user_id: int | None, purpose: str = "invitation",
                      valid_for: timedelta | None = None) -> str:
    """A new link for this account; earlier unused links stop working. Returns the token (shown once)."""
    if purpose not in PURPOSES:
        raise ValueError(f"usage de lien inconnu : {purpose}")
    if valid_for is None:
        valid_for = RESET_VALID_FOR if purpose == "reset" else VALID_FOR
    now = utcnow()
    for earlier in session.exec(select(Invitation).where(Invitation.user_id == user.id,
                                                         Invitation.used_at == None)):  # noqa: E711
        earlier.expires_at = min(_aware(earlier.expires_at), now)
        session.add(earlier)
    token = secrets.token_urlsafe(32)
    session.add(Invitation(user_id=user.id, token_hash=_digest(token), purpose=purpose, expires_at=now + valid_for,
                           created_by_id=by_user_id))
    session.flush()
    return token


@dataclass(frozen=True)
class InvitationState:
    """What a link is worth now: valid, expired, used or unknown."""

    state: str
    invitation: Invitation | None = None
    user: User | None = None


def look_up(session: Session, token: str, *, purpose: str = "invitation") -> InvitationState:
    """The link of this purpose behind a token, and whether it can still be used.

    A link of the other purpose is « unknown » here: the invitation page does not take a reset link, nor the reset
    page an invitation (which the team may have seen), so each page's rules (and its words) hold for its links.
    """
    invitation = session.exec(select(Invitation).where(Invitation.token_hash == _digest(token))).first()
    if invitation is None or invitation.purpose != purpose:
        return InvitationState("unknown")
    user = session.get(User, invitation.user_id)
    if invitation.used_at is not None:
        return InvitationState("used", invitation, user)
    if _aware(invitation.expires_at) <= utcnow() or user is None or not user.active:
        return InvitationState("expired", invitation, user)
    return InvitationState("valid", invitation, user)


def accept(session: Session, *, found: InvitationState, password: str) -> User:
    """Set the account's password and spend the link."""
    if found.state != "valid":
        raise ValueError(found.state)
    found.user.password_hash = hash_password(password)
    end_every_session(found.user)  # a new password: whoever held a session of this account holds it no more
    found.invitation.used_at = utcnow()
    session.add_all([found.user, found.invitation])
    session.flush()
    return found.user


def is_activated(session: Session, user: User) -> bool:
    """Whether the account's owner has chosen a password (a link used, or created with one): no link for the team."""
    links = list(session.exec(select(Invitation).where(Invitation.user_id == user.id)))
    return pending_state(links) == "active"


def pending_state(invitations: list[Invitation]) -> str:
    """For the team's list of référents: 'active', 'pending' or 'expired'."""
    # A reset link is only made for an opened account, and only its owner gets it: it says nothing of activation.
    invitations = [i for i in invitations if i.purpose != "reset"]
    if any(i.used_at is not None for i in invitations) or not invitations:
        return "active"
    return "pending" if any(_aware(i.expires_at) > utcnow() for i in invitations) else "expired"


def resets_since(session: Session, *, user_id: int, since: datetime) -> int:
    """How many reset links were made for this account since then (the forgot-password page's throttle)."""
    return len(session.exec(select(Invitation.id).where(Invitation.user_id == user_id, Invitation.purpose == "reset",
                                                        Invitation.created_at >= since)).all())
