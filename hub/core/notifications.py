"""What each person is told, in the hub and by e-mail: notifications, what people follow, how each wants to hear.

Domains call ``notify`` (and ``follow``) in the same session as the change they announce, so a notification
commits or rolls back with it. The recipients are ground-floor notions (the project team, a collectivity's
référents, the followers of an object), which is why this lives here rather than behind a signal an upper floor
would have to receive: a notification cannot be lost because a receiver was not connected.

Notification rows are written and marked read with Core statements, not through the ORM: they are derived from a
change the audit log already records (the irritant, the comment, the validated figure), and a proposal seen by ten
people must not put ten rows in the audit log, nor every page opened one more. What people choose (a follow, a
preference) goes through the ORM and is audited like any other write.

E-mails chosen « immediately » are queued on the session and sent once it commits, within the request, by
hub/core/notification_mail.py, which also words notifications and sends the daily digest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

import sqlalchemy as sa
from flask import g, has_request_context
from flask_babel import lazy_gettext as _l
from sqlmodel import Field, Session, SQLModel, select

from hub.core.models import TEAM, Role, User, utcnow

KINDS = ("proposal", "status", "comment", "decision", "validation")
# in-app only; an e-mail as it happens; in-app and one e-mail a day gathering what was not read
DELIVERIES = ("app", "immediate", "digest")
KIND_LABELS = {
    "proposal": _l("Propositions d'irritants des collectivités"),
    "status": _l("Changements de statut"),
    "comment": _l("Commentaires sur ce que je suis"),
    "decision": _l("Décisions du comité de pilotage"),
    "validation": _l("Validations et corrections des chiffres d'usage et d'enquête"),
}
DELIVERY_LABELS = {
    "app": _l("Dans le hub seulement"),
    "immediate": _l("Par courriel, aussitôt"),
    "digest": _l("Par courriel, un résumé par jour"),
}
# Only what can reach a role is offered on its preferences page.
ROLE_KINDS = {
    Role.ADMIN: ("proposal", "status", "comment", "decision"),
    Role.FACILITATOR: ("proposal", "status", "comment", "decision"),
    Role.PARTICIPANT: ("status", "comment", "decision", "validation"),
}
PENDING_MAIL = "notifications.pending_mail"


class Notification(SQLModel, table=True):
    """One thing one person is told: what happened (kind and wording parameters), to what, by whom; read or not."""

    __table_args__ = (
        # The header's unread counter is one COUNT on (user, read_at IS NULL); the list reads a person's newest first.
        sa.Index("ix_notification_unread", "user_id", "read_at"),
        sa.Index("ix_notification_user_list", "user_id", "id"),
        sa.Index("ix_notification_digest", "delivery", "emailed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id")
    kind: str = Field(max_length=20)
    target_type: str = Field(max_length=30)  # "irritant", "usage_month", "survey_result"
    target_id: int
    programme_id: int | None = Field(default=None, foreign_key="programme.id")
    actor_id: int | None = Field(default=None, foreign_key="user_account.id")
    # The wording's values as they were (a title, two statuses, a reason): the sentence is made in the reader's
    # language when it is read.
    params: dict = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    # The person's choice for this kind when it was made: the digest takes only those chosen for it then.
    delivery: str = Field(default="app", max_length=20)
    created_at: datetime = Field(default_factory=utcnow)
    read_at: datetime | None = None
    emailed_at: datetime | None = None


class Follow(SQLModel, table=True):
    """A person follows an object (an irritant): they hear of its status changes, comments and decisions."""

    __table_args__ = (sa.UniqueConstraint("user_id", "target_type", "target_id"),
                      sa.Index("ix_follow_target", "target_type", "target_id"))

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id")
    target_type: str = Field(max_length=30)
    target_id: int
    created_at: datetime = Field(default_factory=utcnow)


class NotificationPreference(SQLModel, table=True):
    """How one person wants to hear of one kind of event; without a row, the default of their role."""

    __tablename__ = "notification_preference"
    __table_args__ = (sa.UniqueConstraint("user_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id")
    kind: str = Field(max_length=20)
    delivery: str = Field(max_length=20)


@dataclass(frozen=True)
class Target:
    """What a notification is about: its type and id, its programme, and the collectivity that owns it."""

    type: str
    id: int
    collectivity_id: int | None = None
    programme_id: int | None = None


def default_delivery(role: str, kind: str) -> str:
    """The team hears of proposals at once (they wait for its review); everything else is in the daily digest."""
    if kind == "proposal" and role in TEAM:
        return "immediate"
    return "digest"


def preferences(session: Session, user: User) -> dict[str, str]:
    """The person's choice for each kind offered to their role, defaults filled in."""
    chosen = dict(session.exec(select(NotificationPreference.kind, NotificationPreference.delivery)
                               .where(NotificationPreference.user_id == user.id)).all())
    return {kind: chosen.get(kind) or default_delivery(user.role, kind) for kind in ROLE_KINDS.get(user.role, ())}


def set_preferences(session: Session, *, user: User, choices: dict[str, str]) -> None:
    """Keep the person's choices (only the kinds their role can receive, only known deliveries)."""
    rows = {row.kind: row for row in session.exec(select(NotificationPreference)
                                                  .where(NotificationPreference.user_id == user.id))}
    for kind in ROLE_KINDS.get(user.role, ()):
        delivery = choices.get(kind)
        if delivery not in DELIVERIES:
            continue
        row = rows.get(kind) or NotificationPreference(user_id=user.id, kind=kind, delivery=delivery)
        row.delivery = delivery
        session.add(row)
    session.flush()


def follow(session: Session, *, user_id: int | None, target: Target) -> bool:
    """Make the person follow the object (the caller has checked they may see it); False if they already did."""
    if user_id is None or is_following(session, user_id=user_id, target=target):
        return False
    session.add(Follow(user_id=user_id, target_type=target.type, target_id=target.id))
    session.flush()
    return True


def unfollow(session: Session, *, user_id: int, target: Target) -> bool:
    """Stop following the object; False if the person did not follow it."""
    row = session.exec(select(Follow).where(Follow.user_id == user_id, Follow.target_type == target.type,
                                            Follow.target_id == target.id)).first()
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def is_following(session: Session, *, user_id: int, target: Target) -> bool:
    """Whether the person follows the object."""
    return session.exec(select(Follow.id).where(Follow.user_id == user_id, Follow.target_type == target.type,
                                                Follow.target_id == target.id)).first() is not None


def _recipients(session: Session, *, target: Target, team: bool, referents: bool, followers: bool) -> list[User]:
    """Active accounts to tell: a référent only ever about their own collectivity's objects."""
    chosen = []
    if team:
        chosen.append(User.role.in_([role.value for role in TEAM]))
    if referents and target.collectivity_id is not None:
        chosen.append(sa.and_(User.role == Role.PARTICIPANT, User.scope_collectivity_id == target.collectivity_id))
    if followers:
        following = select(Follow.user_id).where(Follow.target_type == target.type, Follow.target_id == target.id)
        # A follower who is a référent of another collectivity (their account moved since) hears nothing of it.
        chosen.append(sa.and_(User.id.in_(following), sa.or_(
            User.role != Role.PARTICIPANT, User.scope_collectivity_id == target.collectivity_id)))
    if not chosen:
        return []
    return list(session.exec(select(User).where(User.active == True, sa.or_(*chosen))  # noqa: E712
                             .order_by(User.id)))


def notify(session: Session, *, kind: str, target: Target, actor_id: int | None, params: dict,
           team: bool = False, referents: bool = False, followers: bool = False) -> list[int]:
    """Tell the team, the target collectivity's référents and/or the object's followers (never the actor).

    Returns the ids of the people told. Their immediate e-mails leave once the session commits.
    """
    people = [user for user in _recipients(session, target=target, team=team, referents=referents,
                                           followers=followers) if user.id != actor_id]
    if not people:
        return []
    chosen = dict(session.exec(select(NotificationPreference.user_id, NotificationPreference.delivery)
                               .where(NotificationPreference.kind == kind,
                                      NotificationPreference.user_id.in_([u.id for u in people]))).all())
    now = utcnow()
    rows = [{"user_id": user.id, "kind": kind, "target_type": target.type, "target_id": target.id,
             "programme_id": target.programme_id, "actor_id": actor_id, "params": params,
             "delivery": chosen.get(user.id) or default_delivery(user.role, kind), "created_at": now}
            for user in people]
    table = Notification.__table__
    # One statement for every recipient, ids given back in the rows' order (SQLite and PostgreSQL alike).
    ids = session.connection().execute(sa.insert(table).returning(table.c.id, sort_by_parameter_order=True),
                                       rows).scalars().all()
    actor = session.get(User, actor_id).display_name if actor_id else None
    for user, row, notification_id in zip(people, rows, ids):
        if row["delivery"] == "immediate":
            session.info.setdefault(PENDING_MAIL, []).append(Mail(
                to=user.email, language=user.language, notification_id=notification_id, kind=kind,
                params=params, actor=actor))
    return [user.id for user in people]


@dataclass(frozen=True)
class Mail:
    """An immediate e-mail waiting for its session to commit: all it needs, since it is sent after the commit."""

    to: str
    language: str | None
    notification_id: int
    kind: str
    params: dict
    actor: str | None


# Where a request keeps the logged-in person's unread count, read with their account (hub.core.auth) so that the
# header's counter costs no statement of its own; marking notifications read drops it.
UNREAD_KEPT = "unread_notifications"


def unread_count(session: Session, *, user_id: int) -> int:
    """How many notifications the person has not read: one COUNT over the (user, read_at) index."""
    return session.exec(select(sa.func.count(Notification.id)).where(Notification.user_id == user_id,
                                                                     Notification.read_at.is_(None))).one()


@cache  # built once: a statement's expressions are immutable, and building this one is a tenth of loading an account
def unread_of_account():
    """The same count as a column of the account's own row, for reading both in one statement."""
    return (select(sa.func.count(Notification.id))
            .where(Notification.user_id == User.id, Notification.read_at.is_(None))
            .correlate(User).scalar_subquery().label("unread"))


def mark_read(session: Session, *, user_id: int, notification_id: int | None = None) -> int:
    """Mark one of the person's notifications read, or all of them; how many changed (never someone else's)."""
    table = Notification.__table__
    statement = sa.update(table).where(table.c.user_id == user_id, table.c.read_at.is_(None))
    if notification_id is not None:
        statement = statement.where(table.c.id == notification_id)
    if has_request_context():
        g.pop(UNREAD_KEPT, None)  # the header counts again
    return session.connection().execute(statement.values(read_at=utcnow())).rowcount
