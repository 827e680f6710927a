"""Accounts of the agency's hub: who has access, invitations of every role, roles, deactivation, password resets.

Here, in the composition root, because a référent's account names a collectivity (participants), which the ground
floor (hub.core: login, links, sessions) may not know.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from hub.core.auth import create_user, end_every_session
from hub.core.invitations import RESET_VALID_FOR, create_invitation, is_activated, pending_state, resets_since
from hub.core.models import ROLES, AuditEntry, Invitation, Role, User, utcnow
from hub.core.pagination import Page, paginate
from hub.core.refusals import Refused
from participants import service as participants_service
from participants.models import Collectivity, Enrolment

# The states the list shows and filters by: « invited » is an account whose owner has not yet chosen a password.
STATES = ("active", "invited", "deactivated")
# At most this many reset links per account and hour: enough for a mistyped first try, not a flood of mail.
RESETS_PER_HOUR = 3


class AccountRefused(Refused):
    """A change to an account the rules refuse, with a French reason."""


LAST_ADMIN = _l("C'est le dernier compte d'administration actif : nommez ou réactivez d'abord un autre "
                "administrateur, sinon plus personne ne pourrait gérer les comptes ni publier le rapport.")


@dataclass(frozen=True)
class AccountRow:
    """One line of the accounts list: the account, its référent's collectivity, its state."""

    user: User
    collectivity_name: str | None
    state: str  # active | invited | deactivated
    link_expired: bool = False  # an invited account whose last link expired unused


def _invitation_links():
    return select(Invitation.id).where(Invitation.user_id == User.id, Invitation.purpose != "reset")


def _has_logged_in():
    return sa.or_(User.last_login_at.is_not(None),
                  select(AuditEntry.id).where(AuditEntry.user_id == User.id, AuditEntry.action == "login").exists())


def is_opened(session: Session, user: User) -> bool:
    """Whether the account's owner has a password of their own: a link used or none needed, or a login seen.

    The login matters: an account created with a password (the command line, the demo) that was later e-mailed an
    invitation-purpose link (the collectivity page does so) has an unused link and no used one, yet its owner
    opened it; showing the admin a link for it would let the admin take it over.
    """
    if is_activated(session, user) or user.last_login_at is not None:
        return True
    return session.exec(select(AuditEntry.id).where(AuditEntry.user_id == user.id,
                                                    AuditEntry.action == "login")).first() is not None


def _state_clause(state: str):
    # The same rule as is_opened, in SQL: invited = an invitation made, none used, never logged in.
    invited = sa.and_(User.active, _invitation_links().exists(),
                      ~_invitation_links().where(Invitation.used_at.is_not(None)).exists(), ~_has_logged_in())
    if state == "deactivated":
        return ~User.active
    if state == "invited":
        return invited
    return sa.and_(User.active, ~invited)


def account_page(session: Session, *, role: str | None, state: str | None, number: int, size: int) -> Page:
    """A page of accounts, by e-mail, filtered by role and state, each with its collectivity and state."""
    statement = (select(User, Collectivity.name).outerjoin(Collectivity, Collectivity.id == User.scope_collectivity_id)
                 .order_by(User.email))
    if role in ROLES:
        statement = statement.where(User.role == role)
    if state in STATES:
        statement = statement.where(_state_clause(state))
    page = paginate(session, statement, number, size)
    links: dict[int, list[Invitation]] = {}
    ids = [user.id for user, _name in page.items]
    if ids:
        for link in session.exec(select(Invitation).where(Invitation.user_id.in_(ids))):
            links.setdefault(link.user_id, []).append(link)
    rows = [_row(session, user, collectivity_name, links.get(user.id, [])) for user, collectivity_name in page.items]
    return Page(items=rows, number=page.number, size=page.size, total=page.total)


def _row(session: Session, user: User, collectivity_name: str | None, links: list[Invitation]) -> AccountRow:
    pending = pending_state(links)
    # Only the few accounts with a pending link cost the look-up of a login.
    opened = pending == "active" or is_opened(session, user)
    state = "deactivated" if not user.active else ("active" if opened else "invited")
    return AccountRow(user, collectivity_name, state, link_expired=not opened and pending == "expired")


def account_row(session: Session, user: User) -> AccountRow:
    """The list's line for one account (its page)."""
    links = list(session.exec(select(Invitation).where(Invitation.user_id == user.id)))
    collectivity = session.get(Collectivity, user.scope_collectivity_id) if user.scope_collectivity_id else None
    return _row(session, user, collectivity.name if collectivity else None, links)


def enrolled_collectivities(session: Session) -> list[tuple[int, str]]:
    """The collectivities a référent may be tied to: those engaged in a programme, by name."""
    engaged = select(Enrolment.collectivity_id).where(Enrolment.status == "enrolled")
    return list(session.exec(select(Collectivity.id, Collectivity.name).where(Collectivity.id.in_(engaged))
                             .order_by(Collectivity.name, Collectivity.id)))


def all_collectivities(session: Session) -> list[tuple[int, str]]:
    """Every collectivity, by name: the audit log's filter."""
    return list(session.exec(select(Collectivity.id, Collectivity.name).order_by(Collectivity.name, Collectivity.id)))


def _engaged_collectivity(session: Session, role: str, collectivity_id: int | None) -> Collectivity | None:
    if role != Role.PARTICIPANT:
        return None
    if collectivity_id is None:
        raise AccountRefused(_l("Un référent est rattaché à une collectivité : choisissez-la."), field="collectivity")
    collectivity = session.get(Collectivity, collectivity_id)
    engaged = session.exec(select(Enrolment.id).where(Enrolment.collectivity_id == collectivity_id,
                                                      Enrolment.status == "enrolled")).first()
    if collectivity is None or engaged is None:
        raise AccountRefused(_l("Seule une collectivité engagée dans un programme reçoit des référents."),
                             field="collectivity")
    return collectivity


def invite(session: Session, *, email: str, full_name: str, role: str, collectivity_id: int | None,
           by_user_id: int | None) -> tuple[User, str]:
    """An account of any role that opens only through its one-time link (7 days); returns it and the link's token."""
    if role not in ROLES:
        raise AccountRefused(_l("Choisissez l'une des valeurs proposées."), field="role")
    collectivity = _engaged_collectivity(session, role, collectivity_id)
    if collectivity is not None:
        # The référents' own rule, as the collectivity's page applies it.
        return participants_service.invite_referent(session, collectivity=collectivity, email=email,
                                                    full_name=full_name, by_user_id=by_user_id)
    email = email.strip().lower()
    if session.exec(select(User.id).where(User.email == email)).first() is not None:
        raise AccountRefused(_l("Un compte existe déjà pour cette adresse."), field="email")
    # No one knows this password: the account opens only through the invitation link.
    user = create_user(session, email=email, password=secrets.token_urlsafe(32), role=role,
                       full_name=full_name.strip())
    return user, create_invitation(session, user=user, by_user_id=by_user_id)


def _other_active_admins(session: Session, user: User) -> int:
    """The admins other than this one who can still log in, their rows locked until the change commits."""
    # Locked (PostgreSQL) so that two admins demoting each other at the same moment cannot both succeed.
    others = session.exec(select(User).where(User.role == Role.ADMIN, User.active, User.id != user.id)
                          .with_for_update()).all()
    return sum(1 for other in others if is_opened(session, other))


def _keep_an_admin(session: Session, user: User) -> None:
    if user.role == Role.ADMIN and user.active and _other_active_admins(session, user) == 0:
        raise AccountRefused(LAST_ADMIN, field="role")


def change_role(session: Session, *, user: User, role: str, collectivity_id: int | None) -> User:
    """Give the account another role (a référent with its collectivity); its sessions end, to start with the new one."""
    if role not in ROLES:
        raise AccountRefused(_l("Choisissez l'une des valeurs proposées."), field="role")
    collectivity = _engaged_collectivity(session, role, collectivity_id)
    new_scope = collectivity.id if collectivity is not None else None
    if role == user.role and new_scope == user.scope_collectivity_id:
        raise AccountRefused(_l("Ce compte a déjà ce rôle."), field="role")
    if role != Role.ADMIN:
        _keep_an_admin(session, user)
    user.role, user.scope_collectivity_id = role, new_scope
    # A session opened under the old role must not keep its pages (or a référent another collectivity's).
    end_every_session(user)
    session.add(user)
    session.flush()
    return user


def deactivate(session: Session, *, user: User) -> User:
    """Close the account: every session ends now and it can no longer log in; nothing it wrote is removed."""
    if not user.active:
        raise AccountRefused(_l("Ce compte est déjà désactivé."))
    _keep_an_admin(session, user)
    end_every_session(user)
    user.active = False
    session.add(user)
    session.flush()
    return user


def reactivate(session: Session, *, user: User) -> User:
    """Open a deactivated account again, with the password it had."""
    if user.active:
        raise AccountRefused(_l("Ce compte est déjà actif."))
    user.active = True
    session.add(user)
    session.flush()
    return user


def new_link(session: Session, *, user: User, by_user_id: int | None) -> tuple[str, str]:
    """A new set-password link: ("invitation", token) for an account never opened, else ("reset", token).

    The view decides who sees it: a reset link goes only to the owner's address (never on the admin's screen).
    """
    if not user.active:
        raise AccountRefused(_l("Ce compte est désactivé : réactivez-le d'abord."))
    if is_opened(session, user):
        return "reset", create_invitation(session, user=user, by_user_id=by_user_id, purpose="reset",
                                          valid_for=RESET_VALID_FOR)
    return "invitation", create_invitation(session, user=user, by_user_id=by_user_id)


def request_reset(session: Session, *, email: str) -> tuple[User, str] | None:
    """A reset link for this address if it names an active, opened account not asked for too often; else None.

    The caller answers the same whatever this returns: the page never tells whether an account exists.
    """
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None or not user.active or not is_opened(session, user):
        return None
    if resets_since(session, user_id=user.id, since=utcnow() - timedelta(hours=1)) >= RESETS_PER_HOUR:
        return None
    # The link proves only that its holder reads this mailbox: the owner, who asked.
    return user, create_invitation(session, user=user, by_user_id=None, purpose="reset", valid_for=RESET_VALID_FOR)
