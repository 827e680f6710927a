"""On-site capture: each entry recorded exactly once, French messages returned to the form."""

from __future__ import annotations

from sqlmodel import select

from hub.core.models import AuditEntry
from irritants.models import Irritant

JSON = {"Accept": "application/json"}


def _entry(**values):
    data = {"client_key": "cle-de-test-0001", "kind": "irritant", "title": "Courrier non trié", "service": "accueil",
            "theme": "classement", "description": "", "wish": "", "occurrences_per_month": "40",
            "minutes_per_occurrence": "5", "agents_affected": "2", "evidence_level": "2"}
    data.update(values)
    return data


def test_the_same_client_key_twice_creates_one_irritant(client_as, world, db):
    client = client_as("facilitator")
    url = f"/ateliers/{world.own_workshop.id}/saisie"
    first = client.post(url, data=_entry(), headers=JSON)
    again = client.post(url, data=_entry(title="Titre modifié"), headers=JSON)
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


def test_each_field_is_checked_with_a_french_message(client_as, world, db):
    response = client_as("facilitator").post(
        f"/ateliers/{world.own_workshop.id}/saisie", headers=JSON,
        data=_entry(title="", service="", minutes_per_occurrence="2000", agents_affected="0", theme="inconnu"))
    assert response.status_code == 422
    errors = response.json["errors"]
    assert "Donnez un intitulé court à l'irritant." in errors["title"]
    assert "Indiquez le service concerné." in errors["service"]
    assert "Entre 0 et 1 440 minutes (une journée)." in errors["minutes_per_occurrence"]
    assert "Au moins un agent, au plus 100 000." in errors["agents_affected"]
    assert "theme" in errors
    assert db.exec(select(Irritant).where(Irritant.client_key == "cle-de-test-0001")).first() is None


def test_a_missing_or_odd_key_is_refused(client_as, world):
    url = f"/ateliers/{world.own_workshop.id}/saisie"
    client = client_as("facilitator")
    assert "client_key" in client.post(url, data=_entry(client_key=""), headers=JSON).json["errors"]
    assert "client_key" in client.post(url, data=_entry(client_key="<script>"), headers=JSON).json["errors"]


def test_without_the_script_the_form_posts_and_comes_back(client_as, world, db):
    client = client_as("facilitator")
    page = client.get(f"/ateliers/{world.own_workshop.id}/saisie").get_data(as_text=True)
    key = page.split('name="client_key" type="hidden" value="')[1].split('"')[0]
    assert len(key) >= 16
    response = client.post(f"/ateliers/{world.own_workshop.id}/saisie", data=_entry(client_key=key))
    assert response.status_code == 302
    listing = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Courrier non trié" in listing.split('id="captured-list"')[1]
    refused = client.post(f"/ateliers/{world.own_workshop.id}/saisie", data=_entry(client_key=key + "b", title=""))
    assert refused.status_code == 422
    assert 'value="accueil"' in refused.get_data(as_text=True)  # what was typed stays


def test_the_capture_page_uses_an_external_script_only(client_as, world):
    page = client_as("facilitator").get(f"/ateliers/{world.own_workshop.id}/saisie").get_data(as_text=True)
    assert '<script src="/static/capture/capture.js"></script>' in page
    assert "<script>" not in page
    assert client_as("facilitator").get("/static/capture/capture.js").status_code == 200
