"""The steering committee's decisions: recorded by the team, read in a log (and as CSV) by the committee."""

from __future__ import annotations

import html
import re

from sqlmodel import select

from hub.core.models import AuditEntry
from irritants.models import Decision, DecisionIrritant, Irritant
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


def _ai_recommended(db, world):
    """An irritant worth 3,000 h a year where the AI option clearly beats the frugal one."""
    irritant = factories.irritant(db, world.programme, world.own, status="scored", occurrences_per_month=100,
                                  minutes_per_occurrence=30, agents_affected=5, evidence_level=2, actionability=2)
    frugal = factories.option(db, irritant, label="Formation courte", reduction_pct=10)
    ai = factories.option(db, irritant, family="ia_generative", label="Assistant de rédaction", reduction_pct=60)
    db.commit()
    assert irritant.recommended_family == "ia_generative"
    return irritant, frugal, ai


def _kept(db, irritant, rationale):
    decision = db.exec(select(Decision).where(Decision.rationale == rationale)).one()
    link = db.exec(select(DecisionIrritant).where(DecisionIrritant.decision_id == decision.id,
                                                  DecisionIrritant.irritant_id == irritant.id)).one()
    return link.remedy_option_id


def test_a_decision_keeps_the_option_its_kind_engages(client_as, world, db):
    # The world's irritant (120 h a year) is recommended its frugal option: an AI pilot on it keeps the best
    # AI option that nothing blocks, not a prohibited one worth more, nor the frugal one.
    assistant = factories.option(db, world.own_irritant, family="ia_generative", label="Assistant", reduction_pct=50)
    factories.option(db, world.own_irritant, family="ia_specialisee", label="Notation", reduction_pct=90,
                     ai_act_class="prohibited")
    db.commit()
    assert world.own_irritant.recommended_family == "formation"
    client = client_as("facilitator")
    for kind, rationale, expected in (("ai_pilot", "Pilote malgré tout", assistant.id),
                                      ("frugal_action", "Frugal d'abord", world.own_option.id),
                                      ("mutualise", "À l'échelle régionale", world.own_option.id),
                                      ("defer", "Attendre", None), ("drop", "Abandon", None)):
        assert _decide(client, world.own_irritant, kind=kind, rationale=rationale).status_code == 302
        assert _kept(db, world.own_irritant, rationale) == expected, kind
    irritant, frugal, ai = _ai_recommended(db, world)
    assert _decide(client, irritant, kind="ai_pilot", rationale="Suivre la méthode").status_code == 302
    assert _decide(client, irritant, kind="frugal_action", rationale="Former d'abord").status_code == 302
    assert _kept(db, irritant, "Suivre la méthode") == ai.id
    assert _kept(db, irritant, "Former d'abord") == frugal.id


def test_a_group_decision_keeps_each_member_s_recommended_option(client_as, world, db):
    client = client_as("facilitator")
    client.post(f"/groupes/{world.group.id}/statut", data={"status": "confirmed"})
    prefix = f"g{world.group.id}"
    data = {f"{prefix}-kind": "mutualise", f"{prefix}-decided_on": "15/10/2024",
            f"{prefix}-rationale": "Une formation régionale", f"{prefix}-owner": "ARNia"}
    assert client.post(f"/groupes/{world.group.id}/decisions", data=data).status_code == 302
    assert _kept(db, world.own_irritant, "Une formation régionale") == world.own_option.id
    assert _kept(db, world.foreign_irritant, "Une formation régionale") == world.foreign_option.id


def _selected_kind(page: str) -> str:
    select_html = page.split('name="kind"')[1].split("</select>")[0]
    return re.search(r'<option selected value="([a-z_]+)"', select_html).group(1)


def test_the_decision_form_starts_from_the_recommendation(client_as, world, db):
    client = client_as("facilitator")
    irritant, _frugal, _ai = _ai_recommended(db, world)
    bare = factories.irritant(db, world.programme, world.own, status="scored")
    db.commit()
    assert _selected_kind(client.get(f"/irritants/{irritant.id}").get_data(as_text=True)) == "ai_pilot"
    assert _selected_kind(client.get(f"/irritants/{world.own_irritant.id}").get_data(as_text=True)) == "frugal_action"
    bare_menu = client.get(f"/irritants/{bare.id}").get_data(as_text=True).split('name="kind"')[1].split("</select>")[0]
    assert "<option selected" not in bare_menu  # no option studied, no answer yet: no kind chosen for the team


def test_a_departure_from_the_recommendation_is_marked_with_its_rationale(client_as, world, db):
    factories.option(db, world.own_irritant, family="ia_generative", label="Assistant", reduction_pct=50)
    db.commit()
    client = client_as("facilitator")
    _decide(client, world.own_irritant, kind="ai_pilot", rationale="Le service veut tester l'outil")
    _decide(client, world.foreign_irritant, kind="frugal_action", rationale="Former les agents")
    mark = "S'écarte de la recommandation : la méthode recommande « Formation »."
    log = html.unescape(client_as("steering").get(f"/programmes/{world.programme.slug}/decisions")
                        .get_data(as_text=True))
    assert f"{mark}</strong> Le service veut tester l'outil" in log
    assert log.count("S'écarte de la recommandation") == 1  # the frugal action follows the method
    page = html.unescape(client.get(f"/irritants/{world.own_irritant.id}").get_data(as_text=True))
    assert f"{mark} Le service veut tester l'outil" in page
    assert "S'écarte" not in html.unescape(client.get(f"/irritants/{world.foreign_irritant.id}")
                                            .get_data(as_text=True))


def test_deleting_a_kept_option_leaves_no_dangling_id(client_as, world, db):
    irritant, _frugal, ai = _ai_recommended(db, world)
    client = client_as("facilitator")
    _decide(client, irritant, kind="ai_pilot", rationale="Suivre la méthode")
    link = db.exec(select(DecisionIrritant).where(DecisionIrritant.irritant_id == irritant.id)).one()
    ai_id, link_id = ai.id, link.id
    assert link.remedy_option_id == ai_id
    assert client.post(f"/irritants/{irritant.id}/options/{ai_id}/suppression").status_code == 302
    db.expire_all()
    assert db.get(DecisionIrritant, link_id).remedy_option_id is None
    audited = db.exec(select(AuditEntry).where(AuditEntry.table_name == "decision_irritant",
                                               AuditEntry.row_id == link_id, AuditEntry.action == "update")).all()
    assert any(entry.changes.get("remedy_option_id") == [ai_id, None] for entry in audited)
