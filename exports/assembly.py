"""The programme report's data (DESIGN §4): one assembly of plain, JSON-ready values drawn from the records.

The HTML view, the PDF and a published version's snapshot all read this one dictionary, so a
published version can be shown again, years later, without touching the records.
"""

from __future__ import annotations

import base64
import calendar
from dataclasses import asdict
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from exports import cutoff
from exports.annexes import collectivity_annexes
from exports.summary import programme_summary
from hub.core import programmes
from hub.core.i18n import say
from hub.core.models import Milestone, Programme
from irritants import answers, impact, mutual, robustness, scoring
from irritants import decisions as decision_service
from irritants.method_parameters import RISKS
from irritants.models import QUALIFIED_STATUSES, Irritant, RemedyOption, priority_order
from participants import surveys, usage
from participants.models import Collectivity, Enrolment, UsageMonth
from workshops import hypotheses
from workshops.models import Workshop

TOP_IRRITANTS = 8
HELD = ("held", "published")
NEXT_MILESTONES = 4
# Only bitmaps the upload page itself wrote reach the cover (exports/cover_views.py re-encodes to PNG).
LOGO_TYPES = ("image/png", "image/jpeg")


def assemble_report(session: Session, programme: Programme, *, as_of: date | None = None,
                    annexes: bool = True) -> dict:
    """Everything the report prints, section by section, as JSON-ready values, on ``as_of`` (None: live records)."""
    # The horizon's default counts the programme's months remaining on the report's date, not on the day it renders.
    parameters_version, params = answers.parameters(session, programme_id=programme.id, on=as_of)
    participants = _participants(session, programme)
    data = {
        "programme": programme_header(programme),
        "as_of": (as_of or date.today()).isoformat(),
        "parameters": {"version": parameters_version, "values": params, "robustness": _robustness_settings(params),
                       "risks": _risk_settings(params), "horizon_months": scoring.horizon_months(params)},
        "summary": asdict(programme_summary(session, programme.id, as_of=as_of)),
        **participants,
        "workshops": _workshops(session, programme, as_of),
        **_irritants(session, programme, params, as_of),
        "recommendations": _recommendations(session, programme, params, as_of),
        "groups": _groups(session, programme, params, as_of),
        "decisions": _decisions(session, programme, as_of),
        "usage": _usage(session, programme, as_of),
        "next_milestones": _next_milestones(session, programme, as_of),
    }
    data["next_steps"] = next_steps(data)
    data["annexes"] = collectivity_annexes(session, programme, as_of=as_of) if annexes else []
    return data


def _robustness_settings(params: dict) -> dict:
    """What the method annex says of the robustness analysis: its draws, its ranges' widths and its bar."""
    # Flat values: a published version keeps its data as JSON, where the widths' integer keys would not survive.
    settings = {**robustness.UNCERTAINTY_DEFAULTS, **params}
    widths = settings["uncertainty_by_evidence"]
    return {"draws": settings["draws"], "share": settings["robust_share"], "weak": widths[min(widths)],
            "strong": widths[max(widths)]}


def _risk_settings(params: dict) -> list[dict]:
    """Each risk factor of the method as the annex prints it: its name, the share of value it removes, and why."""
    return [{"name": say(name), "removes": round(1 - float(params.get(key, default)), 3), "why": say(why)}
            for key, (default, name, why) in RISKS.items()]


def _over_time(answer) -> dict:
    """The recommended option's value over the horizon: present value, payback month, time freed (not cash)."""
    if answer.chosen is None or answer.chosen.over_time is None:
        return {}
    over_time = answer.chosen.over_time
    return {"present_value": round(over_time.net_present_value), "payback_month": over_time.payback_month,
            "hours_freed": round(over_time.hours_freed_per_year), "horizon_months": over_time.horizon_months}


def _worded(reason) -> dict:
    """A reason as a published version keeps it: its sentence, and the figures behind it."""
    return {"text": say(reason), "detail": say(reason.detail) if getattr(reason, "detail", None) else ""}


def logo_data_uri(programme: Programme) -> str | None:
    """The programme's logo as a data URI an <img> shows, or None without one."""
    if not programme.agency_logo or programme.agency_logo_type not in LOGO_TYPES:
        return None
    return f"data:{programme.agency_logo_type};base64," + base64.b64encode(programme.agency_logo).decode("ascii")


def months_later(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter): a programme's planned end."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def programme_header(programme: Programme) -> dict:
    """The programme as the report's cover and running headers name it."""
    return {
        "slug": programme.slug, "name": programme.name, "agency": programme.agency,
        "region_name": programme.region_name, "region_departements": list(programme.region_departements),
        "launch_date": programme.launch_date.isoformat(), "launch_place": programme.launch_place,
        "duration_months": programme.duration_months, "is_demo": programme.is_demo,
        # In the data, not read at rendering: a published version's snapshot keeps the logo it was published with.
        "logo": logo_data_uri(programme),
    }


def _participants(session: Session, programme: Programme) -> dict:
    rows = session.exec(
        select(Collectivity.name, Collectivity.kind, Collectivity.epci_subkind, Collectivity.departement_code,
               Collectivity.population)
        .join(Enrolment, Enrolment.collectivity_id == Collectivity.id)
        .where(Enrolment.programme_id == programme.id, Enrolment.status.in_(("enrolled", "completed")))
        .order_by(Collectivity.departement_code, Collectivity.name)).all()
    by_departement: dict[str, int] = {}
    by_kind: dict[str, int] = {}
    for row in rows:
        by_departement[row.departement_code] = by_departement.get(row.departement_code, 0) + 1
        by_kind[row.kind] = by_kind.get(row.kind, 0) + 1
    return {
        "participants": [{"name": r.name, "kind": r.kind, "epci_subkind": r.epci_subkind,
                          "departement_code": r.departement_code, "population": r.population} for r in rows],
        "by_departement": dict(sorted(by_departement.items())),
        "missing_departements": [d for d in programme.region_departements if d not in by_departement],
        "by_kind": dict(sorted(by_kind.items())),
    }


def _workshops(session: Session, programme: Programme, as_of: date | None) -> dict:
    rows = session.exec(select(Workshop.held_on, Workshop.status, Workshop.services, Workshop.agents_met,
                               Collectivity.name)
                        .join(Collectivity, Collectivity.id == Workshop.collectivity_id)
                        .where(Workshop.programme_id == programme.id, cutoff.workshop_counts(as_of))
                        .order_by(Workshop.held_on, Collectivity.name)).all()
    services: dict[str, int] = {}
    by_month: dict[str, int] = {}
    for row in (r for r in rows if r.status in HELD):
        for service in row.services:
            services[service] = services.get(service, 0) + 1
        key = row.held_on.strftime("%Y-%m")
        by_month[key] = by_month.get(key, 0) + 1
    return {
        "calendar": [{"held_on": r.held_on.isoformat(), "status": r.status, "collectivity": r.name,
                      "agents_met": r.agents_met, "services": list(r.services)} for r in rows],
        "held_by_month": dict(sorted(by_month.items())),
        "services": sorted(({"service": name, "workshops": n} for name, n in services.items()),
                           key=lambda row: (-row["workshops"], row["service"])),
        "hypotheses": [{"statement": s.hypothesis.statement, "validated": s.validated, "invalidated": s.invalidated,
                        "unclear": s.unclear, "tested": s.tested, "validated_share": s.validated_share}
                       for s in hypotheses.statistics(session, programme_id=programme.id, as_of=as_of)],
    }


def _irritants(session: Session, programme: Programme, params: dict, as_of: date | None) -> dict:
    themes = programmes.themes(session, programme.id)
    # Each irritant counted on the date with its status then; its qualification inputs are today's (not historised).
    on = cutoff.irritants_on(programme.id, as_of).c
    recorded = on.status != "proposed"
    by_theme = session.exec(
        select(on.theme, sa.func.count(on.id), sa.func.coalesce(sa.func.sum(on.hours_per_year), 0))
        .where(recorded).group_by(on.theme)).all()
    by_service = session.exec(
        select(on.service, sa.func.count(on.id), sa.func.coalesce(sa.func.sum(on.hours_per_year), 0))
        .where(recorded).group_by(on.service)).all()
    real = on.evidence_level >= params["min_evidence_level"]
    major = sa.or_(on.hours_per_year >= params["major_threshold_hours"], on.impact_citizens,
                   on.compliance_risk, on.mental_load)
    actionable = on.actionability >= params["min_actionability"]

    def count_where(*conditions):
        return sa.func.count(sa.case((sa.and_(*conditions), 1)))

    identified, real_n, major_n, actionable_n, qualified = session.exec(
        select(sa.func.count(on.id), count_where(real), count_where(real, major),
               count_where(real, major, actionable), count_where(on.status.in_(QUALIFIED_STATUSES)))
        .where(recorded)).one()

    def rows(grouped, labels=None):
        return sorted(({"key": key or "", "label": (labels or {}).get(key, key) or "—", "count": count,
                        "hours": round(float(hours))} for key, count, hours in grouped),
                      key=lambda row: (-row["count"], row["label"]))

    return {
        "irritants_by_theme": rows(by_theme, themes),
        "irritants_by_service": rows(by_service),
        "funnel": [{"step": step, "count": n} for step, n in (
            ("identified", identified), ("real", real_n), ("major", major_n), ("actionable", actionable_n),
            ("qualified", qualified))],
    }


def _recommendations(session: Session, programme: Programme, params: dict, as_of: date | None) -> dict:
    # Only the irritants that count on the date; their recommended family and priority are today's answers, from
    # qualification inputs that are not historised.
    in_programme = sa.and_(Irritant.programme_id == programme.id, cutoff.irritant_counts(as_of))
    by_family = dict(session.exec(select(Irritant.recommended_family, sa.func.count(Irritant.id))
                                  .where(in_programme, Irritant.recommended_family.is_not(None))
                                  .group_by(Irritant.recommended_family)).all())
    ai_act = dict(session.exec(select(RemedyOption.ai_act_class, sa.func.count(RemedyOption.id))
                               .join(Irritant, Irritant.id == RemedyOption.irritant_id)
                               .where(in_programme, RemedyOption.family.in_(scoring.AI_FAMILIES))
                               .group_by(RemedyOption.ai_act_class)).all())
    top = list(session.exec(select(Irritant, Collectivity.name)
                            .join(Collectivity, Collectivity.id == Irritant.collectivity_id)
                            .where(in_programme, Irritant.priority_value.is_not(None))
                            .order_by(*priority_order())
                            .limit(TOP_IRRITANTS)))
    options: dict[int, list[RemedyOption]] = {irritant.id: [] for irritant, _name in top}
    if options:
        for option in session.exec(select(RemedyOption).where(RemedyOption.irritant_id.in_(list(options)))
                                   .order_by(RemedyOption.id)):
            options[option.irritant_id].append(option)
    top_rows = []
    for irritant, name in top:
        subject, inputs = answers.method_inputs(irritant, options[irritant.id])
        answer = scoring.recommend(subject, inputs, params)
        verdict = answers.robustness_of(subject, inputs, params)
        top_rows.append({"title": irritant.title, "collectivity": name, "hours": round(answer.hours),
                         "family": answer.family, "label": answer.label, "value": answer.value,
                         # Words, not reasons: a published version's snapshot is JSON, read years later.
                         "reasons": [_worded(reason) for reason in answer.reasons], "robust": verdict.robust,
                         **_over_time(answer),
                         "robustness": say(verdict.reason)})
    return {"by_family": by_family, "ai_act": {key or "unconfirmed": n for key, n in ai_act.items()},
            "top": top_rows, "footprint": _footprint(session, programme, params, as_of)}


def _footprint(session: Session, programme: Programme, params: dict, as_of: date | None) -> dict:
    """The yearly footprint of the AI option each irritant is recommended, and of the requests actually measured."""
    # Only the chosen option counts (a variant the committee was not offered adds nothing), and its figure is the
    # method's own (scoring.footprint, one coherent source per option), so the report and the irritant page agree.
    recommended = session.exec(select(Irritant).where(Irritant.programme_id == programme.id,
                                                      cutoff.irritant_counts(as_of),
                                                      Irritant.recommended_family.in_(scoring.AI_FAMILIES))).all()
    options: dict[int, list[RemedyOption]] = {irritant.id: [] for irritant in recommended}
    if options:
        for option in session.exec(select(RemedyOption).where(RemedyOption.irritant_id.in_(options))
                                   .order_by(RemedyOption.id)):
            options[option.irritant_id].append(option)
    chosen, requests, kwh, co2e_kg, sources, unpublished = 0, 0, 0.0, 0.0, set(), 0
    for irritant in recommended:
        result = answers.assess(irritant, options[irritant.id], params)
        if not result.is_ai or result.chosen is None:
            continue
        chosen += 1
        requests += result.chosen.option.requests_per_year or 0
        if result.chosen.footprint.kwh_per_year is None:
            unpublished += 1  # a source that publishes emissions only (Mistral's LCA): no energy is made up
        else:
            kwh += result.chosen.footprint.kwh_per_year
        co2e_kg += result.chosen.footprint.co2e_kg_per_year
        if result.chosen.footprint.source:
            sources.add(say(result.chosen.footprint.source))
    # What the tool was actually asked, month by month up to the report's date, with the programme's default factor.
    measured_requests = session.exec(select(sa.func.coalesce(sa.func.sum(UsageMonth.requests), 0)).where(
        UsageMonth.programme_id == programme.id,
        *([UsageMonth.month <= as_of] if as_of is not None else []))).one()
    return {"options": chosen, "requests": requests, "kwh": round(kwh, 1), "co2e_kg": round(co2e_kg, 1),
            "sources": sorted(sources), "energy_unpublished": unpublished,
            "measured": {"requests": int(measured_requests),
                         "kwh": round(measured_requests * params["energy_wh_per_request"] / 1000, 1),
                         "co2e_kg": round(measured_requests * params["co2e_g_per_request"] / 1000, 1),
                         "source": params["footprint_source"]}}


def _groups(session: Session, programme: Programme, params: dict, as_of: date | None) -> list[dict]:
    # A group has no date of its own (neither of proposal nor of confirmation): on a date it is shown, with its
    # status today, only if every one of its members counts then.
    counted = cutoff.counted_irritant_ids(session, programme_id=programme.id, as_of=as_of)
    result = []
    for group, members in mutual.groups(session, programme_id=programme.id):
        if group.status == "dismissed" or (counted is not None and any(i.id not in counted for i, _n in members)):
            continue
        shared = mutual.shared_answers(session, members=members, params=params) if group.status == "confirmed" else []
        # One name per member collectivity, told apart by id: two communes may share a name.
        names = {irritant.collectivity_id: name for irritant, name in members}
        result.append({"label": group.label, "status": group.status, "irritants": len(members),
                       "collectivities": sorted(names.values()),
                       "changed_by_sharing": sum(1 for a in shared if a.differs)})
    return result


def _decisions(session: Session, programme: Programme, as_of: date | None) -> list[dict]:
    by_decision: dict[int, dict] = {}
    for decision, irritant, name in decision_service.decision_rows(
            session, filters=decision_service.DecisionFilters(programme_id=programme.id), as_of=as_of):
        row = by_decision.setdefault(decision.id, {
            "decided_on": decision.decided_on.isoformat(), "kind": decision.kind, "rationale": decision.rationale,
            "owner": decision.owner, "irritants": [], "collectivities": []})
        row["irritants"].append(irritant.title)
        if name not in row["collectivities"]:
            row["collectivities"].append(name)
    return list(by_decision.values())


def _usage(session: Session, programme: Programme, as_of: date | None) -> dict:
    _calendar, _names, _per_collectivity, totals = usage.adoption_table(session, programme=programme, as_of=as_of)
    measures, saved = impact.summaries(session, programme_id=programme.id, as_of=as_of)
    tool_access = session.exec(select(Milestone.starts_on).where(Milestone.programme_id == programme.id,
                                                                 Milestone.kind == "tool_access")).first()
    if as_of is not None and tool_access is not None and tool_access > as_of:
        tool_access = None  # a version says what had happened by its date, not what was planned after it
    return {
        "tool_access": tool_access.isoformat() if tool_access else None,
        "months": [{"month": m.month.isoformat(), "seats": m.seats, "active_users": m.active_users,
                    "requests": m.requests, "rate": m.rate} for m in totals if m.active_users is not None],
        "surveys": [{"label": s.wave.label, "audience": s.wave.audience, "respondents": s.respondents,
                     "positive": s.positive, "share": surveys.share(s.positive, s.respondents),
                     "small": surveys.is_small(s.respondents)}
                    for s in surveys.summaries(session, programme_id=programme.id, as_of=as_of)],
        "measures": [{"metric": m.measure.metric, "unit": m.measure.unit, "collectivity": m.collectivity,
                      "baseline": m.measure.baseline_value, "baseline_on": m.measure.baseline_on.isoformat(),
                      "latest": m.latest.value if m.latest else None,
                      "latest_on": m.latest.measured_on.isoformat() if m.latest else None,
                      "nature": m.latest.nature if m.latest else None} for m in measures],
        "time_saved": asdict(saved),
    }


def _next_milestones(session: Session, programme: Programme, as_of: date | None) -> list[dict]:
    """The programme's planned steps under way or ahead on the report's date, soonest first, none dated ahead."""
    # A version says what had happened by its date, not what was planned after it (as the tool access does):
    # a step ahead is named, never dated, and one under way gives only the day it started.
    on = as_of or date.today()
    rows = session.exec(select(Milestone).where(Milestone.programme_id == programme.id,
                                                sa.func.coalesce(Milestone.ends_on, Milestone.starts_on) >= on)
                        .order_by(Milestone.starts_on, Milestone.id).limit(NEXT_MILESTONES)).all()
    return [{"kind": m.kind, "label": m.label, "since": m.starts_on.isoformat() if m.starts_on <= on else None}
            for m in rows]


def next_steps(data: dict) -> list[dict]:
    """What the records say is left to do, each as a code and a count the template turns into a sentence."""
    summary = data["summary"]
    decided_titles = {title for d in data["decisions"] for title in d["irritants"]}
    steps = [
        ("workshops_to_hold", summary["workshops"] - summary["workshops_held"]),
        ("to_qualify", summary["by_status"].get("identified", 0) + summary["by_status"].get("proposed", 0)),
        ("top_without_decision",
         sum(1 for row in data["recommendations"]["top"] if row["title"] not in decided_titles)),
        ("groups_to_confirm", sum(1 for g in data["groups"] if g["status"] == "proposed")),
        ("measures_without_value", sum(1 for m in data["usage"]["measures"] if m["latest"] is None)),
        ("missing_departements", len(data["missing_departements"])),
    ]
    return [{"code": code, "count": count} for code, count in steps if count > 0]
