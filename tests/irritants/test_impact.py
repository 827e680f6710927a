"""Impact of decided actions: a baseline, later values measured or self-reported, kept apart in every total."""

from __future__ import annotations

import html
from datetime import date

from sqlmodel import select

from irritants.impact import add_measure, add_value, summaries
from irritants.models import Decision, DecisionIrritant, ImpactMeasure, ImpactValue
from tests import factories


def _value(client, measure, **values):
    prefix = f"m{measure.id}"
    data = {f"{prefix}-value": "3", f"{prefix}-measured_on": "01/03/2025", f"{prefix}-nature": "measured",
            f"{prefix}-hours_saved": "120"}
    data.update({f"{prefix}-{k}": v for k, v in values.items()})
    return client.post(f"/mesures/{measure.id}/valeurs", data=data)


def test_measured_and_self_reported_stay_apart_in_the_totals(client_as, world, db):
    client = client_as("facilitator")
    assert _value(client, world.own_measure).status_code == 302
    assert _value(client, world.foreign_measure, nature="self_reported", hours_saved="40").status_code == 302
    _measures, saved = summaries(db, programme_id=world.programme.id)
    assert (saved.measured, saved.self_reported) == (120, 40)
    page = client_as("steering").get(f"/programmes/{world.programme.slug}/impact").get_data(as_text=True)
    assert "mesuré" in page and "déclaré" in page and "Ajouter une valeur de suivi" not in page


def test_a_later_value_cannot_precede_the_baseline(client_as, world):
    response = _value(client_as("facilitator"), world.own_measure, measured_on="01/01/2024")
    assert response.status_code == 422 and "ne peut pas précéder la valeur de départ" in response.get_data(
        as_text=True)


def test_a_referent_follows_their_own_action_and_the_estimate_comes_from_the_decided_option(client_as, world, db):
    link = db.exec(select(DecisionIrritant).where(DecisionIrritant.irritant_id == world.own_irritant.id)).one()
    response = client_as("participant").post(f"/programmes/{world.programme.slug}/impact/mesures", data={
        "target": link.id, "metric": "Délai moyen de réponse aux avis", "unit": "jours", "baseline_value": "7",
        "baseline_on": "01/10/2024"})
    assert response.status_code == 302
    measure = db.exec(select(ImpactMeasure).where(ImpactMeasure.metric == "Délai moyen de réponse aux avis")).one()
    # The world's irritant: 120 h a year; the option its decision kept (formation) removes 30 %: 36 h expected.
    assert measure.validated is False and measure.estimated_hours_saved == 36
    assert measure.irritant_id == world.own_irritant.id
    page = client_as("participant").get(f"/programmes/{world.programme.slug}/impact").get_data(as_text=True)
    assert "Lormes" not in page
    assert _value(client_as("participant"), world.foreign_measure).status_code == 404
    assert db.exec(select(ImpactValue)).all() == []


def test_the_team_validates_a_measure(client_as, world, db):
    assert client_as("facilitator").post(f"/mesures/{world.own_measure.id}/validation").status_code == 302
    db.expire_all()
    assert db.get(ImpactMeasure, world.own_measure.id).validated is True


def _follow(client, world, link, metric):
    return client.post(f"/programmes/{world.programme.slug}/impact/mesures", data={
        "target": link.id, "metric": metric, "unit": "jours", "baseline_value": "7", "baseline_on": "01/10/2024"})


def test_the_estimate_comes_from_the_option_decided_not_from_today_s_recommendation(client_as, world, db):
    factories.option(db, world.own_irritant, family="ia_generative", label="Assistant", reduction_pct=50)
    db.commit()
    assert world.own_irritant.recommended_family == "formation"  # 120 h a year: frugal first
    client = client_as("facilitator")
    assert client.post(f"/irritants/{world.own_irritant.id}/decisions", data={
        "kind": "ai_pilot", "decided_on": "15/10/2024", "rationale": "Le service veut tester l'assistant",
        "owner": "DGS"}).status_code == 302
    decision = db.exec(select(Decision).where(Decision.kind == "ai_pilot")).one()
    link = db.exec(select(DecisionIrritant).where(DecisionIrritant.decision_id == decision.id)).one()
    assert _follow(client, world, link, "Temps de rédaction").status_code == 302
    measure = db.exec(select(ImpactMeasure).where(ImpactMeasure.metric == "Temps de rédaction")).one()
    assert measure.estimated_hours_saved == 60  # the assistant's 50 % of 120 h, not the formation's 30 %


def test_no_estimate_when_the_decision_kept_no_option(world, db):
    link = db.exec(select(DecisionIrritant).where(DecisionIrritant.irritant_id == world.own_irritant.id)).one()
    link.remedy_option_id = None
    db.add(link)
    db.flush()
    measure = add_measure(db, decision=db.get(Decision, link.decision_id), irritant=world.own_irritant,
                          metric="Délai", unit="jours", baseline_value=7, baseline_on=date(2024, 10, 1),
                          validated=True)
    assert measure.estimated_hours_saved is None


def test_more_metrics_on_one_irritant_do_not_raise_its_estimate(client_as, world, db):
    client = client_as("facilitator")
    link = db.exec(select(DecisionIrritant).where(DecisionIrritant.irritant_id == world.own_irritant.id)).one()
    assert _follow(client, world, link, "Délai moyen de réponse").status_code == 302
    first = db.exec(select(ImpactMeasure).where(ImpactMeasure.metric == "Délai moyen de réponse")).one()
    add_value(db, measure=first, value=3, measured_on=date(2025, 3, 1), nature="measured", hours_saved=20)
    _measures, before = summaries(db, programme_id=world.programme.id)
    assert before.estimated == 36
    for metric in ("Temps de rédaction", "Réclamations reçues"):
        assert _follow(client, world, link, metric).status_code == 302
    _measures, after = summaries(db, programme_id=world.programme.id)
    assert after == before  # was 36 → 108: each metric counted the irritant's estimate again


def test_the_impact_page_says_where_the_estimate_comes_from(client_as, world, db):
    client = client_as("facilitator")
    link = db.exec(select(DecisionIrritant).where(DecisionIrritant.irritant_id == world.own_irritant.id)).one()
    _follow(client, world, link, "Délai moyen de réponse")
    page = html.unescape(client.get(f"/programmes/{world.programme.slug}/impact").get_data(as_text=True))
    assert ("Estimation : la réduction attendue de l'option décidée, « Formation », appliquée aux heures perdues "
            "par an de l'irritant, comptée une fois par irritant.") in page
