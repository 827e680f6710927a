"""An irritant compares at most MAX_OPTIONS options: one more is refused with a message, suggestions stop there."""

from __future__ import annotations

from sqlmodel import select

from irritants.models import RemedyOption
from irritants.service import MAX_OPTIONS
from tests import factories


def _fill(db, irritant, n: int) -> None:
    for i in range(n):
        factories.option(db, irritant, family="formation", label=f"Option {i}", reduction_pct=10, one_off_cost=100)
    db.commit()


def test_one_option_past_the_cap_is_refused_in_french_and_kept_typed(client_as, db, world):
    irritant = world.own_irritant
    have = len(db.exec(select(RemedyOption).where(RemedyOption.irritant_id == irritant.id)).all())
    _fill(db, irritant, MAX_OPTIONS - have)
    response = client_as("facilitator").post(f"/irritants/{irritant.id}/options", data={
        "family": "processus", "label": "Une vingt-et-unième idée", "reduction_pct": "20", "one_off_cost": "0",
        "recurring_cost": "0", "months_to_value": "0", "personal_data": "none", "sovereign_tool": "y",
        "ai_act_use": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f"Cet irritant compte déjà {MAX_OPTIONS} options" in page and "Une vingt-et-unième idée" in page
    count = len(db.exec(select(RemedyOption).where(RemedyOption.irritant_id == irritant.id)).all())
    assert count == MAX_OPTIONS


def test_suggestions_stop_at_the_cap(client_as, db, world):
    irritant = world.own_irritant
    have = len(db.exec(select(RemedyOption).where(RemedyOption.irritant_id == irritant.id)).all())
    _fill(db, irritant, MAX_OPTIONS - 1 - have)
    response = client_as("facilitator").post(f"/irritants/{irritant.id}/options/suggestions")
    assert response.status_code == 302
    db.expire_all()
    assert len(db.exec(select(RemedyOption).where(RemedyOption.irritant_id == irritant.id)).all()) == MAX_OPTIONS
