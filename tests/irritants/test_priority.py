"""Stored answers: the priority is the recommended value, one order everywhere, recomputed with the parameters."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlmodel import select

from exports.annexes import collectivity_annexes
from exports.assembly import assemble_report
from hub.core.models import AuditEntry
from irritants import answers, boards, scoring, service
from irritants.method_parameters import DEFAULT_PARAMETERS, RISKS
from irritants.models import UNSCORED_PRIORITY, Irritant, ScoringParameters
from tests import factories
from tests.sql_statements import statements_run

# 60 times a month × 12 × 25 min / 60 × 2 agents = 600 h a year; × 30 €/h = 18,000 € a year.
BIG = {"occurrences_per_month": 60, "minutes_per_occurrence": 25, "agents_affected": 2, "evidence_level": 2,
       "actionability": 2}
FILING_PLAN = {"family": "outil_classique", "label": "Plan de classement", "reduction_pct": 50, "one_off_cost": 1500}


def _big(db, world, title: str, ai_reduction: float, **values) -> Irritant:
    irritant = factories.irritant(db, world.programme, world.own, title=title, **{**BIG, **values})
    factories.option(db, irritant, **FILING_PLAN)  # 0.5 × 18,000 − 1,500 / 3 = 8,500 €
    factories.option(db, irritant, family="ia_specialisee", label="Recherche sémantique", reduction_pct=ai_reduction,
                     one_off_cost=3000, recurring_cost=500)
    return irritant


# This file pins the priority rule with round figures: delivery risks (pinned in test_scoring) are neutral here.
NEUTRAL_DELIVERY = {key: 1.0 for key in RISKS if key.startswith("delivery_")}


@pytest.fixture(autouse=True)
def neutral_delivery(db, world):
    """The programme's parameters with every delivery risk at 1, so that the worked figures below stay round."""
    answers.save_parameters(db, programme_id=world.programme.id, values=dict(NEUTRAL_DELIVERY),
                            note="Risques de mise en œuvre neutres", by_user_id=None)
    db.commit()


def _parameters(**values) -> dict:
    """The parameters form as the admin posts it: every default, in French, delivery risks neutral."""
    data = {name: str(value).replace(".", ",") for name, value in {**DEFAULT_PARAMETERS, **NEUTRAL_DELIVERY}.items()}
    data.update(note="Nouveaux paramètres", **values)
    return data


def test_the_priority_is_the_recommended_value_not_the_best_value_of_any_option(db, world):
    # Not qualified (evidence 1): frugal first, 8,500 €, although its AI option is worth 0.9 × 18,000 − 1,500 =
    # 14,700 € (the stake). Qualified: AI at 0.7 × 18,000 − 1,500 = 11,100 € ≥ 1.25 × 8,500 = 10,625 €.
    unqualified = _big(db, world, "Non qualifié", 90, evidence_level=1)
    qualified = _big(db, world, "Qualifié", 70)
    assert (unqualified.priority_value, unqualified.recommended_family) == (8500, "outil_classique")
    assert (qualified.priority_value, qualified.recommended_family) == (11100, "ia_specialisee")
    page = service.irritant_page(db, filters=service.IrritantFilters(programme_id=world.programme.id),
                                 number=1, size=10)
    assert [irritant.title for irritant, _name in page.items][:2] == ["Qualifié", "Non qualifié"]
    # The stake stays available, named as such, apart from the priority.
    _version, params = answers.parameters(db, programme_id=world.programme.id)
    answer = answers.assess(unqualified, service.options(db, irritant_id=unqualified.id), params)
    assert answer.stake == 14700 and answer.value == 8500


def test_reformulate_has_no_priority(db, world):
    irritant = factories.irritant(db, world.programme, world.own, title="Rien ne vaut")
    factories.option(db, irritant, family="ia_generative", label="Assistant", reduction_pct=0, one_off_cost=0)
    assert irritant.recommended_family == scoring.REFORMULATE
    assert irritant.priority_value is None and irritant.priority_sort == UNSCORED_PRIORITY


def test_one_order_everywhere_priority_then_hours_then_the_newest(db, world):
    # 1,800 € each: 240 h × 30 € × 25 %, and 120 h × 30 € × 50 % (twice). More hours first, then the newest.
    more_hours = factories.irritant(db, world.programme, world.own, title="Plus d'heures", occurrences_per_month=20)
    factories.option(db, more_hours, reduction_pct=25)
    older = factories.irritant(db, world.programme, world.own, title="Plus ancien")
    factories.option(db, older, reduction_pct=50)
    newer = factories.irritant(db, world.programme, world.own, title="Plus récent")
    factories.option(db, newer, reduction_pct=50)
    db.commit()
    assert more_hours.priority_value == older.priority_value == newer.priority_value == 1800
    expected = ["Plus d'heures", "Plus récent", "Plus ancien"]
    page = service.irritant_page(db, filters=service.IrritantFilters(programme_id=world.programme.id),
                                 number=1, size=10)
    assert [irritant.title for irritant, _name in page.items][:3] == expected
    columns, _counts, _names = boards.board(db, filters=boards.BoardFilters(programme_id=world.programme.id))
    assert [irritant.title for irritant in columns["identified"]][:3] == expected
    top = assemble_report(db, world.programme, annexes=False)["recommendations"]["top"]
    assert [row["title"] for row in top][:3] == expected  # today: the oldest before the newest
    annex = next(a for a in collectivity_annexes(db, world.programme) if a["slug"] == world.own.slug)
    assert [row["title"] for row in annex["irritants"]["rows"]][:3] == expected


def test_new_parameters_recompute_every_stored_answer_in_the_same_transaction(client_as, db, world):
    # At 30 €/h and a 25 % margin, AI (0.75 × 18,000 − 500 − 1,000 = 12,000 €) beats 1.25 × 8,500 = 10,625 €.
    irritant = _big(db, world, "Bascule", 75)
    db.commit()
    assert (irritant.recommended_family, irritant.priority_value) == ("ia_specialisee", 12000)
    # A 50 % margin asks 12,750 €: frugal first. At 40 €/h: 0.5 × 24,000 − 500 = 11,500 € against
    # 1.5 × 11,500 = 17,250 € for AI (0.75 × 24,000 − 1,500 = 16,500 €).
    url = f"/programmes/{world.programme.slug}/parametres"
    assert client_as("admin").post(url, data=_parameters(margin="0,5", loaded_hourly_cost="40")).status_code == 302
    db.expire_all()
    saved = db.get(Irritant, irritant.id)
    assert (saved.recommended_family, saved.priority_value, saved.priority_sort) == ("outil_classique", 11500, 11500)
    # Every irritant of the programme, stored as the method answers under the new parameters.
    _version, params = answers.parameters(db, programme_id=world.programme.id)
    for row in db.exec(select(Irritant).where(Irritant.programme_id == world.programme.id)):
        assert {name: getattr(row, name) for name in ("hours_per_year", "priority_value", "recommended_family")} == {
            name: value for name, value in answers.stored_answer(
                row, service.options(db, irritant_id=row.id), params).items() if name != "priority_sort"}
    # The report's counts by family (stored) and its top list (recomputed) now agree.
    data = assemble_report(db, world.programme, annexes=False)["recommendations"]
    assert data["by_family"] == Counter(row["family"] for row in data["top"])
    # The change itself is what the audit log holds: the new parameters version.
    assert db.exec(select(AuditEntry).where(AuditEntry.table_name == "scoring_parameters")).all()


def test_recomputing_refreshes_objects_already_loaded_in_the_session(db, world):
    irritant = _big(db, world, "Déjà chargé", 75)
    assert irritant.priority_value == 12000
    answers.save_parameters(db, programme_id=world.programme.id, values={"margin": 0.5, **NEUTRAL_DELIVERY},
                            note="Marge", by_user_id=None)
    assert (irritant.recommended_family, irritant.priority_value) == ("outil_classique", 8500)
    irritant.title = "Renommé"
    db.flush()  # reloaded with the version the bulk UPDATE bumped: no stale write


def test_the_recompute_makes_the_same_number_of_queries_whatever_the_number_of_irritants(connection, db, world):
    def queries(margin: float) -> int:
        with statements_run(connection) as statements:
            answers.save_parameters(db, programme_id=world.programme.id, values={"margin": margin, **NEUTRAL_DELIVERY},
                                    note="Marge",
                                    by_user_id=None)
        return len(statements)

    for n in range(2):
        _big(db, world, f"Petit {n}", 75)
    small = queries(0.5)
    for n in range(25):
        _big(db, world, f"Grand {n}", 75)
    assert queries(0.25) == small  # every irritant changes back, in one bulk UPDATE
    assert small <= 8


def test_the_parameters_form_refuses_values_the_method_cannot_use(client_as, db, world):
    url = f"/programmes/{world.programme.slug}/parametres"
    client = client_as("admin")
    for field, value, message in (
            ("energy_wh_per_request", "-1", "Entre 0 et 1 000 Wh."),
            ("co2e_g_per_request", "1001", "Entre 0 et 1 000 g CO2e."),
            ("risk_no_review", "0", "Une part entre 0 (exclu) et 1."),
            ("delivery_formation", "1,5", "Une part entre 0 (exclu) et 1."),
            ("discount_rate", "0,5", "Une part entre 0 et 0,2."),
            ("horizon_months", "300", "Entre 0 et 240 mois."),
            ("coordination_cost_per_member", "-1", "Un montant entre 0 et 1 000 000 €."),
            ("discount_source", "", "Citez la source du taux d&#39;actualisation."),
            ("risk_sensitive_data", "0,9", "Des données sensibles ne peuvent pas être jugées moins risquées"),
            ("risk_public_unreviewed", "0,95", "Un texte publié sans relecture ne peut pas être jugé moins risqué"),
            ("margin", "1,5", "Une part entre 0 et 1."),
            ("margin", "-0,1", "Une part entre 0 et 1."),
            ("amortisation_years", "0", "Entre 1 et 20 ans."),
            ("loaded_hourly_cost", "0", "Entre 1 et 1 000 €."),
            ("major_threshold_hours", "-1", "Un nombre d&#39;heures."),
            ("high_value_threshold_hours", "-1", "Un nombre d&#39;heures.")):
        response = client.post(url, data=_parameters(**{field: value}))
        assert response.status_code == 422, (field, value)
        assert message in response.get_data(as_text=True), (field, value)
    assert len(db.exec(select(ScoringParameters)).all()) == 1  # only the fixture's version
    # The limits themselves are allowed; an energy of 0 too, since nothing divides by it any more.
    assert client.post(url, data=_parameters(margin="1", energy_wh_per_request="0", co2e_g_per_request="0",
                                             risk_no_review="1", discount_rate="0,2")).status_code == 302
