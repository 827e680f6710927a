"""The steering committee's decisions: recorded by the team, read in a log (and as CSV) by the committee."""

from __future__ import annotations

from sqlmodel import select

from irritants.models import Decision, Irritant
from tests import factories


def _decide(client, irritant, **values):
    data = {"kind": "frugal_action", "decided_on": "15/10/2024", "rationale": "Plan de classement d'abord",
            "owner": "Direction générale des services"}
    data.update(values)
    return client.post(f"/irritants/{irritant.id}/decisions", data=data)


def test_the_team_records_a_decision_that_moves_a_scored_irritant(client_as, world, db):
    irritant = factories.irritant(db, world.programme, world.own, status="scored")
    db.commit()
    assert _decide(client_as("facilitator"), irritant).status_code == 302
    decision = db.exec(select(Decision).where(Decision.rationale == "Plan de classement d'abord")).one()
    assert (decision.kind, decision.decided_on.isoformat()) == ("frugal_action", "2024-10-15")
    assert decision.parameters_version == 0
    db.expire_all()
    assert db.get(Irritant, irritant.id).status == "decided"


def test_a_decision_needs_its_rationale_and_owner(client_as, world):
    response = _decide(client_as("facilitator"), world.own_irritant, rationale="", owner="")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Résumez la justification de la décision." in page and "Nommez qui porte la décision" in page


def test_the_committee_reads_the_log_and_the_referent_sees_their_decisions(client_as, world, db):
    _decide(client_as("facilitator"), world.own_irritant)
    _decide(client_as("facilitator"), world.foreign_irritant, kind="defer", rationale="Attendre le budget 2025")
    log = client_as("steering").get(f"/programmes/{world.programme.slug}/decisions").get_data(as_text=True)
    assert "Engager une action frugale" in log and "Reporter" in log
    only_defer = client_as("steering").get(f"/programmes/{world.programme.slug}/decisions?kind=defer")
    assert "Attendre le budget 2025" in only_defer.get_data(as_text=True)
    assert "Plan de classement d&#39;abord" not in only_defer.get_data(as_text=True)
    page = client_as("participant").get(f"/irritants/{world.own_irritant.id}").get_data(as_text=True)
    assert "Engager une action frugale" in page and "Enregistrer une décision du comité" not in page
    collectivity = client_as("participant").get(f"/collectivites/{world.own.id}").get_data(as_text=True)
    assert "Plan de classement d&#39;abord" in collectivity and "Attendre le budget" not in collectivity


def test_the_log_downloads_as_excel_friendly_csv_with_formulas_neutralised(client_as, world):
    _decide(client_as("facilitator"), world.own_irritant, rationale="=SOMME(A1:A9)")
    response = client_as("steering").get(f"/programmes/{world.programme.slug}/decisions?format=csv",
                                         follow_redirects=True)
    text = response.data.decode("utf-8")
    assert response.mimetype == "text/csv" and text.startswith("\ufeffDate du comité;Décision;")
    assert ";'=SOMME(A1:A9);" in text
