"""Irritants: listing with filters, the board, recording one, moving it through its life."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm as so
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from hub.core import notifications, revisions
from hub.core.i18n import say
from hub.core.models import User, utcnow
from hub.core.pagination import COUNT_CAP, Page, capped_count, paginate
from hub.core.query import int_arg, str_arg
from hub.core.refusals import Refused
from irritants import ai_act
from irritants.answers import assess, options, parameters, refresh_derived
from irritants.models import (
    IRRITANT_STATUSES,
    Comment,
    Irritant,
    IrritantEvent,
    RemedyOption,
    priority_order,
)
from participants.models import Collectivity

TRANSITIONS = {
    "proposed": ("identified", "rejected"),
    "identified": ("qualified", "rejected"),
    "qualified": ("scored", "rejected"),
    "scored": ("decided", "abandoned"),
    "decided": ("in_progress", "abandoned"),
    "in_progress": ("done", "abandoned"),
    "rejected": ("identified",),
    "done": (),
    "abandoned": (),
}


class IrritantRefused(Refused):
    """A change the method or the workflow refuses, with a French reason."""


class StaleVersion(ValueError):
    """Someone else saved this irritant since the form was opened.

    Not a ``Refused``: nothing typed is wrong, and the page shows both versions side by side (409), not a field error.
    """


@dataclass(frozen=True)
class IrritantFilters:
    """The filters of the irritant list."""

    programme_id: int | None = None
    collectivity_id: int | None = None
    collectivity_name: str | None = None
    theme: str | None = None
    status: str | None = None

    @classmethod
    def from_args(cls, programme_id: int, args) -> "IrritantFilters":
        """The filters as the list's query string gives them; the list and its exports read them alike."""
        return cls(programme_id=programme_id, collectivity_id=int_arg("collectivity", args=args),
                   collectivity_name=str_arg("collectivity_name", args=args).strip() or None,
                   theme=str_arg("theme", args=args) or None, status=str_arg("status", args=args) or None)


def _list_statements(filters: IrritantFilters, cap: int = COUNT_CAP) -> tuple[sa.Select, sa.Select]:
    conditions = []
    if filters.programme_id is not None:
        conditions.append(Irritant.programme_id == filters.programme_id)
    if filters.collectivity_id is not None:
        conditions.append(Irritant.collectivity_id == filters.collectivity_id)
    if filters.theme:
        conditions.append(Irritant.theme == filters.theme)
    if filters.status in IRRITANT_STATUSES:
        conditions.append(Irritant.status == filters.status)
    by_name = Collectivity.name.ilike(f"%{filters.collectivity_name}%") if filters.collectivity_name else None
    statement = (select(Irritant, Collectivity.name).join(Collectivity, Collectivity.id == Irritant.collectivity_id)
                 .where(*conditions).order_by(*priority_order()))
    # Counting needs the collectivity only to filter by its name; it reads the irritant indexes alone, and
    # stops at the cap: a national programme's 100,000 rows are « plus de 10 000 », not a scan on every view.
    counted = select(Irritant.id).where(*conditions)
    if by_name is not None:
        statement = statement.where(by_name)
        counted = counted.join(Collectivity, Collectivity.id == Irritant.collectivity_id).where(by_name)
    return statement, capped_count(counted, cap)


LIST_COLUMNS = (Irritant.id, Irritant.collectivity_id, Irritant.title, Irritant.service, Irritant.theme,
                Irritant.status, Irritant.hours_per_year, Irritant.priority_value, Irritant.priority_sort)


def irritant_page(session: Session, *, filters: IrritantFilters, number: int, size: int,
                  order: list | None = None, cap: int = COUNT_CAP) -> Page:
    """Irritants with their collectivity's name, filtered, highest priority first (or by ``order``), counted to cap."""
    statement, count = _list_statements(filters, cap)
    if order:
        statement = statement.order_by(None).order_by(*order)
    # The list shows seven columns of an irritant's thirty-odd: read as plain rows (a Bundle, named like an
    # irritant), they cost no ORM object, identity map or deferred loader per row, and fewer bytes.
    statement = statement.with_only_columns(so.Bundle("irritant", *LIST_COLUMNS), Collectivity.name,
                                            maintain_column_froms=True)
    return paginate(session, statement, number, size, total=_counted(session, filters, count, cap), cap=cap)


def _counted(session: Session, filters: IrritantFilters, count: sa.Select, cap: int) -> int:
    # Counting a national list to its cap is its largest statement (1.5 ms on PostgreSQL): the count is kept per
    # worker while the programme's irritants stand as counted (hub.core.revisions). Not a count by collectivity
    # name: a rename moves another counter.
    if filters.programme_id is None or filters.collectivity_name:
        return session.execute(count).scalar_one()
    return revisions.kept(session, filters.programme_id, "irritants_revision", ("irritant_count", filters, cap),
                          lambda: session.execute(count).scalar_one())


def irritant_rows(session: Session, *, filters: IrritantFilters) -> list:
    """Every row of the list under these filters (irritant, collectivity name), for the exports."""
    return list(session.exec(_list_statements(filters)[0]))


def history(session: Session, *, irritant_id: int) -> list[IrritantEvent]:
    """Every step of an irritant's life, oldest first."""
    return list(session.exec(select(IrritantEvent).where(IrritantEvent.irritant_id == irritant_id)
                             .order_by(IrritantEvent.at, IrritantEvent.id)))


def record_irritant(session: Session, *, irritant: Irritant, by_user_id: int | None, proposed: bool) -> Irritant:
    """Save a new irritant (a référent's is only proposed until the team reviews it)."""
    irritant.status = "proposed" if proposed else "identified"
    irritant.created_by_id = by_user_id
    refresh_derived(session, irritant)
    session.add(irritant)
    session.flush()
    session.add(IrritantEvent(irritant_id=irritant.id, collectivity_id=irritant.collectivity_id,
                              to_status=irritant.status, by_user_id=by_user_id))
    session.flush()
    if proposed:
        # The proposer follows what becomes of it; the team is told a proposal waits for its review.
        notifications.follow(session, user_id=by_user_id, target=notice_target(irritant))
        notifications.notify(session, kind="proposal", target=notice_target(irritant), actor_id=by_user_id,
                             team=True, params={"title": irritant.title, "collectivity": session.get(
                                 Collectivity, irritant.collectivity_id).name})
    return irritant


def notice_target(irritant: Irritant) -> notifications.Target:
    """The irritant as notifications and follows name it."""
    return notifications.Target("irritant", irritant.id, irritant.collectivity_id, irritant.programme_id)


def change_status(session: Session, *, irritant: Irritant, to_status: str, expected_version: int,
                  by_user_id: int | None, note: str = "") -> IrritantEvent:
    """Move an irritant along its life; refuses a stale form and an unqualified 'qualified'."""
    if irritant.version != expected_version:
        raise StaleVersion(_l("Cet irritant a été modifié par quelqu'un d'autre depuis l'ouverture de la page."))
    if to_status not in TRANSITIONS.get(irritant.status, ()):
        raise IrritantRefused(_l("Ce changement de statut n'est pas possible depuis le statut actuel."),
                              field="to_status")
    if to_status == "rejected" and not note.strip():
        # The collectivity reads why its irritant (or its proposal) was set aside.
        raise IrritantRefused(_l("Indiquez pourquoi l'irritant est écarté : la collectivité lira cette raison."))
    if to_status == "qualified":
        _version, params = parameters(session, programme_id=irritant.programme_id)
        qualification = assess(irritant, [], params).qualification
        if not qualification.qualified:
            raise IrritantRefused(_l("Cet irritant n'est pas encore qualifié : %(why)s",
                                     why=" ".join(say(reason) for reason in qualification.reasons)),
                                  field="to_status")
    event = IrritantEvent(irritant_id=irritant.id, collectivity_id=irritant.collectivity_id,
                          from_status=irritant.status, to_status=to_status, by_user_id=by_user_id, note=note)
    irritant.status = to_status
    irritant.updated_at = utcnow()
    session.add_all([irritant, event])
    try:
        session.flush()
    except StaleDataError as stale:
        raise StaleVersion(_l("Cet irritant a été modifié par quelqu'un d'autre depuis l'ouverture de la page.")) \
            from stale
    notifications.notify(session, kind="status", target=notice_target(irritant), actor_id=by_user_id,
                         referents=True, followers=True, params={"title": irritant.title, "from": event.from_status,
                                                                 "to": to_status, "note": note})
    return event


QUALIFICATION_FIELDS = ("evidence_level", "occurrences_per_month", "minutes_per_occurrence", "agents_affected",
                        "actionability", "impact_citizens", "compliance_risk", "mental_load", "volume_unknown")


@dataclass(frozen=True)
class QualificationSaved:
    """A saved qualification: whether it moved the irritant to « qualifié », or left one that no longer is."""

    irritant: Irritant
    moved: bool = False
    lapsed: bool = False


QUALIFIED_ON_SAVE_NOTE = _l("Qualifié à l'enregistrement de la qualification")


def _in_french(message) -> str:
    with force_locale("fr"):
        return str(message)


def event_note(note: str) -> str:
    """An event's note: the hub's own (kept in French, the data's language) in the reader's language; a person's as
    typed."""
    return str(QUALIFIED_ON_SAVE_NOTE) if note and note == _in_french(QUALIFIED_ON_SAVE_NOTE) else note


def qualify_irritant(session: Session, *, irritant: Irritant, values: dict, expected_version: int,
                     by_user_id: int | None = None) -> QualificationSaved:
    """Record the qualification's inputs, moving an identified irritant that now qualifies to « qualifié »."""
    if irritant.version != expected_version:
        raise StaleVersion(_l("Cet irritant a été modifié par quelqu'un d'autre depuis l'ouverture de la page."))
    for name in QUALIFICATION_FIELDS:
        setattr(irritant, name, values[name])
    irritant.updated_at = utcnow()
    refresh_derived(session, irritant)
    _version, params = parameters(session, programme_id=irritant.programme_id)
    qualified = assess(irritant, [], params).qualification.qualified
    if qualified and irritant.status == "identified":
        # Through the one transition function, so that its checks and its event hold here too. The version was
        # checked above; reading the parameters may have flushed the new figures (and moved it on) already.
        change_status(session, irritant=irritant, to_status="qualified", expected_version=irritant.version,
                      by_user_id=by_user_id, note=_in_french(QUALIFIED_ON_SAVE_NOTE))
        return QualificationSaved(irritant, moved=True)
    session.add(irritant)
    try:
        session.flush()
    except StaleDataError as stale:
        raise StaleVersion(_l("Cet irritant a été modifié par quelqu'un d'autre depuis l'ouverture de la page.")) \
            from stale
    # Moving it back is a decision for the team (the status form), not a side effect of new figures.
    return QualificationSaved(irritant, lapsed=not qualified and irritant.status == "qualified")


# Starting options by theme, which the team then edits: frugal first, then AI (DESIGN §2, §3).
STARTER_OPTIONS = {
    "classement": [("outil_classique", "Plan de classement partagé et recherche existante", 40, 1500, 0, None),
                   ("ia_specialisee", "Recherche sémantique dans les documents", 70, 6000, 1500,
                    "internal_assistance")],
    "citoyens": [("formation", "Trames de réponse et atelier rédactionnel", 30, 800, 0, None),
                 ("ia_generative", "Brouillons de réponse relus par un agent", 60, 1500, 1200, "published_text")],
    "tableau_bord": [("outil_classique", "Tableau de bord alimenté par les exports existants", 50, 4000, 500, None),
                     ("ia_generative", "Synthèse commentée des indicateurs", 30, 2000, 1500, "internal_assistance")],
    "rh": [("outil_classique", "FAQ RH sur l'intranet", 40, 800, 0, None),
           ("ia_generative", "Assistant RH interne répondant aux questions courantes", 60, 3000, 2400,
            "internal_assistance")],
}
GENERIC_STARTERS = [("processus", "Simplifier la procédure avec le service", 30, 500, 0, None),
                    ("formation", "Former les agents concernés", 20, 600, 0, None)]


# Two to six options are usual; past this, the robustness check (500 draws of every option) slows the page down.
MAX_OPTIONS = 20


def _saved_with_irritant(session: Session, option: RemedyOption, irritant: Irritant) -> RemedyOption:
    # An option changes what the irritant's answer is: its recommendation and priority are recomputed with it.
    session.add(option)
    session.flush()
    refresh_derived(session, irritant)
    session.add(irritant)
    session.flush()
    return option


def add_option(session: Session, *, irritant: Irritant, values: dict) -> RemedyOption:
    """Add a remedy option and recompute the irritant's recommendation and priority; refused past MAX_OPTIONS."""
    count = session.exec(select(sa.func.count(RemedyOption.id)).where(RemedyOption.irritant_id == irritant.id)).one()
    if count >= MAX_OPTIONS:
        raise IrritantRefused(_l("Cet irritant compte déjà %(n)s options, le plus que le hub compare : retirez-en une "
                                 "avant d'en ajouter une autre.", n=MAX_OPTIONS))
    option = RemedyOption(irritant_id=irritant.id, collectivity_id=irritant.collectivity_id, **values)
    return _saved_with_irritant(session, option, irritant)


# The AI Act fields an edit leaves out: those of an option no longer AI, or of a class no longer confirmed.
AI_ACT_CLEARED = {"ai_act_use": "", "ai_act_class": None, "ai_act_confirmed_class": None,
                  "ai_act_confirmed_by_id": None, "ai_act_confirmed_at": None, "ai_act_duties": []}


def update_option(session: Session, *, irritant: Irritant, option: RemedyOption, values: dict) -> RemedyOption:
    """Change a remedy option and recompute the irritant's recommendation and priority, as adding one does."""
    if option.irritant_id != irritant.id:
        raise IrritantRefused(_l("Cette option ne concerne pas cet irritant."))
    confirmed = values.get("ai_act_confirmed_class")
    if confirmed and confirmed == option.ai_act_confirmed_class:
        # The same class confirmed again: who confirmed it first, and when, stays true.
        values = {**values, "ai_act_confirmed_by_id": option.ai_act_confirmed_by_id,
                  "ai_act_confirmed_at": option.ai_act_confirmed_at}
    for name, value in {**AI_ACT_CLEARED, "ai_act_duties": [], **values}.items():
        setattr(option, name, value)
    return _saved_with_irritant(session, option, irritant)


def suggest_options(session: Session, *, irritant: Irritant) -> list[RemedyOption]:
    """The starting options of the irritant's theme (those not already there), AI classes proposed."""
    have = {o.label for o in options(session, irritant_id=irritant.id)}
    created = []
    for family, label, reduction, one_off, recurring, use in STARTER_OPTIONS.get(irritant.theme, GENERIC_STARTERS):
        if label in have:
            continue
        if len(have) + len(created) >= MAX_OPTIONS:
            break  # suggestions stop at the cap rather than refuse: the ones already added stay
        values = {"family": family, "label": label, "reduction_pct": reduction, "one_off_cost": one_off,
                  "recurring_cost": recurring}
        if use:
            values.update(ai_act_use=use, ai_act_class=ai_act.classify(use).klass,
                          requests_per_year=int(irritant.occurrences_per_month * 12 * irritant.agents_affected))
        created.append(add_option(session, irritant=irritant, values=values))
    return created


def remove_option(session: Session, *, irritant: Irritant, option: RemedyOption) -> None:
    """Remove an option and recompute the irritant's recommendation."""
    session.delete(option)
    session.flush()
    refresh_derived(session, irritant)
    session.add(irritant)
    session.flush()


def comments(session: Session, *, irritant_id: int) -> list[tuple[Comment, str]]:
    """The irritant's comments with their author's name (their e-mail without one), oldest first."""
    author = sa.func.coalesce(sa.func.nullif(User.full_name, ""), User.email)
    return list(session.exec(select(Comment, author).join(User, User.id == Comment.author_id, isouter=True)
                             .where(Comment.irritant_id == irritant_id).order_by(Comment.created_at, Comment.id)))


def add_comment(session: Session, *, irritant: Irritant, body: str, author_id: int | None) -> Comment:
    """Add a comment to an irritant."""
    comment = Comment(irritant_id=irritant.id, collectivity_id=irritant.collectivity_id, body=body.strip(),
                      author_id=author_id)
    session.add(comment)
    session.flush()
    # Whoever comments follows the conversation from then on; its followers hear of this comment.
    notifications.follow(session, user_id=author_id, target=notice_target(irritant))
    notifications.notify(session, kind="comment", target=notice_target(irritant), actor_id=author_id,
                         followers=True, params={"title": irritant.title, "excerpt": comment.body[:280]})
    return comment
