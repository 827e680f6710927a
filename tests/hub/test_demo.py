"""``hub demo`` loads ARNia's programme once, refuses real databases, and scales up on request."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import select

from hub.app.demo import national
from hub.app.demo.arnia import COLLECTIVITIES, FINDINGS
from hub.core.auth import authenticate
from hub.core.models import AuditEntry, Programme, User
from irritants import answers
from irritants.models import Irritant
from participants.models import Collectivity, Enrolment
from tests import factories
from workshops.models import HypothesisTest, Workshop

ENV = {"HUB_DEMO_PASSWORD": "mot-de-passe-demo"}


def _counts(db) -> dict:
    return {model.__name__: db.exec(select(sa.func.count()).select_from(model)).one()
            for model in (Programme, Collectivity, Workshop, Irritant, User, AuditEntry)}


def test_demo_loads_the_arnia_programme(runner, db):
    result = runner.invoke(args=["demo"], env=ENV)
    assert result.exit_code == 0, result.output
    programme = db.exec(select(Programme).where(Programme.slug == "experimentation-ia-2024-bfc")).one()
    assert programme.name == "Expérimentation IA 2024 — Bourgogne-Franche-Comté"
    assert programme.launch_place == "Mâcon" and programme.launch_date.isoformat() == "2024-04-12"
    enrolled = db.exec(select(Collectivity).join(Enrolment, Enrolment.collectivity_id == Collectivity.id)
                       .where(Enrolment.status == "enrolled", Enrolment.programme_id == programme.id)).all()
    assert {c.name for c in enrolled} == {row[0] for row in COLLECTIVITIES} and len(enrolled) == 9
    assert {c.departement_code for c in enrolled} == {"21", "58", "71", "89"}
    assert {c.kind for c in enrolled} == {"commune", "epci", "syndicat_mixte"}
    refused = db.exec(select(Collectivity).join(Enrolment, Enrolment.collectivity_id == Collectivity.id)
                      .where(Enrolment.status == "not_selected")).all()
    assert len(refused) == 3 and all("fictive" in c.name or "imaginaire" in c.name for c in refused)
    irritants = db.exec(select(Irritant)).all()
    assert 40 <= len(irritants) <= 60
    assert len(irritants) == sum(len(kinds) for kinds in FINDINGS.values())
    assert all(i.is_demo for i in irritants)
    workshops = db.exec(select(Workshop).where(Workshop.programme_id == programme.id)).all()
    assert len(workshops) == 9 and all(w.status == "published" and w.agents_met and w.services for w in workshops)
    assert all(date(2024, 5, 1) <= w.held_on <= date(2024, 7, 31) for w in workshops)
    tested = [len(db.exec(select(HypothesisTest).where(HypothesisTest.workshop_id == w.id)).all()) for w in workshops]
    assert all(3 <= n <= 5 for n in tested)


def test_demo_has_a_second_programme_with_a_planned_workshop(runner, db):
    runner.invoke(args=["demo"], env=ENV)
    second = db.exec(select(Programme).where(Programme.slug == "experimentation-ia-2027-demo")).one()
    assert "fictif" in second.name
    planned = db.exec(select(Workshop).where(Workshop.programme_id == second.id)).one()
    assert planned.status == "planned"


def test_demo_accounts_use_the_given_password(runner, db):
    runner.invoke(args=["demo"], env=ENV)
    for email in ("admin@demo.hub", "equipe@demo.hub", "comite@demo.hub", "referent.chalon-sur-saone@demo.hub",
                  "referent.nievre-numerique@demo.hub"):
        assert authenticate(db, email, ENV["HUB_DEMO_PASSWORD"]) is not None, email
    referent = db.exec(select(User).where(User.email == "referent.cheroy@demo.hub")).one()
    assert db.get(Collectivity, referent.scope_collectivity_id).name == "Chéroy"


def test_demo_generates_and_prints_a_password_when_none_is_given(runner, db, monkeypatch):
    monkeypatch.delenv("HUB_DEMO_PASSWORD", raising=False)
    result = runner.invoke(args=["demo"])
    password = result.output.split("Mot de passe de démonstration : ")[1].split()[0]
    assert authenticate(db, "admin@demo.hub", password) is not None
    again = runner.invoke(args=["demo"])
    assert password in again.output  # the same one, kept under instance/


def test_demo_is_idempotent(runner, db):
    runner.invoke(args=["demo"], env=ENV)
    first = _counts(db)
    result = runner.invoke(args=["demo"], env=ENV)
    assert result.exit_code == 0
    assert "déjà présent" in result.output
    assert _counts(db) == first


def test_demo_refuses_a_database_with_real_data(runner, db):
    factories.programme(db)
    db.commit()
    result = runner.invoke(args=["demo"], env=ENV)
    assert result.exit_code != 0
    assert "données réelles" in result.output


def test_national_scale_adds_a_synthetic_programme(runner, db, monkeypatch):
    # The full size (2,000 / 6,000 / 100,000) is loaded by bench/pages.py; the same code runs here smaller.
    monkeypatch.setattr(national, "COLLECTIVITIES", 30)
    monkeypatch.setattr(national, "IRRITANTS", 600)
    monkeypatch.setattr(national, "BATCH", 250)
    result = runner.invoke(args=["demo", "--scale", "national"], env=ENV)
    assert result.exit_code == 0, result.output
    programme = db.exec(select(Programme).where(Programme.slug == national.SLUG)).one()
    assert db.exec(select(sa.func.count(Irritant.id)).where(Irritant.programme_id == programme.id)).one() == 600
    assert db.exec(select(sa.func.count(Workshop.id)).where(Workshop.programme_id == programme.id)).one() == 90
    assert authenticate(db, national.REFERENT_EMAIL, ENV["HUB_DEMO_PASSWORD"]).scope_collectivity_id is not None
    again = runner.invoke(args=["demo", "--scale", "national"], env=ENV)
    assert again.exit_code == 0
    assert db.exec(select(sa.func.count(Irritant.id)).where(Irritant.programme_id == programme.id)).one() == 600


def test_national_scale_stores_the_method_s_answers(runner, db, monkeypatch):
    # Each live irritant has its kind's options, and its stored priority and family are the method's:
    # recomputing them (as a change of parameters does) finds nothing to change.
    from irritants.models import RemedyOption

    monkeypatch.setattr(national, "COLLECTIVITIES", 30)
    monkeypatch.setattr(national, "IRRITANTS", 600)
    monkeypatch.setattr(national, "BATCH", 250)
    assert runner.invoke(args=["demo", "--scale", "national"], env=ENV).exit_code == 0
    programme = db.exec(select(Programme).where(Programme.slug == national.SLUG)).one()
    live = db.exec(select(Irritant).where(Irritant.programme_id == programme.id,
                                          Irritant.status.not_in(("proposed", "rejected")))).all()
    options = db.exec(select(RemedyOption.irritant_id).join(Irritant, Irritant.id == RemedyOption.irritant_id)
                      .where(Irritant.programme_id == programme.id)).all()
    assert set(options) == {irritant.id for irritant in live}
    assert any(irritant.recommended_family == "ia_generative" for irritant in live)
    assert answers.recompute_programme(db, programme_id=programme.id) == 0


def test_create_user_asks_the_password_twice_and_ties_a_referent(runner, world, db):
    result = runner.invoke(args=["create-user", "--email", "Nouvelle@Lormes.fr", "--role", "participant",
                                 "--collectivity", world.foreign.slug],
                           input="un mot de passe long\nun mot de passe long\n")
    assert result.exit_code == 0, result.output
    user = authenticate(db, "nouvelle@lormes.fr", "un mot de passe long")
    assert user is not None and user.scope_collectivity_id == world.foreign.id


def test_create_user_refuses_a_short_password_and_a_referent_without_collectivity(runner, world, db):
    short = runner.invoke(args=["create-user", "--email", "a@b.fr", "--role", "admin"], input="court\ncourt\n")
    assert "au moins 12 caractères" in short.output
    orphan = runner.invoke(args=["create-user", "--email", "c@d.fr", "--role", "participant"],
                           input="un mot de passe long\nun mot de passe long\n")
    assert orphan.exit_code != 0 and "rattaché à une collectivité" in orphan.output
    assert db.exec(select(User).where(User.email.in_(["a@b.fr", "c@d.fr"]))).all() == []


def test_demo_shows_the_method_at_work(app, runner, db):
    from irritants import service as irritant_service
    from irritants.models import Decision
    from irritants.robustness import robustness

    runner.invoke(args=["demo"], env=ENV)
    programme = db.exec(select(Programme).where(Programme.slug == "experimentation-ia-2024-bfc")).one()
    irritants = db.exec(select(Irritant).where(Irritant.programme_id == programme.id)).all()
    families = {i.recommended_family for i in irritants}
    assert {"ia_generative", "outil_classique"} <= families  # AI where the value is very high, frugal elsewhere
    reviews = [i for i in irritants if i.title == "Réponses aux avis en ligne des usagers"]
    assert any(i.recommended_family == "ia_generative" and i.hours_per_year >= 300 for i in reviews)
    with app.app_context():
        _version, params = answers.parameters(db, programme_id=programme.id)
        verdicts = [robustness(*answers.method_inputs(i, irritant_service.options(db, irritant_id=i.id)),
                               params) for i in irritants if i.recommended_family]
    assert any(not v.robust for v in verdicts)
    unqualified = [i for i in irritants if i.status == "identified" and i.evidence_level < 2]
    assert unqualified  # not qualified, for a visible reason
    decisions = db.exec(select(Decision).where(Decision.programme_id == programme.id)).all()
    assert decisions and all(d.decided_on == date(2024, 10, 15) for d in decisions)
    assert {d.kind for d in decisions} >= {"ai_pilot", "frugal_action"}
    from irritants.models import MutualGroup, MutualGroupMember

    confirmed = db.exec(select(MutualGroup).where(MutualGroup.programme_id == programme.id,
                                                  MutualGroup.status == "confirmed")).all()
    spans = [len(set(db.exec(select(MutualGroupMember.collectivity_id)
                             .where(MutualGroupMember.group_id == g.id)).all())) for g in confirmed]
    assert max(spans) >= 3  # "finding old arrêtés" in 6 of 9


def test_demo_has_a_year_of_uneven_adoption(app, runner, db):
    from participants.models import UsageMonth
    from participants.usage import adoption_table

    runner.invoke(args=["demo"], env=ENV)
    programme = db.exec(select(Programme).where(Programme.slug == "experimentation-ia-2024-bfc")).one()
    assert len(db.exec(select(UsageMonth).where(UsageMonth.programme_id == programme.id)).all()) == 9 * 12
    from participants.adoption import is_falling

    _calendar, names, per_collectivity, totals = adoption_table(db, programme=programme)
    falling = [names[cid] for cid, rows in per_collectivity.items() if is_falling(rows)]
    assert falling == ["Lormes"]
    assert totals[0].month == date(2024, 9, 1) and all(m.rate is not None for m in totals)
    from participants.surveys import summaries

    waves = summaries(db, programme_id=programme.id)
    assert [w.wave.audience for w in waves] == ["agents", "users"]
    assert any(r.respondents < 10 for w in waves for r, _name in w.results)  # a small sample shows as such
    from irritants.impact import summaries as impact_summaries

    measures, saved = impact_summaries(db, programme_id=programme.id)
    assert len(measures) == 3 and {m.latest.nature for m in measures} == {"measured", "self_reported"}
    assert saved.measured > 0 and saved.self_reported > 0


def _arnia(runner, db) -> Programme:
    result = runner.invoke(args=["demo"], env=ENV)
    assert result.exit_code == 0, result.output
    return db.exec(select(Programme).where(Programme.slug == "experimentation-ia-2024-bfc")).one()


def test_demo_figures_are_the_sources(runner, db):
    from irritants.impact import summaries as impact_summaries
    from participants.surveys import summaries as survey_summaries

    programme = _arnia(runner, db)
    measures = {m.measure.metric: m for m in impact_summaries(db, programme_id=programme.id)[0]}
    # Seed 003: the mean response time to citizens' reviews went from 7 days to 3, measured.
    delay = measures["Délai moyen de réponse aux avis des usagers"]
    assert (delay.measure.unit, delay.measure.baseline_value, delay.latest.value) == ("jours", 7, 3)
    assert [v.nature for v in delay.values] == ["measured"]
    assert db.get(Irritant, delay.measure.irritant_id).title == "Réponses aux avis en ligne des usagers"
    # Seed 003: 70 % of agents positive, 74 % of users satisfied.
    shares = {w.wave.audience: sum(r.positive for r, _n in w.results) / sum(r.respondents for r, _n in w.results)
              for w in survey_summaries(db, programme_id=programme.id)}
    assert {k: round(v * 100) for k, v in shares.items()} == {"agents": 70, "users": 74}
    # Seed 004: a 15 % HR saving estimated (self-reported, not measured) from an internal assistant.
    hr = measures["Temps RH consacré aux questions récurrentes"]
    irritant = db.get(Irritant, hr.measure.irritant_id)
    assert hr.option_label == "Assistant RH interne" and [v.nature for v in hr.values] == ["self_reported"]
    assert hr.measure.baseline_value == round(irritant.hours_per_year, 1)
    assert hr.latest.value == round(irritant.hours_per_year * 0.85, 1)
    assert hr.latest.hours_saved == round(irritant.hours_per_year * 0.15, 1)


def test_demo_decisions_follow_the_method_or_say_why_they_depart(runner, db):
    from hub.app.demo import arnia
    from irritants import decisions
    from irritants.models import Decision, DecisionIrritant, RemedyOption

    programme = _arnia(runner, db)
    rows = db.exec(select(Decision, DecisionIrritant, Irritant)
                   .join(DecisionIrritant, DecisionIrritant.decision_id == Decision.id)
                   .join(Irritant, Irritant.id == DecisionIrritant.irritant_id)
                   .where(Decision.programme_id == programme.id)).all()
    assert len(rows) >= 10
    departing = set()
    for decision, link, irritant in rows:
        if decisions.departs(decision.kind, irritant.recommended_family):
            departing.add((irritant.title, irritant.recommended_family))
            assert decision.rationale.startswith("La méthode ") and " mais " in decision.rationale
        else:
            assert decision.kind == decisions.recommended_kind(irritant.recommended_family), irritant.title
        if decision.kind in decisions.KIND_FAMILIES:
            kept = db.get(RemedyOption, link.remedy_option_id)
            assert kept.irritant_id == irritant.id and kept.family in decisions.KIND_FAMILIES[decision.kind]
    assert departing == set(arnia.DEPARTURES)


def test_demo_estimate_counts_each_followed_irritant_once(runner, db):
    from irritants.impact import add_measure
    from irritants.impact import summaries as impact_summaries
    from irritants.models import Decision

    programme = _arnia(runner, db)
    measures, before = impact_summaries(db, programme_id=programme.id)
    # Reviews (480 h, AI option −60 %: 288 h, followed by two metrics) + HR questions (540 h, −60 %: 324 h).
    assert before.estimated == 612
    reviews = next(m.measure for m in measures if m.measure.metric == "Délai moyen de réponse aux avis des usagers")
    for metric in ("Avis restés sans réponse", "Réponses reprises par un agent"):
        add_measure(db, decision=db.get(Decision, reviews.decision_id), irritant=db.get(Irritant, reviews.irritant_id),
                    metric=metric, unit="avis", baseline_value=10, baseline_on=date(2024, 11, 4), validated=True)
    _measures, after = impact_summaries(db, programme_id=programme.id)
    assert after == before  # was 374 → 950 before each irritant was counted once
