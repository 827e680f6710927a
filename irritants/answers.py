"""The method's answers kept with the irritants: the parameters in force, the method's inputs, the stored answer.

Boards sort by stored columns (hours, priority, recommended family); this module is the one place that
computes them from an irritant and its options, for one irritant as it is saved and for a whole programme
when its parameters change (in the same transaction, so that no stored answer outlives its inputs).
"""

from __future__ import annotations

import json
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from hub.core import revisions
from hub.core.models import Programme
from irritants import ai_act, robustness, scoring
from irritants.models import UNSCORED_PRIORITY, Irritant, RemedyOption, ScoringParameters
from irritants.present_value import default_horizon_months


def options(session: Session, *, irritant_id: int) -> list[RemedyOption]:
    """The irritant's remedy options."""
    return list(session.exec(select(RemedyOption).where(RemedyOption.irritant_id == irritant_id)
                             .order_by(RemedyOption.id)))


def parameters(session: Session, *, programme_id: int, on: date | None = None) -> tuple[int, dict]:
    """The programme's current scoring parameters and their version (0 means the defaults).

    With them, DESIGN §3's default horizon (used while the programme sets none): the programme's months
    remaining ``on`` that day (today unless a report's cut-off says otherwise) plus the amortisation period.
    """
    def read() -> tuple[int, dict]:
        latest = session.exec(select(ScoringParameters.version, ScoringParameters.values)
                              .where(ScoringParameters.programme_id == programme_id)
                              .order_by(ScoringParameters.version.desc())).first()
        return (0, dict(scoring.DEFAULT_PARAMETERS)) if latest is None else (
            latest.version, {**scoring.DEFAULT_PARAMETERS, **latest.values})
    version, kept_values = revisions.kept(session, programme_id, "settings_revision", "parameters", read)
    values = dict(kept_values)  # the caller may change its copy; the kept one stays as read
    # Not a parameter (never saved): the default horizon as of that day, used while "horizon_months" is 0.
    programme = session.get(Programme, programme_id)
    values["horizon_default_months"] = default_horizon_months(
        remaining_programme_months=remaining_months(programme, on or date.today()) if programme else 0,
        amortisation_years=values["amortisation_years"])
    return version, values


def remaining_months(programme: Programme, on: date) -> int:
    """Whole months from ``on`` to the programme's end (0 once it has ended)."""
    start = programme.launch_date
    elapsed = (on.year - start.year) * 12 + on.month - start.month
    return max(programme.duration_months - elapsed, 0)


def method_inputs(irritant: Irritant, remedy_options: list[RemedyOption]) -> tuple:
    """The irritant and its options as the pure method takes them."""
    subject = scoring.IrritantInput(
        occurrences_per_month=irritant.occurrences_per_month, minutes_per_occurrence=irritant.minutes_per_occurrence,
        agents_affected=irritant.agents_affected, evidence_level=irritant.evidence_level,
        actionability=irritant.actionability, impact_citizens=irritant.impact_citizens,
        compliance_risk=irritant.compliance_risk, mental_load=irritant.mental_load,
        volume_unknown=bool(irritant.volume_unknown))
    options = [scoring.OptionInput(
        family=o.family, label=o.label, reduction=o.reduction_pct / 100, one_off_cost=o.one_off_cost,
        recurring_cost=o.recurring_cost, months_to_value=o.months_to_value, requests_per_year=o.requests_per_year,
        personal_data=o.personal_data,
        human_review=o.human_review, citizen_facing=o.citizen_facing, sovereign_tool=o.sovereign_tool,
        # The person's confirmed class wins; an AI option with no class at all is "à classer", which blocks it.
        ai_act_class=ai_act.effective_class(o.ai_act_class, o.ai_act_confirmed_class) or (
        ai_act.TO_CLASSIFY if o.family in scoring.AI_FAMILIES else None), ai_act_duties=tuple(o.ai_act_duties or ()),
        footprint_factor=o.footprint_factor or "", energy_wh_per_request=o.energy_wh_per_request,
        co2e_g_per_request=o.co2e_g_per_request, footprint_source=o.footprint_source, shareable=bool(o.shareable))
        for o in remedy_options]
    return subject, options


def assess(irritant: Irritant, remedy_options: list[RemedyOption], params: dict) -> scoring.Recommendation:
    """The irritant's hours, cost, qualification and recommendation under these parameters."""
    subject, options = method_inputs(irritant, remedy_options)
    return scoring.recommend(subject, options, params)


_CARD_NOTES: dict = {}
CARD_NOTES_KEPT = 4096


def card_notes(cards, params: dict) -> dict:
    """The one sentence a board card shows: a volume to estimate, or what keeps an irritant from being qualified."""
    notes = {}
    parameters = None
    for irritant in cards:
        if irritant.volume_unknown:
            notes[irritant.id] = scoring.ESTIMATE_REASON
        elif irritant.status in ("proposed", "identified"):
            # The note is a pure function of these figures and the parameters: worked out once per worker for them
            # (a board's 70 cards qualified on every view were a tenth of the page), any change another key.
            parameters = parameters or json.dumps(params, sort_keys=True, default=str)
            key = (irritant.evidence_level, irritant.hours_per_year, irritant.impact_citizens,
                   irritant.compliance_risk, irritant.mental_load, irritant.actionability, parameters)
            if key not in _CARD_NOTES:
                if len(_CARD_NOTES) >= CARD_NOTES_KEPT:
                    _CARD_NOTES.clear()  # a bound, not an LRU
                _CARD_NOTES[key] = _first_failing_test(irritant, params)
            if _CARD_NOTES[key] is not None:
                notes[irritant.id] = _CARD_NOTES[key]
    return notes


def _first_failing_test(irritant, params: dict):
    qualification = scoring.qualify(
        evidence_level=irritant.evidence_level, hours=irritant.hours_per_year,
        impact_citizens=irritant.impact_citizens, compliance_risk=irritant.compliance_risk,
        mental_load=irritant.mental_load, actionability=irritant.actionability, parameters=params)
    failing = [reason for holds, reason in zip(
        (qualification.reel, qualification.majeur, qualification.actionnable), qualification.reasons) if not holds]
    return failing[0] if failing else None


def stored_answer(irritant, remedy_options, params: dict) -> dict:
    """The stored columns derived from an irritant and its options: hours, priority and recommended family."""
    result = assess(irritant, remedy_options, params)
    # The priority is the recommended option's value (DESIGN §3), None for "reformulate", never the stake.
    value = result.value if remedy_options else None
    return {"hours_per_year": round(result.hours, 2), "priority_value": value,
            "priority_sort": UNSCORED_PRIORITY if value is None else value,
            "recommended_family": result.family if remedy_options else None}


def refresh_derived(session: Session, irritant: Irritant) -> None:
    """Recompute the stored hours and priority that boards sort by."""
    _version, params = parameters(session, programme_id=irritant.programme_id)
    remedy_options = options(session, irritant_id=irritant.id) if irritant.id else []
    for name, value in stored_answer(irritant, remedy_options, params).items():
        setattr(irritant, name, value)


_METHOD_COLUMNS = (Irritant.id, Irritant.version, *(getattr(Irritant, name) for name in (
    "occurrences_per_month", "minutes_per_occurrence", "agents_affected", "evidence_level", "actionability",
    "impact_citizens", "compliance_risk", "mental_load", "volume_unknown", "hours_per_year", "priority_value",
    "priority_sort", "recommended_family")))
_OPTION_COLUMNS = tuple(getattr(RemedyOption, name) for name in (
    "irritant_id", "family", "label", "reduction_pct", "one_off_cost", "recurring_cost", "months_to_value",
    "requests_per_year", "shareable", "footprint_factor", "co2e_g_per_request",
    "personal_data", "human_review", "citizen_facing", "sovereign_tool", "ai_act_class", "ai_act_confirmed_class",
    "ai_act_duties", "energy_wh_per_request", "footprint_source"))


def recompute_programme(session: Session, *, programme_id: int) -> int:
    """Recompute every stored answer of a programme under its current parameters; how many changed.

    Two reads (irritants, options: plain rows, no ORM objects), the method in Python, then one
    executemany UPDATE of the rows that changed: a constant number of queries at 100,000 irritants.
    """
    _version, params = parameters(session, programme_id=programme_id)
    # Locked until the commit (PostgreSQL): a save read before it cannot slip in between read and write.
    rows = session.execute(sa.select(*_METHOD_COLUMNS).where(Irritant.programme_id == programme_id)
                           .with_for_update()).all()
    by_irritant: dict[int, list] = {}
    for option in session.execute(sa.select(*_OPTION_COLUMNS).join(Irritant, Irritant.id == RemedyOption.irritant_id)
                                  .where(Irritant.programme_id == programme_id).order_by(RemedyOption.id)):
        by_irritant.setdefault(option.irritant_id, []).append(option)
    changes = []
    for row in rows:
        answer = stored_answer(row, by_irritant.get(row.id, []), params)
        if any(getattr(row, name) != value for name, value in answer.items()):
            changes.append({"_id": row.id, "_version": row.version, **answer})
    if changes:
        # Core, not the ORM's bulk UPDATE by primary key: with a version column the ORM sends one
        # UPDATE per row (to check each), 100,000 statements here. The version is still checked and
        # bumped, so a form opened before the change is refused as stale rather than storing an
        # answer computed under the old parameters. Like any bulk write this bypasses the per-row
        # audit listener: the audited change is the new parameters version, whence every answer.
        table = Irritant.__table__
        session.connection().execute(
            table.update().where(table.c.id == sa.bindparam("_id"), table.c.version == sa.bindparam("_version"))
            .values(version=table.c.version + 1), changes)
        for loaded in [obj for obj in session.identity_map.values() if isinstance(obj, Irritant)]:
            session.expire(loaded)  # objects already loaded would otherwise keep the old answer and version
    return len(changes)


def save_parameters(session: Session, *, programme_id: int, values: dict, note: str,
                    by_user_id: int | None) -> ScoringParameters:
    """A new version of the programme's parameters; older versions stay, as recommendations cite them."""
    version, _current = parameters(session, programme_id=programme_id)
    saved = ScoringParameters(programme_id=programme_id, version=version + 1, values=values, note=note,
                              created_by_id=by_user_id)
    session.add(saved)
    session.flush()
    # In the same transaction: stored priorities and families never outlive the parameters they came from.
    recompute_programme(session, programme_id=programme_id)
    return saved


def parameter_history(session: Session, *, programme_id: int) -> list[ScoringParameters]:
    """Every version of the programme's parameters, newest first."""
    return list(session.exec(select(ScoringParameters).where(ScoringParameters.programme_id == programme_id)
                             .order_by(ScoringParameters.version.desc())))


_VERDICTS: dict = {}
VERDICTS_KEPT = 256


def robustness_of(subject: scoring.IrritantInput, options: list, params: dict) -> robustness.Robustness:
    """The robustness verdict of these inputs, drawn once per worker for the same inputs (pure, seeded)."""
    # The seeded Monte Carlo (~90 ms an irritant; the report draws eight) is a pure function of the method's
    # inputs (frozen dataclasses, and the parameters as JSON): an irritant viewed again with the same figures,
    # options and parameters is not drawn again, and any change is another key, never a stale verdict.
    key = (subject, tuple(options), json.dumps(params, sort_keys=True, default=str))
    verdict = _VERDICTS.get(key)
    if verdict is None:
        if len(_VERDICTS) >= VERDICTS_KEPT:
            _VERDICTS.clear()  # a bound, not an LRU: a worker sees a few hundred irritants a day
        verdict = _VERDICTS[key] = robustness.robustness(subject, options, params)
    return verdict
