"""What a notification says, in the reader's language, and how it leaves by e-mail: at once, or in the daily digest.

Immediate e-mails are queued on the session by ``hub.core.notifications.notify`` and sent here once the session
commits, within the request: nothing is sent for a change that is rolled back. The listeners below are installed
when this module is imported, which the notification pages (hub/app/notifications), imported by the app factory,
do. Without a mail server (MAIL_SERVER) nothing is sent and nothing breaks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import has_request_context
from flask_babel import force_locale, format_date
from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, select

from hub.core import mail
from hub.core.i18n import gettext as _
from hub.core.i18n import ngettext
from hub.core.labels import label
from hub.core.models import User, utcnow
from hub.core.notifications import PENDING_MAIL, Notification


def sentence(kind: str, params: dict, actor: str | None) -> str:
    """What happened, in one sentence of the reader's language."""
    who = actor or _("Le hub")
    title = params.get("title", "")
    if kind == "proposal":
        return _("%(who)s propose un irritant pour %(collectivity)s : « %(title)s »", who=who,
                 collectivity=params.get("collectivity", ""), title=title)
    if kind == "status":
        return _("« %(title)s » passe de « %(before)s » à « %(after)s »", title=title,
                 before=_status_label(params.get("from")), after=_status_label(params.get("to")))
    if kind == "comment":
        return _("%(who)s a commenté « %(title)s »", who=who, title=title)
    if kind == "decision":
        return _("Décision du comité de pilotage sur « %(title)s » : %(decision)s", title=title,
                 decision=_decision_label(params.get("decision")))
    if kind == "validation":
        return _validation_sentence(params)
    return title


def detail(kind: str, params: dict) -> str:
    """The words that go with the sentence: the reason given, the comment's beginning, the rationale."""
    if kind == "status" and params.get("note"):
        return _("Raison : %(note)s", note=params["note"])
    if kind == "comment":
        return params.get("excerpt", "")
    if kind == "decision" and params.get("rationale"):
        return params["rationale"]
    return ""


def _status_label(status: str | None) -> str:
    return label("irritant", status)


def _decision_label(kind: str | None) -> str:
    return label("decision", kind)


def _month(iso: str | None) -> str:
    # Kept as an ISO date, named in the reader's language (« octobre 2024 », "October 2024").
    if not iso:
        return ""
    return format_date(date.fromisoformat(iso[:10]), "LLLL y")


def _validation_sentence(params: dict) -> str:
    what = params.get("what")
    if what == "usage":
        subject = _("l'usage de l'outil de %(month)s", month=_month(params.get("month")))
    else:
        subject = _("les résultats de l'enquête « %(wave)s »", wave=params.get("wave", ""))
    outcome = params.get("outcome")
    if outcome == "accepted":
        return _("Votre correction est acceptée : %(subject)s", subject=subject)
    if outcome == "refused":
        return _("Votre correction est refusée, le chiffre validé reste : %(subject)s", subject=subject)
    return _("L'équipe projet a validé %(subject)s", subject=subject)


# How a notification's e-mail links to it (the composition root's route that marks it read and opens its object).
_link: Callable[[int], str] | None = None


def register_link(build: Callable[[int], str]) -> None:
    """Let the page that opens a notification give the address e-mails link to."""
    global _link
    _link = build


def compose(*, kind: str, params: dict, actor: str | None, language: str | None,
            notification_ids: Iterable[int] = ()) -> tuple[str, str]:
    """One notification's subject and body, in the recipient's language."""
    with force_locale(language or "fr"):
        subject = _("Hub IA : %(what)s", what=sentence(kind, params, actor))
        lines = [_("Bonjour,"), "", sentence(kind, params, actor)]
        if detail(kind, params):
            lines.append(detail(kind, params))
        for notification_id in notification_ids:
            if _link is not None:
                lines += ["", _("Voir dans le hub : %(link)s", link=_link(notification_id))]
        lines += ["", _("Vous recevez ce courriel selon vos préférences de notification, modifiables dans le hub.")]
    return subject, "\n".join(lines) + "\n"


def _send_pending(session: OrmSession) -> None:
    pending = session.info.pop(PENDING_MAIL, None)
    # Outside a request (a command loading the demo) there is no address to link to: those stay in the hub.
    if not pending or not has_request_context() or not mail.enabled():
        return
    for waiting in pending:
        subject, body = compose(kind=waiting.kind, params=waiting.params, actor=waiting.actor,
                                language=waiting.language, notification_ids=[waiting.notification_id])
        mail.send(to=waiting.to, subject=subject, body=body)


@event.listens_for(OrmSession, "after_commit")
def _after_commit(session: OrmSession) -> None:
    _send_pending(session)


@event.listens_for(OrmSession, "after_transaction_end")
def _after_transaction_end(session: OrmSession, transaction) -> None:
    # A session's outermost transaction that ends without its commit sending them: those changes never happened.
    if transaction.parent is None:
        session.info.pop(PENDING_MAIL, None)


@dataclass(frozen=True)
class DigestSent:
    """What one run of the digest did: people e-mailed, notifications they gathered, people not reached."""

    people: int = 0
    notifications: int = 0
    failed: int = 0


def send_digest(session: Session) -> DigestSent:
    """E-mail each person their unread digest notifications not yet e-mailed, once, in their language.

    Committed person by person: a run stopped halfway sends the others next time and never twice the same.
    """
    table = Notification.__table__
    waiting = session.exec(select(Notification, User).join(User, User.id == Notification.user_id)
                           .where(Notification.delivery == "digest", Notification.emailed_at.is_(None),
                                  Notification.read_at.is_(None), User.active == True)  # noqa: E712
                           .order_by(Notification.user_id, Notification.id)).all()
    by_user: dict[int, tuple[User, list[Notification]]] = {}
    for notification, user in waiting:
        by_user.setdefault(user.id, (user, []))[1].append(notification)
    actor_ids = {n.actor_id for _user, rows in by_user.values() for n in rows if n.actor_id}
    actors = {user.id: user.display_name for user in session.exec(select(User).where(User.id.in_(actor_ids)))} \
        if actor_ids else {}
    people = sent = failed = 0
    for user, rows in by_user.values():
        subject, body = _digest_mail(user, rows, actors)
        if not mail.send(to=user.email, subject=subject, body=body):
            failed += 1
            continue
        session.connection().execute(sa.update(table).where(table.c.id.in_([n.id for n in rows]))
                                     .values(emailed_at=utcnow()))
        session.commit()
        people, sent = people + 1, sent + len(rows)
    return DigestSent(people=people, notifications=sent, failed=failed)


def _digest_mail(user: User, rows: list[Notification], actors: dict[int, str]) -> tuple[str, str]:
    with force_locale(user.language or "fr"):
        subject = ngettext("Hub IA : %(num)s nouvelle notification", "Hub IA : %(num)s nouvelles notifications",
                           len(rows))
        lines = [_("Bonjour,"), "", _("Voici ce qui s'est passé dans le hub depuis le dernier résumé :"), ""]
        for row in rows:
            lines.append("- " + sentence(row.kind, row.params, actors.get(row.actor_id)))
            if detail(row.kind, row.params):
                lines.append("  " + detail(row.kind, row.params))
            if _link is not None:
                lines.append("  " + _link(row.id))
        lines += ["", _("Vous recevez ce résumé selon vos préférences de notification, modifiables dans le hub.")]
    return subject, "\n".join(lines) + "\n"
