"""Whether decided actions worked: measures with a baseline, later values measured or self-reported."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from hub.core.refusals import Refused
from irritants.models import Decision, DecisionIrritant, ImpactMeasure, ImpactValue, Irritant, RemedyOption
from participants.models import Collectivity

NATURES = ("measured", "self_reported")


class ImpactRefused(Refused):
    """A measure the rules refuse, with a French reason."""


def add_measure(session: Session, *, decision: Decision, irritant: Irritant, metric: str, unit: str,
                baseline_value: float, baseline_on: date, validated: bool) -> ImpactMeasure:
    """A metric for one irritant a decision covers, with its baseline and the time the decided option should save."""
    link = session.exec(select(DecisionIrritant).where(DecisionIrritant.decision_id == decision.id,
                                                       DecisionIrritant.irritant_id == irritant.id)).first()
    if link is None:
        raise ImpactRefused(_l("Cet irritant n'est pas couvert par cette décision."))
    option = session.get(RemedyOption, link.remedy_option_id) if link.remedy_option_id is not None else None
    measure = ImpactMeasure(decision_id=decision.id, irritant_id=irritant.id, collectivity_id=irritant.collectivity_id,
                            metric=metric.strip(), unit=unit.strip(), baseline_value=baseline_value,
                            baseline_on=baseline_on, estimated_hours_saved=expected_hours(option, irritant),
                            validated=validated)
    session.add(measure)
    session.flush()
    return measure


def expected_hours(option: RemedyOption | None, irritant: Irritant) -> float | None:
    """Hours a year the decided option should save: its reduction × the irritant's hours, to 0.1; None without one.

    From the option the committee kept, not today's recommendation: the estimate a decision is judged against
    does not move when options or parameters change afterwards.
    """
    if option is None or not irritant.hours_per_year:
        return None
    return round(option.reduction_pct / 100 * irritant.hours_per_year, 1)


def add_value(session: Session, *, measure: ImpactMeasure, value: float, measured_on: date, nature: str,
              hours_saved: float | None) -> ImpactValue:
    """A later value of a measure, marked measured or self-reported."""
    if nature not in NATURES:
        raise ImpactRefused(_l("Indiquez si la valeur est mesurée ou déclarée."))
    if measured_on < measure.baseline_on:
        raise ImpactRefused(_l("Une valeur de suivi ne peut pas précéder la valeur de départ."), field="measured_on")
    row = ImpactValue(measure_id=measure.id, collectivity_id=measure.collectivity_id, value=value,
                      measured_on=measured_on, nature=nature, hours_saved=hours_saved)
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class MeasureSummary:
    """A measure, its collectivity, its values in order, where it stands now, and the option decided."""

    measure: ImpactMeasure
    collectivity: str
    values: list[ImpactValue]
    option_label: str | None = None

    @property
    def latest(self) -> ImpactValue | None:
        """The most recent value."""
        return self.values[-1] if self.values else None


@dataclass(frozen=True)
class TimeSaved:
    """Hours saved a year: what the scoring estimated, and what was realised, by nature of the figure."""

    estimated: float
    measured: float
    self_reported: float


def estimated_total(measures: list[ImpactMeasure]) -> float:
    """The estimate summed once per irritant, however many measures follow it (the latest measure's estimate).

    A measure from before measures named their irritant (``irritant_id`` empty) counts on its own.
    """
    by_irritant: dict[tuple, float] = {}
    for measure in sorted(measures, key=lambda m: m.id):
        if measure.estimated_hours_saved is not None:
            key = ("irritant", measure.irritant_id) if measure.irritant_id is not None else ("measure", measure.id)
            by_irritant[key] = measure.estimated_hours_saved
    return round(sum(by_irritant.values()), 1)


def summaries(session: Session, *, programme_id: int,
              as_of: date | None = None) -> tuple[list[MeasureSummary], TimeSaved]:
    """Every measure the session may see with its values (up to ``as_of`` if given), and time saved (2 queries)."""
    on_date = []
    if as_of is not None:
        # A measure exists from its baseline, of a decision already taken; only the values taken by then count.
        on_date = [ImpactMeasure.baseline_on <= as_of, Decision.decided_on <= as_of]
    rows = session.exec(select(ImpactMeasure, Collectivity.name, RemedyOption.label)
                        .join(Decision, Decision.id == ImpactMeasure.decision_id)
                        .join(Collectivity, Collectivity.id == ImpactMeasure.collectivity_id)
                        .outerjoin(DecisionIrritant, sa.and_(DecisionIrritant.decision_id == ImpactMeasure.decision_id,
                                                             DecisionIrritant.irritant_id == ImpactMeasure.irritant_id))
                        .outerjoin(RemedyOption, RemedyOption.id == DecisionIrritant.remedy_option_id)
                        .where(Decision.programme_id == programme_id, *on_date).order_by(ImpactMeasure.id)).all()
    values: dict[int, list[ImpactValue]] = {m.id: [] for m, _name, _label in rows}
    if rows:
        taken = [ImpactValue.measured_on <= as_of] if as_of is not None else []
        for value in session.exec(select(ImpactValue).where(ImpactValue.measure_id.in_(list(values)), *taken)
                                  .order_by(ImpactValue.measured_on, ImpactValue.id)):
            values[value.measure_id].append(value)
    result = [MeasureSummary(m, name, values[m.id], option_label) for m, name, option_label in rows]
    latest = [s.latest for s in result if s.latest is not None and s.latest.hours_saved is not None]
    saved = TimeSaved(estimated=estimated_total([s.measure for s in result]),
                      measured=sum(v.hours_saved for v in latest if v.nature == "measured"),
                      self_reported=sum(v.hours_saved for v in latest if v.nature == "self_reported"))
    return result, saved
