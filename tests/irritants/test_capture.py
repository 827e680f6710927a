"""On-site capture: each entry recorded exactly once, French messages returned to the form."""

from __future__ import annotations

import pytest
from sqlmodel import select

from hub.core.models import AuditEntry
from irritants.models import Irritant
from tests.factories import capture_entry

JSON = {"Accept": "application/json"}


@pytest.fixture
def capture(client_as, world):
    """The project team's client and the capture page of the world's own workshop."""
    return client_as("facilitator"), f"/ateliers/{world.own_workshop.id}/saisie"


def test_the_same_client_key_twice_creates_one_irritant(capture, world, db):
    client, url = capture
    first = client.post(url, data=capture_entry(), headers=JSON)
    again = client.post(url, data=capture_entry(title="Titre modifié"), headers=JSON)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json["id"] == again.json["id"] and again.json["created"] is False
    saved = db.exec(select(Irritant).where(Irritant.client_key == "cle-de-test-0001")).all()
    assert len(saved) == 1
    irritant = saved[0]
    assert (irritant.workshop_id, irritant.collectivity_id, irritant.title) == (world.own_workshop.id, world.own.id,
                                                                                "Courrier non trié")
    assert irritant.hours_per_year == 80  # 40 × 12 × 5 / 60 × 2
    assert db.exec(select(AuditEntry).where(AuditEntry.table_name == "irritant",
                                            AuditEntry.row_id == irritant.id)).first().user_id \
        == world.users["facilitator"].id


def test_each_field_is_checked_with_a_french_message(capture, db):
    client, url = capture
    response = client.post(
        url, headers=JSON,
        data=capture_entry(title="", service="", minutes_per_occurrence="2000", agents_affected="0", theme="inconnu"))
    assert response.status_code == 422
    errors = response.json["errors"]
    assert "Donnez un intitulé court à l'irritant." in errors["title"]
    assert "Indiquez le service concerné." in errors["service"]
    assert "Entre 0 et 1 440 minutes (une journée)." in errors["minutes_per_occurrence"]
    assert "Au moins un agent, au plus 100 000." in errors["agents_affected"]
    assert "theme" in errors
    assert db.exec(select(Irritant).where(Irritant.client_key == "cle-de-test-0001")).first() is None


def test_a_missing_or_odd_key_is_refused(capture):
    client, url = capture
    assert "client_key" in client.post(url, data=capture_entry(client_key=""), headers=JSON).json["errors"]
    assert "client_key" in client.post(url, data=capture_entry(client_key="<script>"), headers=JSON).json["errors"]


def test_without_the_script_the_form_posts_and_comes_back(capture):
    client, url = capture
    page = client.get(url).get_data(as_text=True)
    key = page.split('name="client_key" type="hidden" value="')[1].split('"')[0]
    assert len(key) >= 16
    response = client.post(url, data=capture_entry(client_key=key))
    assert response.status_code == 302
    listing = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Courrier non trié" in listing.split('id="captured-list"')[1]
    refused = client.post(url, data=capture_entry(client_key=key + "b", title=""))
    assert refused.status_code == 422
    assert 'value="accueil"' in refused.get_data(as_text=True)  # what was typed stays


def test_the_capture_page_uses_an_external_script_only(capture):
    client, url = capture
    page = client.get(url).get_data(as_text=True)
    assert '<script src="/static/capture/capture.js"></script>' in page
    assert "<script>" not in page
    assert client.get("/static/capture/capture.js").status_code == 200


def test_the_capture_page_opens_on_the_workshops_theme_already_chosen(capture, world, db):
    client, url = capture
    world.own_workshop.themes = ["rh", "citoyens"]
    db.add(world.own_workshop)
    db.flush()
    menu = client.get(url).get_data(as_text=True).split('name="theme"')[1].split("</select>")[0]
    assert '<option selected value="rh">' in menu and menu.count("selected") == 1
