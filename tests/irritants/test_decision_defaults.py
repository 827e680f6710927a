"""The decision form opens on what the method recommends, and on no choice when it has answered nothing yet."""

from __future__ import annotations

import re

from tests import factories


def _kind_menu(page: str) -> str:
    return page.split('name="kind"')[1].split("</select>")[0]


def _selected(page: str) -> str | None:
    found = re.search(r'<option selected value="([a-z_]*)"', _kind_menu(page))
    return found.group(1) if found else None


def test_a_frugal_recommendation_preselects_a_frugal_action(client_as, world):
    assert world.own_irritant.recommended_family == "formation"
    page = client_as("facilitator").get(f"/irritants/{world.own_irritant.id}").get_data(as_text=True)
    assert _selected(page) == "frugal_action"


def test_an_ai_recommendation_preselects_an_ai_pilot(client_as, world, db):
    irritant = factories.irritant(db, world.programme, world.own, status="scored", occurrences_per_month=100,
                                  minutes_per_occurrence=30, agents_affected=5, evidence_level=2, actionability=2)
    factories.option(db, irritant, label="Formation courte", reduction_pct=10)
    factories.option(db, irritant, family="ia_generative", label="Assistant de rédaction", reduction_pct=60)
    db.commit()
    assert irritant.recommended_family == "ia_generative"
    page = client_as("facilitator").get(f"/irritants/{irritant.id}").get_data(as_text=True)
    assert _selected(page) == "ai_pilot"


def test_no_recommendation_opens_on_an_empty_choice_that_cannot_be_posted(client_as, world, db):
    bare = factories.irritant(db, world.programme, world.own, status="scored")
    db.commit()
    client = client_as("facilitator")
    page = client.get(f"/irritants/{bare.id}").get_data(as_text=True)
    menu = _kind_menu(page)
    assert _selected(page) is None
    assert re.search(r'>\s*<option value="">— Choisir —</option>', menu)  # the first choice, chosen by no one
    refused = client.post(f"/irritants/{bare.id}/decisions", data={
        "kind": "", "decided_on": "15/10/2024", "rationale": "Attendre", "owner": "DGS"})
    assert refused.status_code == 422 and "Choisissez la décision du comité." in refused.get_data(as_text=True)
