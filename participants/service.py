"""Collectivities and their enrolment: listing, reading, moving a candidacy along."""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from slugify import slugify
from sqlmodel import Session, select

from hub.core import revisions
from hub.core.auth import create_user
from hub.core.invitations import create_invitation, pending_state
from hub.core.models import Invitation, Programme, User
from hub.core.pagination import Page, paginate
from hub.core.refusals import Refused
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


class TransitionRefused(Refused):
    """A status change the workflow does not allow, with a French reason."""


@dataclass(frozen=True)
class CollectivityFilters:
    """The collectivity list's filters; the status needs a programme."""

    programme_id: int | None = None
    kind: str | None = None
    departement_code: str | None = None
    status: str | None = None


def collectivity_page(session: Session, *, filters: CollectivityFilters, number: int, size: int,
                      order: list | None = None) -> Page:
    """Collectivities by name (or by ``order``, a sorted column), with their enrolment in the chosen programme."""
    if filters.programme_id is not None:
        statement = select(Collectivity, Enrolment).join(
            Enrolment, sa.and_(Enrolment.collectivity_id == Collectivity.id,
                               Enrolment.programme_id == filters.programme_id))
        if filters.status in ENROLMENT_TRANSITIONS:
            statement = statement.where(Enrolment.status == filters.status)
    else:
        statement = select(Collectivity, sa.null())
    if filters.kind:
        statement = statement.where(Collectivity.kind == filters.kind)
    if filters.departement_code:
        statement = statement.where(Collectivity.departement_code == filters.departement_code)
    total = None
    if filters.programme_id is not None:
        # A programme's collectivities are its enrolments, and the filters read only what moves selection_revision
        # (status, kind, département): their number is kept while those are unchanged (hub.core.revisions).
        count = sa.select(sa.func.count()).select_from(statement.subquery())
        total = revisions.kept(session, filters.programme_id, "selection_revision",
                               ("collectivity_count", filters.kind, filters.departement_code, filters.status),
                               lambda: session.execute(count).scalar_one())
    return paginate(session, statement.order_by(*(order or (Collectivity.name, Collectivity.id))), number, size,
                    total=total)


def find_duplicate(session: Session, values: dict) -> tuple[Collectivity, str] | None:
    """An existing collectivity with the same SIREN, or the same name in the same département, and why."""
    if values.get("siren"):
        same = session.exec(select(Collectivity).where(Collectivity.siren == values["siren"])).first()
        if same is not None:
            return same, "siren"
    same = session.exec(select(Collectivity).where(
        sa.func.lower(Collectivity.name) == values["name"].lower(),
        Collectivity.departement_code == values["departement_code"])).first()
    return (same, "name") if same is not None else None


def unique_slug(session: Session, name: str, departement_code: str) -> str:
    """The name slugified, made unique with the département (then a number) if needed."""
    for candidate in (slugify(name), slugify(f"{name}-{departement_code}")):
        if session.exec(select(Collectivity.id).where(Collectivity.slug == candidate)).first() is None:
            return candidate
    taken = set(session.exec(select(Collectivity.slug).where(Collectivity.slug.like(f"{slugify(name)}%"))))
    return next(f"{slugify(name)}-{n}" for n in range(2, len(taken) + 3) if f"{slugify(name)}-{n}" not in taken)


def register_collectivity(session: Session, *, values: dict) -> Collectivity:
    """Add a collectivity whose values passed ``rules.check_collectivity`` and are not a duplicate."""
    if find_duplicate(session, values) is not None:
        raise DuplicateCollectivity(values["name"])
    collectivity = Collectivity(**values, slug=unique_slug(session, values["name"], values["departement_code"]))
    session.add(collectivity)
    session.flush()
    return collectivity


class DuplicateCollectivity(ValueError):
    """The collectivity is already registered."""


def current_programme_of(session: Session, collectivity_id: int) -> Programme | None:
    """The programme a collectivity takes part in now: engaged rather than a candidacy, live rather than archived.

    The latest first: a candidacy to next year's programme must not take over this year's board, home or menu.
    """
    return session.exec(select(Programme).join(Enrolment, Enrolment.programme_id == Programme.id)
                        .where(Enrolment.collectivity_id == collectivity_id).order_by(*_current_first())).first()


def with_current_programme(session: Session, collectivity_id: int) -> tuple[Collectivity, Programme | None] | None:
    """The collectivity and the programme it takes part in now (``current_programme_of``'s), in one statement; None
    when the session's scope does not let it be seen (a board asks for both, and each round trip counts)."""
    return session.exec(_with_current_programme(), params={"collectivity_id": collectivity_id}).first()


@cache  # built once and run with the collectivity's id: building it was a third of running it
def _with_current_programme():
    current = (select(Programme.id).join(Enrolment, Enrolment.programme_id == Programme.id)
               .where(Enrolment.collectivity_id == Collectivity.id).order_by(*_current_first()).limit(1)
               .correlate(Collectivity).scalar_subquery())
    return (select(Collectivity, Programme).outerjoin(Programme, Programme.id == current)
            .where(Collectivity.id == sa.bindparam("collectivity_id")))


def _current_first() -> tuple:
    engaged = sa.case((Enrolment.status.in_(("enrolled", "completed")), 0), else_=1)
    return Programme.archived_at.is_not(None), engaged, Programme.launch_date.desc()


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
        raise TransitionRefused(_l("Indiquez la raison de ce refus ou de ce retrait."), field="reason")
    event = EnrolmentEvent(enrolment_id=enrolment.id, collectivity_id=enrolment.collectivity_id,
                           from_status=enrolment.status, to_status=to_status, reason=reason.strip(),
                           by_user_id=by_user_id)
    enrolment.status = to_status
    session.add_all([enrolment, event])
    session.flush()
    return event


def add_candidacy(session: Session, *, programme_id: int, collectivity_id: int, motivation: str, applied_on,
                  by_user_id: int | None) -> Enrolment:
    """Record a collectivity's candidacy to a programme, dated, with its first event."""
    existing = session.exec(select(Enrolment).where(Enrolment.programme_id == programme_id,
                                                    Enrolment.collectivity_id == collectivity_id)).first()
    if existing is not None:
        raise TransitionRefused(_l("Cette collectivité a déjà candidaté à ce programme."), field="collectivity_id")
    enrolment = Enrolment(programme_id=programme_id, collectivity_id=collectivity_id, motivation=motivation.strip(),
                          applied_on=applied_on, status="candidacy")
    session.add(enrolment)
    session.flush()
    session.add(EnrolmentEvent(enrolment_id=enrolment.id, collectivity_id=collectivity_id, to_status="candidacy",
                               by_user_id=by_user_id))
    session.flush()
    return enrolment


@dataclass(frozen=True)
class Coverage:
    """How representative a programme's cohort is."""

    by_departement: dict[str, int]
    missing_departements: list[str]
    by_kind: dict[str, int]
    population: int
    collectivities: int


COHORT_STATUSES = ("selected", "enrolled", "completed")


def coverage(session: Session, *, programme) -> Coverage:
    """Départements represented and missing, kinds, population, over the selected and enrolled."""
    rows = session.exec(select(Collectivity.departement_code, Collectivity.kind, Collectivity.population)
                        .join(Enrolment, Enrolment.collectivity_id == Collectivity.id)
                        .where(Enrolment.programme_id == programme.id, Enrolment.status.in_(COHORT_STATUSES))).all()
    by_departement: dict[str, int] = {}
    by_kind: dict[str, int] = {}
    for departement, kind, _population in rows:
        by_departement[departement] = by_departement.get(departement, 0) + 1
        by_kind[kind] = by_kind.get(kind, 0) + 1
    return Coverage(by_departement=dict(sorted(by_departement.items())),
                    missing_departements=[d for d in programme.region_departements if d not in by_departement],
                    by_kind=by_kind, population=sum(p or 0 for _d, _k, p in rows), collectivities=len(rows))


def candidacy_order(session: Session, *, programme_id: int) -> tuple[int, ...]:
    """The ids of the programme's enrolments in the selection grid's order: by status, then by the collectivity's
    name as the database sorts names."""
    return tuple(session.exec(select(Enrolment.id).join(Collectivity, Collectivity.id == Enrolment.collectivity_id)
                              .where(Enrolment.programme_id == programme_id).order_by(*_GRID_ORDER)))


def candidacy_page_in(session: Session, *, order: tuple[int, ...], number: int, size: int) -> Page:
    """A page of the grid: its enrolments with their collectivity, from the order read before (``candidacy_order``),
    by id; sorting a national programme's 2,000 candidacies for each page took 1.5 ms (EXPLAIN, PostgreSQL)."""
    number = min(number, max(1, math.ceil(len(order) / size)))
    ids = order[(number - 1) * size:number * size]
    rows = session.exec(select(Enrolment, Collectivity).join(Collectivity, Collectivity.id == Enrolment.collectivity_id)
                        .where(Enrolment.id.in_(ids))).all() if ids else []
    found = {enrolment.id: (enrolment, collectivity) for enrolment, collectivity in rows}
    return Page(items=[found[i] for i in ids if i in found], number=number, size=size, total=len(order))


_GRID_ORDER = (Enrolment.status, Collectivity.name, Enrolment.id)


class PoolRow(NamedTuple):
    """One candidacy as the selection proposal weighs it."""

    id: int
    status: str
    motivation_score: int | None
    name: str
    departement_code: str
    kind: str
    population: int | None


def candidacy_pool(session: Session, *, programme_id: int) -> tuple[PoolRow, ...]:
    """Every enrolment of the programme as plain rows: what the selection proposal weighs."""
    return tuple(map(PoolRow._make, session.execute(
        sa.select(Enrolment.id, Enrolment.status, Enrolment.motivation_score, Collectivity.name,
                  Collectivity.departement_code, Collectivity.kind, Collectivity.population)
        .join(Collectivity, Collectivity.id == Enrolment.collectivity_id)
        .where(Enrolment.programme_id == programme_id))))


def invite_referent(session: Session, *, collectivity: Collectivity, email: str, full_name: str,
                    by_user_id: int | None) -> tuple[User, str]:
    """An account tied to this enrolled collectivity, and a one-time link for its password."""
    enrolled = session.exec(select(Enrolment.id).where(Enrolment.collectivity_id == collectivity.id,
                                                       Enrolment.status == "enrolled")).first()
    if enrolled is None:
        raise TransitionRefused(_l("Seule une collectivité engagée dans un programme reçoit des référents."))
    email = email.strip().lower()
    if session.exec(select(User.id).where(User.email == email)).first() is not None:
        raise TransitionRefused(_l("Un compte existe déjà pour cette adresse."), field="email")
    # No one knows this password: the account opens only through the invitation link.
    user = create_user(session, email=email, password=secrets.token_urlsafe(32), role="participant",
                       full_name=full_name.strip(), collectivity_id=collectivity.id)
    return user, create_invitation(session, user=user, by_user_id=by_user_id)


def referents(session: Session, *, collectivity_id: int) -> list[tuple[User, str]]:
    """The collectivity's référents and whether each is active, invited or with an expired link."""
    users = list(session.exec(select(User).where(User.scope_collectivity_id == collectivity_id,
                                                 User.role == "participant").order_by(User.email)))
    links: dict[int, list[Invitation]] = {}
    if users:
        for invitation in session.exec(select(Invitation).where(Invitation.user_id.in_([u.id for u in users]))):
            links.setdefault(invitation.user_id, []).append(invitation)
    return [(user, pending_state(links.get(user.id, []))) for user in users]
