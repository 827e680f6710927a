"""The steering committee's decisions, as the project team records them, and the decision log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from hub.core.pagination import Page, paginate
from hub.core.refusals import Refused
from irritants.models import DECISION_KINDS, Decision, DecisionIrritant, Irritant, IrritantEvent
from participants.models import Collectivity

# What each kind of decision does to the irritants it covers, when they are where it applies.
STATUS_AFTER = {"ai_pilot": "decided", "frugal_action": "decided", "mutualise": "decided", "drop": "abandoned"}
DECIDABLE = ("qualified", "scored", "decided")


class DecisionRefused(Refused):
    """A decision that cannot be recorded, with a French reason."""


def record_decision(session: Session, *, programme_id: int, kind: str, decided_on: date, rationale: str, owner: str,
                    irritants: list[Irritant], parameters_version: int | None, by_user_id: int | None,
                    mutual_group_id: int | None = None) -> Decision:
    """Record a decision on one or several irritants, and move them to decided (or abandoned)."""
    if kind not in DECISION_KINDS:
        raise DecisionRefused(_l("Type de décision inconnu."), field="kind")
    if not irritants:
        raise DecisionRefused(_l("Une décision porte sur au moins un irritant."))
    if any(i.programme_id != programme_id for i in irritants):
        raise DecisionRefused(_l("Les irritants doivent appartenir au programme de la décision."))
    decision = Decision(programme_id=programme_id, kind=kind, decided_on=decided_on, rationale=rationale.strip(),
                        owner=owner.strip(), parameters_version=parameters_version, mutual_group_id=mutual_group_id)
    session.add(decision)
    session.flush()
    for irritant in irritants:
        session.add(DecisionIrritant(decision_id=decision.id, irritant_id=irritant.id,
                                     collectivity_id=irritant.collectivity_id))
        after = STATUS_AFTER.get(kind)
        if after and irritant.status in DECIDABLE and irritant.status != after:
            session.add(IrritantEvent(irritant_id=irritant.id, collectivity_id=irritant.collectivity_id,
                                      from_status=irritant.status, to_status=after, by_user_id=by_user_id,
                                      note=str(_l("Décision du comité de pilotage du %(date)s",
                                                  date=decided_on.strftime("%d/%m/%Y")))))
            irritant.status = after
            session.add(irritant)
    session.flush()
    return decision


@dataclass(frozen=True)
class DecisionFilters:
    """The decision log's filters."""

    programme_id: int
    kind: str | None = None
    collectivity_id: int | None = None

    @classmethod
    def from_args(cls, programme_id: int, args) -> "DecisionFilters":
        """The filters as the log's query string gives them; the log and its exports read them alike."""
        collectivity = args.get("collectivity") or ""
        return cls(programme_id=programme_id, kind=args.get("kind") or None,
                   collectivity_id=int(collectivity) if collectivity.isdigit() else None)


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


def decision_page(session: Session, *, filters: DecisionFilters, number: int, size: int) -> Page:
    """A page of the log: one row per decision and irritant it covers, latest first."""
    return paginate(session, _log_statement(filters), number, size)


def decision_rows(session: Session, *, filters: DecisionFilters) -> list:
    """Every row of the log under these filters, for the CSV export."""
    return list(session.exec(_log_statement(filters)))


def decisions_on(session: Session, *, irritant_id: int) -> list[Decision]:
    """The decisions that cover one irritant, latest first."""
    return list(session.exec(select(Decision).join(DecisionIrritant, DecisionIrritant.decision_id == Decision.id)
                             .where(DecisionIrritant.irritant_id == irritant_id)
                             .order_by(Decision.decided_on.desc())))
