"""Whether decided actions worked: measures with a baseline, later values measured or self-reported."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from hub.core.refusals import Refused
from irritants import service
from irritants.models import Decision, DecisionIrritant, ImpactMeasure, ImpactValue, Irritant
from participants.models import Collectivity

NATURES = ("measured", "self_reported")


class ImpactRefused(Refused):
    """A measure the rules refuse, with a French reason."""


def add_measure(session: Session, *, decision: Decision, irritant: Irritant, metric: str, unit: str,
                baseline_value: float, baseline_on: date, validated: bool) -> ImpactMeasure:
    """A metric for one irritant a decision covers, with its baseline and the time the scoring expected to save."""
    covered = session.exec(select(DecisionIrritant.id).where(DecisionIrritant.decision_id == decision.id,
                                                             DecisionIrritant.irritant_id == irritant.id)).first()
    if covered is None:
        raise ImpactRefused(_l("Cet irritant n'est pas couvert par cette décision."))
    expected = None
    if irritant.priority_value is not None and irritant.hours_per_year:
        # The scoring's estimate: the share of hours the recommended option was to remove.
        _version, params = service.parameters(session, programme_id=irritant.programme_id)
        result = service.assess(irritant, service.options(session, irritant_id=irritant.id), params)
        if result.chosen is not None:
            expected = round(result.chosen.option.reduction * result.hours, 1)
    measure = ImpactMeasure(decision_id=decision.id, collectivity_id=irritant.collectivity_id, metric=metric.strip(),
                            unit=unit.strip(), baseline_value=baseline_value, baseline_on=baseline_on,
                            estimated_hours_saved=expected, validated=validated)
    session.add(measure)
    session.flush()
    return measure


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
    """A measure, its collectivity, its values in order, and where it stands now."""

    measure: ImpactMeasure
    collectivity: str
    values: list[ImpactValue]

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


def summaries(session: Session, *, programme_id: int) -> tuple[list[MeasureSummary], TimeSaved]:
    """Every measure the session may see with its values, and time saved estimated against realised (3 queries)."""
    rows = session.exec(select(ImpactMeasure, Collectivity.name)
                        .join(Decision, Decision.id == ImpactMeasure.decision_id)
                        .join(Collectivity, Collectivity.id == ImpactMeasure.collectivity_id)
                        .where(Decision.programme_id == programme_id).order_by(ImpactMeasure.id)).all()
    values: dict[int, list[ImpactValue]] = {m.id: [] for m, _name in rows}
    if rows:
        for value in session.exec(select(ImpactValue).where(ImpactValue.measure_id.in_(list(values)))
                                  .order_by(ImpactValue.measured_on, ImpactValue.id)):
            values[value.measure_id].append(value)
    result = [MeasureSummary(m, name, values[m.id]) for m, name in rows]
    latest = [s.latest for s in result if s.latest is not None and s.latest.hours_saved is not None]
    saved = TimeSaved(estimated=sum(s.measure.estimated_hours_saved or 0 for s in result),
                      measured=sum(v.hours_saved for v in latest if v.nature == "measured"),
                      self_reported=sum(v.hours_saved for v in latest if v.nature == "self_reported"))
    return result, saved
