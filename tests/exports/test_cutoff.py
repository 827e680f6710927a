"""A version « données arrêtées au … » shows every figure as it stood on its date, and nothing recorded after it."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

from flask import render_template
from sqlmodel import select

from exports import compare
from exports.annexes import collectivity_annexes, collectivity_sheet
from exports.assembly import assemble_report
from exports.summary import programme_summary
from hub.core.models import Programme
from irritants.models import Decision, DecisionIrritant, ImpactMeasure, ImpactValue, IrritantEvent
from participants.models import SurveyResult, SurveyWave, ToolSeat, UsageMonth
from tests import factories
from workshops.models import HypothesisTest

CUT_OFF = date(2024, 12, 31)
LATER = date(2025, 3, 31)


def _utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


def _usage(db, world, month: date, active_users: int, requests: int = 100) -> UsageMonth:
    row = UsageMonth(programme_id=world.programme.id, collectivity_id=world.own.id, month=month,
                     active_users=active_users, requests=requests)
    db.add(row)
    db.flush()
    return row


def _decision(db, world, decided_on: date, irritant) -> Decision:
    decision = Decision(programme_id=world.programme.id, kind="defer", decided_on=decided_on, rationale="Plus tard")
    db.add(decision)
    db.flush()
    db.add(DecisionIrritant(decision_id=decision.id, irritant_id=irritant.id, collectivity_id=irritant.collectivity_id))
    db.flush()
    return decision


def test_usage_months_after_the_date_are_left_out(world, db):
    _usage(db, world, date(2024, 12, 1), 7)
    _usage(db, world, date(2025, 1, 1), 9)
    db.commit()
    months = assemble_report(db, world.programme, as_of=CUT_OFF)["usage"]["months"]
    assert [m["month"] for m in months] == ["2024-10-01", "2024-12-01"]
    live = assemble_report(db, world.programme)["usage"]["months"]
    assert live[-1]["month"] == "2025-01-01"


def test_seats_granted_after_the_date_are_not_counted(world, db):
    # Granted on 20 October: a version as of 10 October has October's usage on the twenty seats given before.
    db.add(ToolSeat(programme_id=world.programme.id, collectivity_id=world.own.id, seats=10,
                    granted_on=date(2024, 10, 20)))
    db.commit()
    early = assemble_report(db, world.programme, as_of=date(2024, 10, 10))["usage"]["months"]
    assert [(m["month"], m["seats"], m["active_users"]) for m in early] == [("2024-10-01", 20, 12)]
    assert early[0]["rate"] == 0.6
    assert assemble_report(db, world.programme)["usage"]["months"][0]["seats"] == 30


def test_survey_waves_opened_after_the_date_are_left_out(world, db):
    wave = SurveyWave(programme_id=world.programme.id, label="Usagers, mars 2025", audience="users",
                      opened_on=date(2025, 3, 3))
    db.add(wave)
    db.flush()
    db.add(SurveyResult(wave_id=wave.id, collectivity_id=world.own.id, respondents=30, positive=22))
    db.commit()
    surveys = assemble_report(db, world.programme, as_of=CUT_OFF)["usage"]["surveys"]
    assert [s["label"] for s in surveys] == ["Agents, décembre 2024"]
    assert len(assemble_report(db, world.programme)["usage"]["surveys"]) == 2


def test_workshops_after_the_date_are_neither_listed_nor_held(world, db):
    held = factories.workshop(db, world.programme, world.own, held_on=date(2024, 6, 3), status="held", agents_met=5,
                              services=["etat_civil"])
    later = factories.workshop(db, world.programme, world.own, held_on=date(2025, 2, 10), status="published",
                               agents_met=8, services=["urbanisme"])
    hypothesis = db.exec(select(HypothesisTest)).first()
    db.add(HypothesisTest(workshop_id=later.id, collectivity_id=world.own.id, hypothesis_id=hypothesis.hypothesis_id,
                          outcome="invalidated", evidence="Vu"))
    db.add(HypothesisTest(workshop_id=held.id, collectivity_id=world.own.id, hypothesis_id=hypothesis.hypothesis_id,
                          outcome="validated", evidence="Vu"))
    db.commit()
    data = assemble_report(db, world.programme, as_of=CUT_OFF)
    workshops = data["workshops"]
    assert [w["held_on"] for w in workshops["calendar"]] == ["2024-05-14", "2024-05-14", "2024-06-03"]
    assert workshops["held_by_month"] == {"2024-06": 1}
    assert [s["service"] for s in workshops["services"]] == ["etat_civil"]
    assert workshops["hypotheses"][0]["invalidated"] == 0 and workshops["hypotheses"][0]["validated"] == 2
    assert (data["summary"]["workshops"], data["summary"]["workshops_held"], data["summary"]["agents_met"]) == (3, 1, 5)
    live = assemble_report(db, world.programme)
    assert (live["summary"]["workshops"], live["summary"]["workshops_held"]) == (4, 2)


def test_irritants_recorded_after_the_date_are_left_out_and_statuses_read_as_they_were(world, db):
    factories.irritant(db, world.programme, world.own, title="Relevé en 2025", theme="rh",
                       created_at=_utc(2025, 1, 10, 9))
    # Qualified in January 2025: on 31 December it was still identified.
    qualified_later = factories.irritant(db, world.programme, world.own, title="Qualifié plus tard", status="qualified",
                                         created_at=_utc(2024, 6, 1, 9))
    db.add_all([IrritantEvent(irritant_id=qualified_later.id, collectivity_id=world.own.id, to_status="identified",
                              at=_utc(2024, 6, 1, 9)),
                IrritantEvent(irritant_id=qualified_later.id, collectivity_id=world.own.id, from_status="identified",
                              to_status="qualified", at=_utc(2025, 1, 5, 9))])
    # Qualified on the cut-off day itself, late in the evening (UTC): it counts as qualified.
    qualified_before = factories.irritant(db, world.programme, world.own, title="Qualifié avant", status="decided",
                                          created_at=_utc(2024, 6, 1, 9))
    db.add_all([IrritantEvent(irritant_id=qualified_before.id, collectivity_id=world.own.id, from_status="identified",
                              to_status="qualified", at=_utc(2024, 12, 31, 22)),
                IrritantEvent(irritant_id=qualified_before.id, collectivity_id=world.own.id, from_status="qualified",
                              to_status="decided", at=_utc(2025, 2, 1, 9))])
    db.commit()
    data = assemble_report(db, world.programme, as_of=CUT_OFF)
    assert data["summary"]["irritants"] == 4
    assert data["summary"]["by_status"] == {"identified": 3, "qualified": 1}
    assert [row["label"] for row in data["irritants_by_theme"]] == ["Classement documentaire et trouvabilité"]
    assert {row["step"]: row["count"] for row in data["funnel"]}["qualified"] == 1
    annex = next(a for a in data["annexes"] if a["name"] == "Chéroy")
    assert {row["title"]: row["status"] for row in annex["irritants"]["rows"]} == {
        "Recherche d'anciens arrêtés": "identified", "Qualifié plus tard": "identified", "Qualifié avant": "qualified"}
    live = assemble_report(db, world.programme)
    assert live["summary"]["irritants"] == 5 and live["summary"]["by_status"]["decided"] == 1


def test_decisions_after_the_date_are_left_out(world, db):
    _decision(db, world, date(2025, 2, 1), world.own_irritant)
    db.commit()
    data = assemble_report(db, world.programme, as_of=CUT_OFF)
    assert [d["decided_on"] for d in data["decisions"]] == ["2024-10-15"]
    assert [d["decided_on"] for d in next(a for a in data["annexes"] if a["name"] == "Chéroy")["decisions"]] == [
        "2024-10-15"]
    assert len(assemble_report(db, world.programme)["decisions"]) == 2


def test_measures_and_values_after_the_date_are_left_out(world, db):
    db.add_all([ImpactValue(measure_id=world.own_measure.id, collectivity_id=world.own.id, value=5,
                            measured_on=date(2024, 12, 2), nature="measured", hours_saved=20),
                ImpactValue(measure_id=world.own_measure.id, collectivity_id=world.own.id, value=3,
                            measured_on=date(2025, 2, 3), nature="measured", hours_saved=50)])
    db.add(ImpactMeasure(decision_id=world.own_measure.decision_id, irritant_id=world.own_irritant.id,
                         collectivity_id=world.own.id, metric="Appels", unit="par semaine", baseline_value=40,
                         baseline_on=date(2025, 1, 15)))
    db.commit()
    usage = assemble_report(db, world.programme, as_of=CUT_OFF)["usage"]
    assert [(m["metric"], m["latest"], m["latest_on"]) for m in usage["measures"]] == [
        ("Délai", 5, "2024-12-02"), ("Délai", None, None)]
    assert usage["time_saved"]["measured"] == 20
    live = assemble_report(db, world.programme)["usage"]
    assert len(live["measures"]) == 3 and live["time_saved"]["measured"] == 50


def test_the_key_figures_count_only_what_existed_on_the_date(world, db):
    factories.workshop(db, world.programme, world.own, held_on=date(2025, 1, 20), status="held", agents_met=4)
    factories.irritant(db, world.programme, world.foreign, created_at=_utc(2025, 1, 21, 8), status="qualified")
    db.commit()
    summary = programme_summary(db, world.programme.id, as_of=CUT_OFF)
    assert (summary.workshops, summary.workshops_held, summary.agents_met) == (2, 0, 0)
    assert (summary.irritants, summary.qualified) == (2, 0)
    live = programme_summary(db, world.programme.id)
    assert (live.workshops, live.workshops_held, live.agents_met, live.irritants, live.qualified) == (3, 1, 4, 3, 1)


def test_a_collectivity_annex_and_sheet_stop_at_the_date(world, db):
    _usage(db, world, date(2025, 1, 1), 9)
    factories.workshop(db, world.programme, world.own, held_on=date(2025, 2, 10), status="held")
    factories.irritant(db, world.programme, world.own, title="Relevé en 2025", created_at=_utc(2025, 1, 10, 9))
    _decision(db, world, date(2025, 2, 1), world.own_irritant)
    db.commit()
    annex = next(a for a in collectivity_annexes(db, world.programme, as_of=CUT_OFF) if a["name"] == "Chéroy")
    sheet = collectivity_sheet(db, world.programme, world.own, as_of=CUT_OFF)
    for page in (annex, sheet):
        assert [m["month"] for m in page["usage"]["months"]] == ["2024-10-01"]
        assert [w["held_on"] for w in page["workshops"]] == ["2024-05-14"]
        assert page["irritants"]["count"] == 1 and [r["title"] for r in page["irritants"]["rows"]] == [
            "Recherche d'anciens arrêtés"]
        assert [d["decided_on"] for d in page["decisions"]] == ["2024-10-15"]
    live = collectivity_sheet(db, world.programme, world.own)
    assert live["irritants"]["count"] == 2 and len(live["usage"]["months"]) == 2 and len(live["decisions"]) == 2


def _grow_after_the_cut_off(db, world) -> None:
    """What happens between 31 December 2024 and March 2025: more use, a qualified irritant, a decision."""
    _usage(db, world, date(2025, 2, 1), 9)
    irritant = factories.irritant(db, world.programme, world.own, title="Relevé en 2025", status="qualified",
                                  created_at=_utc(2025, 1, 10, 9))
    _decision(db, world, date(2025, 2, 1), irritant)
    db.commit()


def test_what_changed_compares_two_versions_each_on_its_own_date(world, db):
    _grow_after_the_cut_off(db, world)
    before = assemble_report(db, world.programme, as_of=CUT_OFF)
    after = assemble_report(db, world.programme, as_of=LATER)
    found = {(c.section, c.key): (c.before, c.after) for c in compare.changes(before, after)}
    # The version as of 31 December reads October's 12 active users, not February's.
    assert found[("usage", "active_users")] == (12, 9)
    assert found[("summary", "irritants")] == (2, 3) and found[("summary", "qualified")] == (0, 1)
    assert found[("summary", "decisions")] == (1, 2)
    assert found[("collectivity", "Chéroy")] == (1, 2)
    assert compare.changes(before, assemble_report(db, world.programme, as_of=CUT_OFF)) == []


def _sentence(before: dict, after: dict) -> str:
    return render_template("exports/_changes_sentence.html", changes=compare.changes(before, after)).strip()


def test_what_changed_opens_with_plain_french_sentences(app, world, db):
    _grow_after_the_cut_off(db, world)
    before = assemble_report(db, world.programme, as_of=CUT_OFF)
    after = assemble_report(db, world.programme, as_of=LATER)
    assert [code for code, _was, _now in compare.changes(before, after).differences] == [
        "irritants", "qualified", "decisions", "adoption", "active_users"]
    with app.test_request_context("/"):
        # October: 12 users on both collectivities' 20 seats (60 %); February: 9 on the reporting one's 10 (90 %).
        assert _sentence(before, after) == (
            '<p class="lead">1 irritant relevé de plus, 1 irritant qualifié de plus, 1 décision nouvelle, '
            "adoption de 60\xa0% à 90\xa0%, utilisateurs actifs le dernier mois de 12 à 9.</p>")
        assert _sentence(before, before) == ""


def test_what_changed_formats_numbers_the_french_way(app):
    def data(irritants: int, hours: float) -> dict:
        return {"summary": {"collectivities": 1, "departements": 1, "population": 1, "workshops": 1,
                            "workshops_held": 1, "agents_met": 1, "irritants": irritants, "qualified": 0},
                "decisions": [], "groups": [], "funnel": [], "recommendations": {"by_family": {}},
                "irritants_by_theme": [], "annexes": [],
                "usage": {"months": [], "time_saved": {"estimated": 0, "measured": hours, "self_reported": 0}}}

    with app.test_request_context("/"):
        words = _sentence(data(1244, 1500.4), data(10, 900))
    assert words == ('<p class="lead">1\u202f234 irritants relevés de moins, '
                     "temps gagné mesuré de 1\u202f500 à 900 heures par an.</p>")


# An ISO date (2025-01-31) or month (2025-01) in any key or value of the assembled report.
DATED = re.compile(r"(?<!\d)(\d{4})-(\d{2})(?:-(\d{2}))?(?!\d)")


def _dates(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _dates(key)
            yield from _dates(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _dates(item)
    elif isinstance(value, str):
        for year, month, day in DATED.findall(value):
            if 1 <= int(month) <= 12:
                yield date(int(year), int(month), int(day or 1))


def test_a_demo_version_as_of_31_december_2024_mentions_no_later_date(runner, db):
    result = runner.invoke(args=["demo"], env={"HUB_DEMO_PASSWORD": "mot-de-passe-demo"})
    assert result.exit_code == 0, result.output
    programme = db.exec(select(Programme).where(Programme.slug == "experimentation-ia-2024-bfc")).one()
    data = assemble_report(db, programme, as_of=CUT_OFF)
    assert [d for d in _dates(data) if d > CUT_OFF] == []
    # …and yet the version is not empty: what happened by then is there.
    assert data["summary"]["irritants"] > 0 and data["decisions"] and data["usage"]["months"]
    assert data["usage"]["months"][-1]["month"] == "2024-12-01" and data["usage"]["measures"]
    # The live report does go past the date: the walk above would have caught it.
    assert any(d > CUT_OFF for d in _dates(assemble_report(db, programme)))


def test_a_figure_the_earlier_version_did_not_have_is_said_as_it_stands(app, world, db):
    # A version before any usage month had no adoption: the sentence said "adoption de — à 90 %".
    _grow_after_the_cut_off(db, world)
    before = assemble_report(db, world.programme, as_of=date(2024, 9, 1))
    after = assemble_report(db, world.programme, as_of=LATER)
    with app.test_request_context("/"):
        words = _sentence(before, after)
    assert "adoption désormais de 90\xa0%" in words and "9 utilisateurs actifs le dernier mois" in words
    assert "de —" not in words
