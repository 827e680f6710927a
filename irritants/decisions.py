"""The steering committee's decisions, as the project team records them, and the decision log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from hub.core import notifications
from hub.core.labels import label
from hub.core.pagination import Page, paginate
from hub.core.query import int_arg, str_arg
from hub.core.refusals import Refused
from irritants import scoring, service
from irritants.models import DECISION_KINDS, Decision, DecisionIrritant, Irritant, IrritantEvent, RemedyOption
from participants.models import Collectivity

# What each kind of decision does to the irritants it covers, when they are where it applies.
STATUS_AFTER = {"ai_pilot": "decided", "frugal_action": "decided", "mutualise": "decided", "drop": "abandoned"}
DECIDABLE = ("qualified", "scored", "decided")
# The families an action decision engages: a decision of another kind chooses no family against the method.
KIND_FAMILIES = {"ai_pilot": scoring.AI_FAMILIES, "frugal_action": scoring.FRUGAL_FAMILIES}


class DecisionRefused(Refused):
    """A decision that cannot be recorded, with a French reason."""


def recommended_kind(family: str | None) -> str:
    """The decision the method's answer suggests: an AI pilot, a frugal action, or deferral to reformulate."""
    if family in scoring.AI_FAMILIES:
        return "ai_pilot"
    return "frugal_action" if family in scoring.FRUGAL_FAMILIES else "defer"


def default_kind(family: str | None) -> str | None:
    """The decision form's starting kind: the method's suggestion, or none chosen when it has answered nothing yet."""
    return None if family is None else recommended_kind(family)


def departs(kind: str, family: str | None) -> bool:
    """Whether an action decision engages a family the method does not recommend (AI on frugal, or the reverse)."""
    engaged = KIND_FAMILIES.get(kind)
    return engaged is not None and family not in engaged


def departure_note(kind: str, family: str | None) -> str | None:
    """The mark a departing decision carries wherever it is shown, naming what the method recommends."""
    if not departs(kind, family):
        return None
    return str(_l("S'écarte de la recommandation : la méthode recommande « %(family)s ».",
                  family=label("family", family or scoring.REFORMULATE)))


def kept_option(kind: str, result: scoring.Recommendation, remedy_options: list[RemedyOption]) -> RemedyOption | None:
    """The option a decision of this kind engages for an irritant, from its assessment; None for defer or drop.

    ``result`` must come from ``service.assess`` on these very options: it assesses them in their order.
    """
    by_assessment = {id(a): option for a, option in zip(result.assessments, remedy_options)}
    chosen = by_assessment.get(id(result.chosen)) if result.chosen is not None else None
    if kind == "mutualise":
        return chosen
    families = KIND_FAMILIES.get(kind)
    if families is None:
        return None
    if chosen is not None and result.family in families:
        return chosen
    # The committee engages this kind against the method: the best unblocked option of the kind, by value after risk.
    best = scoring.best_option(a for a in result.assessments if a.option.family in families and a.blocked is None)
    return by_assessment.get(id(best)) if best is not None else None


def record_decision(session: Session, *, programme_id: int, kind: str, decided_on: date, rationale: str, owner: str,
                    irritants: list[Irritant], parameters_version: int | None, by_user_id: int | None,
                    mutual_group_id: int | None = None, params: dict | None = None) -> Decision:
    """Record a decision on one or several irritants, keep the option it engages for each, and move them on."""
    if kind not in DECISION_KINDS:
        raise DecisionRefused(_l("Type de décision inconnu."), field="kind")
    if not irritants:
        raise DecisionRefused(_l("Une décision porte sur au moins un irritant."))
    if any(i.programme_id != programme_id for i in irritants):
        raise DecisionRefused(_l("Les irritants doivent appartenir au programme de la décision."))
    if params is None:
        _version, params = service.parameters(session, programme_id=programme_id)
    decision = Decision(programme_id=programme_id, kind=kind, decided_on=decided_on, rationale=rationale.strip(),
                        owner=owner.strip(), parameters_version=parameters_version, mutual_group_id=mutual_group_id)
    session.add(decision)
    session.flush()
    for irritant in irritants:
        remedy_options = service.options(session, irritant_id=irritant.id)
        kept = kept_option(kind, service.assess(irritant, remedy_options, params), remedy_options)
        session.add(DecisionIrritant(decision_id=decision.id, irritant_id=irritant.id,
                                     collectivity_id=irritant.collectivity_id,
                                     remedy_option_id=kept.id if kept is not None else None))
        after = STATUS_AFTER.get(kind)
        if after and irritant.status in DECIDABLE and irritant.status != after:
            session.add(IrritantEvent(irritant_id=irritant.id, collectivity_id=irritant.collectivity_id,
                                      from_status=irritant.status, to_status=after, by_user_id=by_user_id,
                                      note=str(_l("Décision du comité de pilotage du %(date)s",
                                                  date=decided_on.strftime("%d/%m/%Y")))))
            irritant.status = after
            session.add(irritant)
        notifications.notify(session, kind="decision", target=service.notice_target(irritant), actor_id=by_user_id,
                             referents=True, followers=True, params={"title": irritant.title, "decision": kind,
                                                                     "rationale": decision.rationale[:500]})
    session.flush()
    return decision


def forget_option(session: Session, *, option_id: int) -> int:
    """Clear the decisions that kept an option about to be deleted; how many.

    SQLite enforces no ON DELETE without its pragma: done here, through the ORM so that the audit log sees each.
    """
    links = session.exec(select(DecisionIrritant).where(DecisionIrritant.remedy_option_id == option_id)).all()
    for link in links:
        link.remedy_option_id = None
        session.add(link)
    session.flush()
    return len(links)


@dataclass(frozen=True)
class DecisionFilters:
    """The decision log's filters."""

    programme_id: int
    kind: str | None = None
    collectivity_id: int | None = None

    @classmethod
    def from_args(cls, programme_id: int, args) -> "DecisionFilters":
        """The filters as the log's query string gives them; the log and its exports read them alike."""
        return cls(programme_id=programme_id, kind=str_arg("kind", args=args) or None,
                   collectivity_id=int_arg("collectivity", args=args))


def _log_statement(filters: DecisionFilters) -> sa.Select:
    statement = (select(Decision, Irritant, Collectivity.name)
                 .join(DecisionIrritant, DecisionIrritant.decision_id == Decision.id)
                 .join(Irritant, Irritant.id == DecisionIrritant.irritant_id)
                 .join(Collectivity, Collectivity.id == Irritant.collectivity_id)
                 .where(Decision.programme_id == filters.programme_id)
                 .order_by(Decision.decided_on.desc(), Decision.id.desc(), Collectivity.name))
    if filters.kind in DECISION_KINDS:
        statement = statement.where(Decision.kind == filters.kind)
    if filters.collectivity_id is not None:
        statement = statement.where(Irritant.collectivity_id == filters.collectivity_id)
    return statement


def decision_page(session: Session, *, filters: DecisionFilters, number: int, size: int,
                  order: list | None = None) -> Page:
    """A page of the log: one row per decision and irritant it covers, latest first (or by ``order``)."""
    statement = _log_statement(filters)
    if order:
        statement = statement.order_by(None).order_by(*order)
    return paginate(session, statement, number, size)


def decision_rows(session: Session, *, filters: DecisionFilters, as_of: date | None = None) -> list:
    """Every row of the log under these filters (decided by ``as_of`` if given), for the exports and the report."""
    statement = _log_statement(filters)
    if as_of is not None:
        statement = statement.where(Decision.decided_on <= as_of)
    return list(session.exec(statement))


def decisions_on(session: Session, *, irritant_id: int) -> list[Decision]:
    """The decisions that cover one irritant, latest first."""
    return list(session.exec(select(Decision).join(DecisionIrritant, DecisionIrritant.decision_id == Decision.id)
                             .where(DecisionIrritant.irritant_id == irritant_id)
                             .order_by(Decision.decided_on.desc())))


@dataclass(frozen=True)
class ShownDecision:
    """A decision as an irritant's page lists it: a departure from the method is said before the rationale."""

    decided_on: date
    kind: str
    owner: str
    rationale: str
    departure: str | None


def shown_decisions(session: Session, *, irritant: Irritant) -> list[ShownDecision]:
    """The decisions that cover one irritant, latest first, each marked when it departs from the recommendation."""
    shown = []
    for decision in decisions_on(session, irritant_id=irritant.id):
        note = departure_note(decision.kind, irritant.recommended_family)
        shown.append(ShownDecision(decision.decided_on, decision.kind, decision.owner,
                                   f"{note} {decision.rationale}" if note else decision.rationale, note))
    return shown
