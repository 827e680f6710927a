"""Impact of decided actions: a baseline, later values measured or self-reported, kept apart in every total."""

from __future__ import annotations

from sqlmodel import select

from irritants.impact import summaries
from irritants.models import DecisionIrritant, ImpactMeasure, ImpactValue


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


def test_a_referent_follows_their_own_action_and_the_estimate_comes_from_the_scoring(client_as, world, db):
    link = db.exec(select(DecisionIrritant).where(DecisionIrritant.irritant_id == world.own_irritant.id)).one()
    response = client_as("participant").post(f"/programmes/{world.programme.slug}/impact/mesures", data={
        "target": link.id, "metric": "Délai moyen de réponse aux avis", "unit": "jours", "baseline_value": "7",
        "baseline_on": "01/10/2024"})
    assert response.status_code == 302
    measure = db.exec(select(ImpactMeasure).where(ImpactMeasure.metric == "Délai moyen de réponse aux avis")).one()
    # The world's irritant: 120 h a year; its option (formation) removes 30 %: 36 h expected.
    assert measure.validated is False and measure.estimated_hours_saved == 36
    page = client_as("participant").get(f"/programmes/{world.programme.slug}/impact").get_data(as_text=True)
    assert "Lormes" not in page
    assert _value(client_as("participant"), world.foreign_measure).status_code == 404
    assert db.exec(select(ImpactValue)).all() == []


def test_the_team_validates_a_measure(client_as, world, db):
    assert client_as("facilitator").post(f"/mesures/{world.own_measure.id}/validation").status_code == 302
    db.expire_all()
    assert db.get(ImpactMeasure, world.own_measure.id).validated is True
