"""Validated is validated: a référent's change to a figure the team validated waits for the team's answer."""

from __future__ import annotations

import re

from sqlmodel import select

from participants.models import SurveyResult, UsageMonth
from tests.participants.support import enter_month, enter_results, reload


def _validated_month(db, world) -> UsageMonth:
    month = world.own_usage
    month.validated, month.active_users, month.requests = True, 4, 100
    month.use_cases = {"redaction": 60, "resume": 40}
    db.add(month)
    db.commit()
    return month


def _correct_then_decide(client_as, db, world, users: str, requests: str, decision: str) -> UsageMonth:
    """The référent corrects the validated month, the team answers; the month as saved then."""
    month = _validated_month(db, world)
    enter_month(client_as("participant"), world, month="2024-10", users=users, requests=requests)
    assert client_as("facilitator").post(f"/usages/{month.id}/correction",
                                         data={"decision": decision}).status_code == 302
    return reload(db, month)


def test_a_referent_cannot_overwrite_a_validated_month_it_waits_as_a_correction(client_as, db, world):
    month = _validated_month(db, world)
    page = enter_month(client_as("participant"), world, month="2024-10", users="1", requests="1",
                       follow_redirects=True).get_data(as_text=True)
    assert "votre correction attend son accord" in page
    month = reload(db, month)
    assert (month.active_users, month.requests, month.validated) == (4, 100, True)  # the validated figure stays
    assert month.use_cases == {"redaction": 60, "resume": 40}
    assert month.correction["values"]["active_users"] == 1
    assert month.correction["by_user_id"] == world.users["participant"].id
    team_page = client_as("facilitator").get(f"/programmes/{world.programme.slug}/usages").get_data(as_text=True)
    assert "validé 4 utilisateurs actifs et 100 requêtes ; proposé 1 et 1" in team_page
    ids = re.findall(r'\sid="([^"]+)"', team_page)
    assert len(ids) == len(set(ids))  # the answer forms repeat, their ids do not


def test_the_team_accepts_a_correction_and_it_becomes_the_validated_figure(client_as, db, world):
    month = _correct_then_decide(client_as, db, world, "5", "130", "accept")
    assert (month.active_users, month.requests, month.validated, month.correction) == (5, 130, True, None)
    assert month.use_cases == {"redaction": 60, "resume": 40}  # what the référent's form does not carry is kept


def test_the_team_refuses_a_correction_and_the_validated_figure_stays(client_as, db, world):
    month = _correct_then_decide(client_as, db, world, "1", "1", "refuse")
    assert (month.active_users, month.requests, month.correction) == (4, 100, None)
    assert client_as("facilitator").post(f"/usages/{month.id}/correction",
                                         data={"decision": "accept"}).status_code == 400  # nothing waits now


def test_the_team_entering_a_month_keeps_its_use_cases(client_as, db, world):
    month = _validated_month(db, world)
    enter_month(client_as("facilitator"), world, month="2024-10", users="6", requests="110")
    month = reload(db, month)
    assert (month.active_users, month.use_cases) == (6, {"redaction": 60, "resume": 40})


def test_validated_survey_results_wait_for_the_team_too(client_as, db, world):
    result = world.own_result
    result.validated = True
    db.add(result)
    db.commit()
    page = enter_results(client_as("participant"), world, world.own, 1, 1, follow_redirects=True).get_data(as_text=True)
    assert "votre correction attend son accord" in page
    result = reload(db, result)
    assert (result.respondents, result.positive, result.validated) == (20, 14, True)
    client_as("facilitator").post(f"/enquetes/resultats/{result.id}/correction", data={"decision": "accept"})
    result = reload(db, result)
    assert (result.respondents, result.positive, result.correction) == (1, 1, None)
    assert db.exec(select(SurveyResult).where(SurveyResult.wave_id == world.wave.id)).all()
