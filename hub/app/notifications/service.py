"""What the notification pages show: a person's list, where each notification leads, an irritant's follow panel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone

import sqlalchemy as sa
from flask import url_for
from sqlmodel import Session, select

from hub.core import notification_mail, notifications
from hub.core.i18n import gettext as _
from hub.core.labels import label
from hub.core.models import Programme, Role, User
from hub.core.notifications import Notification
from hub.core.pagination import Page, paginate
from irritants.decisions import shown_decisions
from irritants.models import Irritant
from irritants.service import comments, event_note, history, notice_target

# Who may follow an irritant and receive notifications: the team and the référents; the steering committee only
# reads and posts nothing (hub.core.auth), so it is offered no button it could not use.
RECEIVING_ROLES = (Role.ADMIN, Role.FACILITATOR, Role.PARTICIPANT)


@dataclass(frozen=True)
class ShownNotification:
    """A notification as the list shows it: its sentence in the reader's language, who, when, read or not."""

    id: int
    sentence: str
    detail: str
    created_at: datetime
    unread: bool


def notification_page(session: Session, *, user_id: int, number: int, size: int) -> Page:
    """The person's notifications, newest first, each worded in the reader's language (two queries a page)."""
    actor = sa.func.coalesce(sa.func.nullif(User.full_name, ""), User.email)
    statement = (select(Notification, actor).join(User, User.id == Notification.actor_id, isouter=True)
                 .where(Notification.user_id == user_id).order_by(Notification.id.desc()))
    count = select(sa.func.count(Notification.id)).where(Notification.user_id == user_id)
    page = paginate(session, statement, number, size, count=count)
    shown = [ShownNotification(row.id, notification_mail.sentence(row.kind, row.params, name),
                               notification_mail.detail(row.kind, row.params), row.created_at, row.read_at is None)
             for row, name in page.items]
    return Page(items=shown, number=page.number, size=page.size, total=page.total)


def own_notification(session: Session, *, user_id: int, notification_id: int) -> Notification | None:
    """The person's own notification with this id; None for anyone else's."""
    return session.exec(select(Notification).where(Notification.id == notification_id,
                                                   Notification.user_id == user_id)).first()


def target_url(session: Session, notification: Notification) -> str:
    """The page of what the notification is about (the list when that page is gone)."""
    if notification.target_type == "irritant":
        return url_for("irritants.irritant_detail", irritant_id=notification.target_id)
    slug = session.exec(select(Programme.slug).where(Programme.id == notification.programme_id)).first() \
        if notification.programme_id else None
    if slug and notification.target_type == "usage_month":
        return url_for("usage.usage_page", slug=slug)
    if slug and notification.target_type == "survey_result":
        return url_for("surveys.survey_page", slug=slug)
    return url_for("notifications.notification_list")


@dataclass(frozen=True)
class TimelineEntry:
    """One step of an irritant's life as a follower reads it: when, who, what, why."""

    at: datetime
    who: str
    what: str
    why: str = ""
    kind: str = "event"


@dataclass(frozen=True)
class FollowPanel:
    """Whether the person follows the irritant, and, if so, its whole story."""

    following: bool
    timeline: list[TimelineEntry]


def _moment(value) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return datetime.combine(value, time.min, tzinfo=timezone.utc)
    return datetime.min.replace(tzinfo=timezone.utc)


def follow_panel(session: Session, *, user: User, irritant: Irritant, events=None, comment_rows=None,
                 decisions=None) -> FollowPanel | None:
    """The follow button's state and, for a follower, status changes (who, why), comments and decisions in order.

    The irritant page already holds its events, comments and decisions: passed in, they are not read again.
    """
    if user.role not in RECEIVING_ROLES:
        return None
    following = notifications.is_following(session, user_id=user.id, target=notice_target(irritant))
    if not following:
        return FollowPanel(False, [])
    events = history(session, irritant_id=irritant.id) if events is None else events
    comment_rows = comments(session, irritant_id=irritant.id) if comment_rows is None else comment_rows
    decisions = shown_decisions(session, irritant=irritant) if decisions is None else decisions
    ids = {event.by_user_id for event in events if event.by_user_id}
    names = {row.id: row.display_name for row in session.exec(select(User).where(User.id.in_(ids)))} if ids else {}
    entries = []
    for event in events:
        what = (_("%(before)s → %(after)s", before=label("irritant", event.from_status),
                  after=label("irritant", event.to_status)) if event.from_status
                else _("Création : %(status)s", status=label("irritant", event.to_status)))
        entries.append(TimelineEntry(_moment(event.at), names.get(event.by_user_id) or _("Le hub"), what,
                                     event_note(event.note) if event.note else ""))
    for comment, author in comment_rows:
        entries.append(TimelineEntry(_moment(comment.created_at), author or _("compte supprimé"),
                                     _("Commentaire"), comment.body, "comment"))
    for decision in decisions:
        entries.append(TimelineEntry(_moment(decision.decided_on), _("Comité de pilotage"),
                                     _("Décision : %(kind)s", kind=label("decision", decision.kind)),
                                     decision.rationale, "decision"))
    return FollowPanel(True, sorted(entries, key=lambda entry: entry.at))
