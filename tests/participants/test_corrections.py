"""Validated is validated: a référent's change to a figure the team validated waits for the team's answer."""

from __future__ import annotations

from sqlmodel import select

from participants.models import SurveyResult, UsageMonth


def _validated_month(db, world) -> UsageMonth:
    month = world.own_usage
    month.validated, month.active_users, month.requests = True, 4, 100
    month.use_cases = {"redaction": 60, "resume": 40}
    db.add(month)
    db.commit()
    return month


def _enter_month(client, world, users: str, requests: str):
    return client.post(f"/programmes/{world.programme.slug}/usages/mois",
                       data={"collectivity_id": world.own.id, "month": "2024-10", "active_users": users,
                             "requests": requests}, follow_redirects=True)


def _reload(db, row):
    db.expire_all()
    return db.get(type(row), row.id)


def test_a_referent_cannot_overwrite_a_validated_month_it_waits_as_a_correction(client_as, db, world):
    month = _validated_month(db, world)
    page = _enter_month(client_as("participant"), world, "1", "1").get_data(as_text=True)
    assert "votre correction attend son accord" in page
    month = _reload(db, month)
    assert (month.active_users, month.requests, month.validated) == (4, 100, True)  # the validated figure stays
    assert month.use_cases == {"redaction": 60, "resume": 40}
    assert month.correction["values"]["active_users"] == 1
    assert month.correction["by_user_id"] == world.users["participant"].id
    team_page = client_as("facilitator").get(f"/programmes/{world.programme.slug}/usages").get_data(as_text=True)
    assert "validé 4 utilisateurs actifs et 100 requêtes ; proposé 1 et 1" in team_page


def test_the_team_accepts_a_correction_and_it_becomes_the_validated_figure(client_as, db, world):
    month = _validated_month(db, world)
    _enter_month(client_as("participant"), world, "5", "130")
    assert client_as("facilitator").post(f"/usages/{month.id}/correction",
                                         data={"decision": "accept"}).status_code == 302
    month = _reload(db, month)
    assert (month.active_users, month.requests, month.validated, month.correction) == (5, 130, True, None)
    assert month.use_cases == {"redaction": 60, "resume": 40}  # what the référent's form does not carry is kept


def test_the_team_refuses_a_correction_and_the_validated_figure_stays(client_as, db, world):
    month = _validated_month(db, world)
    _enter_month(client_as("participant"), world, "1", "1")
    assert client_as("facilitator").post(f"/usages/{month.id}/correction",
                                         data={"decision": "refuse"}).status_code == 302
    month = _reload(db, month)
    assert (month.active_users, month.requests, month.correction) == (4, 100, None)
    assert client_as("facilitator").post(f"/usages/{month.id}/correction",
                                         data={"decision": "accept"}).status_code == 400  # nothing waits now


def test_the_team_entering_a_month_keeps_its_use_cases(client_as, db, world):
    month = _validated_month(db, world)
    _enter_month(client_as("facilitator"), world, "6", "110")
    month = _reload(db, month)
    assert (month.active_users, month.use_cases) == (6, {"redaction": 60, "resume": 40})


def test_validated_survey_results_wait_for_the_team_too(client_as, db, world):
    result = world.own_result
    result.validated = True
    db.add(result)
    db.commit()
    prefix = f"w{world.wave.id}"
    page = client_as("participant").post(f"/enquetes/{world.wave.id}/resultats", follow_redirects=True, data={
        f"{prefix}-collectivity_id": world.own.id, f"{prefix}-respondents": 1, f"{prefix}-positive": 1}
    ).get_data(as_text=True)
    assert "votre correction attend son accord" in page
    result = _reload(db, result)
    assert (result.respondents, result.positive, result.validated) == (20, 14, True)
    client_as("facilitator").post(f"/enquetes/resultats/{result.id}/correction", data={"decision": "accept"})
    result = _reload(db, result)
    assert (result.respondents, result.positive, result.correction) == (1, 1, None)
    assert db.exec(select(SurveyResult).where(SurveyResult.wave_id == world.wave.id)).all()
