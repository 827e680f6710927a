"""A measure's absurd value is refused at the door, and one already stored never breaks a page."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from irritants.models import ImpactValue
from tests import factories


def test_a_referent_s_1e27_measure_value_is_refused_in_french(client_as, world, db):
    prefix = f"m{world.own_measure.id}"
    response = client_as("participant").post(f"/mesures/{world.own_measure.id}/valeurs", data={
        f"{prefix}-value": "1e27", f"{prefix}-measured_on": "01/03/2025", f"{prefix}-nature": "measured"})
    assert response.status_code == 422
    assert "trop grand" in response.get_data(as_text=True)
    assert db.exec(select(ImpactValue)).all() == []


@pytest.mark.parametrize("typed", ["NaN", "sNaN", "Infinity", "2e9"])
def test_nan_infinity_and_huge_measure_values_are_refused_with_a_french_message(client_as, world, typed):
    prefix = f"m{world.own_measure.id}"
    response = client_as("facilitator").post(f"/mesures/{world.own_measure.id}/valeurs", data={
        f"{prefix}-value": typed, f"{prefix}-measured_on": "01/03/2025", f"{prefix}-nature": "measured"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Saisissez un nombre" in page or "trop grand" in page


@pytest.mark.parametrize("stored", [1e27, -1e300, float("inf")])
def test_the_impact_page_and_report_survive_an_extreme_value_already_stored(client_as, world, db, stored):
    if stored == float("inf") and db.get_bind().dialect.name != "sqlite":
        pytest.skip("PostgreSQL's audit log (JSON) refuses an infinite value: it cannot be stored there")
    db.add(ImpactValue(measure_id=world.own_measure.id, collectivity_id=world.own.id, value=stored,
                       measured_on=date(2025, 3, 1), nature="measured", hours_saved=stored))
    world.own_measure.baseline_value = stored
    db.add(world.own_measure)
    db.commit()
    factories.published_version(db, world.programme, number=1)
    db.commit()
    slug = world.programme.slug
    for role in ("facilitator", "steering", "participant"):
        assert client_as(role).get(f"/programmes/{slug}/impact").status_code == 200, role
    assert client_as("steering").get(f"/programmes/{slug}/rapport").status_code == 200
    assert client_as("steering").get(f"/programmes/{slug}/rapport/chiffres-cles").status_code == 200
    assert client_as("steering").get(f"/programmes/{slug}/rapport/comparer?de=1").status_code == 200
