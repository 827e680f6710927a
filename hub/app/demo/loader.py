"""Loads the demo programme once; running it again changes nothing."""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from flask_babel import force_locale
from slugify import slugify
from sqlmodel import Session, select

from hub.app.demo import arnia
from hub.core.auth import create_user
from hub.core.models import Milestone, Programme, ProgrammeTheme, User
from hub.core.passwords import hash_password, matches
from hub.core.refusals import Refused
from irritants import mutual, scoring, similarity
from irritants import service as irritant_service
from irritants.decisions import recommended_kind, record_decision
from irritants.impact import add_measure, add_value
from irritants.models import Decision, DecisionIrritant, Irritant, IrritantEvent, MutualGroupMember, RemedyOption
from participants.adoption import months_between
from participants.models import Collectivity, Enrolment, EnrolmentEvent, SurveyResult, SurveyWave, ToolSeat, UsageMonth
from workshops import service_list
from workshops.models import Hypothesis, HypothesisTest, Workshop, WorkshopFacilitator

DEMO_DOMAIN = "demo.hub"
LIFE = ["identified", "qualified", "scored", "decided", "in_progress", "done"]


class DemoRefused(Refused):
    """The database holds real data; the demo must not be mixed into it."""


def demo_password(environ: dict, instance_path: Path) -> tuple[str, bool]:
    """``HUB_DEMO_PASSWORD``, else one generated once and kept under ``instance/``; and whether generated."""
    if environ.get("HUB_DEMO_PASSWORD"):
        return environ["HUB_DEMO_PASSWORD"], False
    path = instance_path / "demo_password"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(12))
        path.chmod(0o600)
    return path.read_text().strip(), True


def referent_email(collectivity_name: str) -> str:
    """The demo référent's address: ``referent.<slug>@demo.hub``."""
    return f"referent.{slugify(collectivity_name)}@{DEMO_DOMAIN}"


def ensure_only_demo_data(session: Session) -> None:
    """Refuse to run when any programme, collectivity or account is not demonstration data."""
    for model, what in ((Programme, "programme"), (Collectivity, "collectivité"), (User, "compte")):
        found = session.exec(select(model).where(model.is_demo == False)).first()  # noqa: E712
        if found is not None:
            raise DemoRefused(f"La base contient des données réelles (au moins un {what}) : "
                              "la démonstration ne se charge que dans une base vide ou de démonstration.")


# What the demo's team accounts were called before they had people's names: role labels, read as if a role acted.
ROLE_NAMES_OF_OLD = ("Responsable du programme", "Équipe projet", "Comité de pilotage")


def ensure_accounts(session: Session, password: str, collectivities: dict[str, Collectivity]) -> list[str]:
    """Create the demo accounts that are missing and give every one the demo password."""
    # People's names, invented: pages that name who facilitates or who did what show a person, not a role.
    wanted = [("admin@demo.hub", "admin", None, "Claire Vasseur"),
              ("equipe@demo.hub", "facilitator", None, "Julien Marchand"),
              ("comite@demo.hub", "steering", None, "Hélène Roussel")]
    wanted += [(referent_email(name), "participant", c.id, f"Référent {name}") for name, c in collectivities.items()]
    existing = {u.email: u for u in session.exec(select(User).where(User.email.like(f"%@{DEMO_DOMAIN}")))}
    for email, role, collectivity_id, full_name in wanted:
        user = existing.get(email)
        if user is None:
            create_user(session, email=email, password=password, role=role, full_name=full_name,
                        collectivity_id=collectivity_id, is_demo=True)
            continue
        if user.full_name in ROLE_NAMES_OF_OLD:  # a demo loaded before its accounts had people's names
            user.full_name = full_name
            session.add(user)
        if not matches(user.password_hash, password):
            user.password_hash = hash_password(password)
            session.add(user)
    session.flush()
    return [email for email, *_rest in wanted]


def load_arnia(session: Session) -> tuple[Programme, dict[str, Collectivity], bool]:
    """The ARNia programme with its collectivities, workshops and irritants; loaded only once."""
    programme = session.exec(select(Programme).where(Programme.slug == arnia.PROGRAMME["slug"])).first()
    if programme is not None:
        names = [row[0] for row in arnia.COLLECTIVITIES]
        found = session.exec(select(Collectivity).where(Collectivity.name.in_(names))).all()
        return programme, {c.name: c for c in found}, False
    programme = Programme(**arnia.PROGRAMME, is_demo=True)
    session.add(programme)
    session.flush()
    for kind, label, starts, ends in arnia.MILESTONES:
        session.add(Milestone(programme_id=programme.id, kind=kind, label=label, starts_on=starts, ends_on=ends))
    for code, label in arnia.THEMES:
        session.add(ProgrammeTheme(programme_id=programme.id, code=code, label=label))
    service_list.ensure(session, programme_id=programme.id, names_wanted=arnia.SERVICES)
    hypotheses = [Hypothesis(programme_id=programme.id, statement=s, theme=t) for s, t in arnia.HYPOTHESES]
    session.add_all(hypotheses)
    session.flush()
    collectivities = {}
    for index, row in enumerate(arnia.COLLECTIVITIES):
        collectivities[row[0]] = _load_collectivity(session, programme, hypotheses, index, row)
    for index, row in enumerate(arnia.NOT_SELECTED):
        _load_not_selected(session, programme, index, row)
    _load_decisions(session, programme)
    _load_groups(session, programme)
    _publish_mid_term_report(session, programme)
    # What happened after the mid-term committee: the published version 1 does not show it,
    # the live report and the comparison do.
    _load_usage(session, programme, collectivities)
    _load_impact(session, programme)
    _qualify_since_mid_term(session, programme)
    _load_next_programme(session, collectivities)
    return programme, collectivities, True


def _publish_mid_term_report(session, programme) -> None:
    """Version 1 of the report, as the mid-term committee received it."""
    from exports.service import render_version, request_publication

    version = request_publication(session, programme=programme, user_id=None, as_of=arnia.COMMITTEE_DAY)
    version.published_at = datetime.combine(arnia.COMMITTEE_DAY, time(9, 0), tzinfo=timezone.utc)
    session.commit()
    with force_locale("fr"):
        rendered = render_version(session, version_id=version.id)
    if rendered.status != "ready":
        raise DemoRefused(f"Le rapport de démonstration n'a pas pu être rendu : {rendered.error}")


def _qualify_since_mid_term(session, programme) -> None:
    """Two irritants qualified after the committee, with the evidence gathered since (invented)."""
    waiting = session.exec(select(Irritant).where(Irritant.programme_id == programme.id,
                                                  Irritant.status == "identified")
                           .order_by(Irritant.hours_per_year.desc(), Irritant.id).limit(2)).all()
    for irritant in waiting:
        irritant.evidence_level, irritant.actionability, irritant.status = 3, 3, "qualified"
        session.add(irritant)
        session.add(IrritantEvent(collectivity_id=irritant.collectivity_id, irritant_id=irritant.id,
                                  at=datetime(2024, 11, 18, 10, 0, tzinfo=timezone.utc), from_status="identified",
                                  to_status="qualified", note="Mesuré après le comité (exemple inventé)."))
    session.flush()


def _load_usage(session, programme, collectivities: dict[str, Collectivity]) -> None:
    """Seats from autumn 2024 and twelve months of use, one collectivity falling away."""
    months = months_between(arnia.TOOL_FROM, 12)
    for name, collectivity in collectivities.items():
        seats = max(5, min(20, (collectivity.population or 40000) // 5000))
        session.add(ToolSeat(programme_id=programme.id, collectivity_id=collectivity.id, seats=seats,
                             granted_on=arnia.TOOL_FROM))
        curve = arnia.FALLING_CURVE if name == arnia.FALLING_AWAY else arnia.ADOPTION_CURVE
        for month, share in zip(months, curve):
            active = round(share * seats)
            session.add(UsageMonth(programme_id=programme.id, collectivity_id=collectivity.id, month=month,
                                   active_users=active, requests=active * 25, source="imported", validated=True,
                                   use_cases={"redaction": active * 15, "resume": active * 10}))
    session.flush()
    _load_surveys(session, programme, collectivities)


def _load_surveys(session, programme, collectivities: dict[str, Collectivity]) -> None:
    """Two waves with the seed's shares (003): 70 % of agents positive in December 2024, 74 % of users in March 2025."""
    for label, audience, opened_on, share in (("Agents utilisateurs, décembre 2024", "agents", date(2024, 12, 2), 0.70),
                                              ("Usagers, mars 2025", "users", date(2025, 3, 3), 0.74)):
        wave = SurveyWave(programme_id=programme.id, label=label, audience=audience, opened_on=opened_on)
        session.add(wave)
        session.flush()
        # Small communes answer in small numbers: their shares are shown as resting on few answers.
        respondents = {name: max(4, min(60, (c.population or 30000) // 1500)) for name, c in collectivities.items()}
        for name, positive in _spread(respondents, share).items():
            session.add(SurveyResult(wave_id=wave.id, collectivity_id=collectivities[name].id,
                                     respondents=respondents[name], positive=positive, validated=True))
    session.flush()


def _spread(respondents: dict[str, int], share: float) -> dict[str, int]:
    """Positive answers per collectivity whose total is the wave's share (largest remainders), not each one rounded."""
    exact = {name: n * share for name, n in respondents.items()}
    positive = {name: int(value) for name, value in exact.items()}
    missing = round(sum(respondents.values()) * share) - sum(positive.values())
    for name in sorted(exact, key=lambda k: (positive[k] - exact[k], k))[:missing]:
        positive[name] += 1
    return positive


def _load_impact(session, programme) -> None:
    """Before and after on decided actions, with the seeds' figures (arnia.IMPACT_PLANS)."""
    links = session.exec(select(DecisionIrritant, Irritant).join(Irritant, Irritant.id == DecisionIrritant.irritant_id)
                         .where(Irritant.programme_id == programme.id).order_by(DecisionIrritant.id)).all()
    first = {}
    for link, irritant in links:
        first.setdefault(irritant.title, (link, irritant))
    for title, metric, unit, before, after, nature, saved_share in arnia.IMPACT_PLANS:
        link, irritant = first[title]
        hours = round(irritant.hours_per_year, 1)
        if before == "hours":  # a measure of the irritant's own hours a year: "after" is the share left
            before, after = hours, round(hours * after, 1)
        measure = add_measure(session, decision=session.get(Decision, link.decision_id), irritant=irritant,
                              metric=metric, unit=unit, baseline_value=before, baseline_on=date(2024, 11, 4),
                              validated=True)
        add_value(session, measure=measure, value=after, measured_on=date(2025, 3, 3), nature=nature,
                  hours_saved=round(hours * saved_share, 1) if saved_share is not None else None)


def _load_groups(session, programme) -> None:
    """Proposals from the text; the team has confirmed those spanning three collectivities or more."""
    for group in mutual.propose(session, programme_id=programme.id, threshold=similarity.DEFAULT_THRESHOLD):
        owners = session.exec(select(MutualGroupMember.collectivity_id)
                              .where(MutualGroupMember.group_id == group.id)).all()
        if len(set(owners)) >= 3:
            mutual.set_status(session, group=group, status="confirmed")


def _load_decisions(session, programme) -> None:
    """The mid-term committee's decisions: each follows the method, or says in its rationale why it departs."""
    decided = session.exec(select(Irritant).where(Irritant.programme_id == programme.id,
                                                  Irritant.status.in_(("decided", "in_progress", "done")))
                           .order_by(Irritant.id)).all()
    for irritant in decided:
        kind = recommended_kind(irritant.recommended_family)
        rationale = arnia.FOLLOWING_RATIONALES[kind]
        if (irritant.title, irritant.recommended_family) in arnia.DEPARTURES:
            kind, rationale = arnia.DEPARTURES[irritant.title, irritant.recommended_family]
        record_decision(session, programme_id=programme.id, kind=kind, decided_on=arnia.COMMITTEE_DAY,
                        owner="Direction générale des services", rationale=rationale, irritants=[irritant],
                        parameters_version=0, by_user_id=None)


def _load_next_programme(session, collectivities: dict[str, Collectivity]) -> None:
    programme = Programme(**arnia.NEXT_PROGRAMME, is_demo=True)
    session.add(programme)
    session.flush()
    session.add(Milestone(programme_id=programme.id, kind="workshops", label="Ateliers « vis ma vie » sur site",
                          starts_on=date(2027, 2, 1), ends_on=date(2027, 5, 31)))
    for code, label in arnia.THEMES:
        session.add(ProgrammeTheme(programme_id=programme.id, code=code, label=label))
    service_list.ensure(session, programme_id=programme.id, names_wanted=arnia.SERVICES)
    name, held_on, place, services = arnia.NEXT_WORKSHOP
    collectivity = collectivities[name]
    session.add(Enrolment(programme_id=programme.id, collectivity_id=collectivity.id, status="enrolled",
                          applied_on=date(2026, 10, 1), motivation_score=4,
                          motivation="Poursuivre le travail engagé en 2024 (candidature inventée)."))
    session.add(Workshop(programme_id=programme.id, collectivity_id=collectivity.id, held_on=held_on, place=place,
                         status="planned", services=services, themes=["classement", "citoyens"]))
    session.flush()


def _load_not_selected(session, programme, index, row) -> None:
    name, kind, subkind, departement, population, score, reason = row
    collectivity = Collectivity(name=name, slug=slugify(name), kind=kind, epci_subkind=subkind,
                                departement_code=departement, population=population, is_demo=True)
    session.add(collectivity)
    session.flush()
    applied = date(2024, 2, 20) + timedelta(days=2 * index)
    enrolment = Enrolment(programme_id=programme.id, collectivity_id=collectivity.id, status="not_selected",
                          applied_on=applied, motivation_score=score,
                          motivation="Candidature inventée pour la démonstration.")
    session.add(enrolment)
    session.flush()
    for step, (before, after, why) in enumerate([(None, "candidacy", ""), ("candidacy", "not_selected", reason)]):
        moment = datetime.combine(applied + timedelta(days=20 * step), time(10, tzinfo=timezone.utc))
        session.add(EnrolmentEvent(enrolment_id=enrolment.id, collectivity_id=collectivity.id, from_status=before,
                                   to_status=after, at=moment, reason=why))


def _load_collectivity(session, programme, hypotheses, index, row) -> Collectivity:
    name, kind, subkind, departement, population, held_on, place, agents_met, services = row
    collectivity = Collectivity(name=name, slug=slugify(name), kind=kind, epci_subkind=subkind,
                                departement_code=departement, population=population, is_demo=True,
                                siren=arnia.SIRENS.get(name),
                                contact_name="Référent du programme (démonstration)")
    session.add(collectivity)
    session.flush()
    applied = date(2024, 2, 5) + timedelta(days=3 * index)
    enrolment = Enrolment(programme_id=programme.id, collectivity_id=collectivity.id, status="enrolled",
                          applied_on=applied, motivation_score=3 + index % 3,
                          motivation=f"{name} souhaite mesurer ce que l'IA peut apporter à ses agents "
                                     "(motivation inventée pour la démonstration).")
    session.add(enrolment)
    session.flush()
    for step, (before, after) in enumerate([(None, "candidacy"), ("candidacy", "selected"),
                                            ("selected", "enrolled")]):
        moment = datetime.combine(applied + timedelta(days=20 * step), time(10, tzinfo=timezone.utc))
        session.add(EnrolmentEvent(enrolment_id=enrolment.id, collectivity_id=collectivity.id, from_status=before,
                                   to_status=after, at=moment))
    workshop = Workshop(programme_id=programme.id, collectivity_id=collectivity.id, held_on=held_on, place=place,
                        status="published", services=services, themes=[c for c, _l in arnia.THEMES[:3]],
                        agents_met=agents_met,
                        published_at=datetime.combine(held_on + timedelta(days=14), time(9, tzinfo=timezone.utc)),
                        context=f"Journée sur site à {name} (constats inventés pour la démonstration).",
                        next_steps="Qualifier les irritants relevés et étudier les options frugales d'abord.")
    session.add(workshop)
    session.flush()
    facilitator = session.exec(select(User).where(User.email == "equipe@demo.hub")).first()
    if facilitator is not None:
        session.add(WorkshopFacilitator(workshop_id=workshop.id, collectivity_id=collectivity.id,
                                        user_id=facilitator.id))
    outcomes = ["validated", "validated", "unclear", "invalidated", "validated"]
    for offset in range(3 + index % 3):
        hypothesis = hypotheses[(index + offset) % len(hypotheses)]
        outcome = outcomes[(index + offset) % len(outcomes)]
        session.add(HypothesisTest(workshop_id=workshop.id, collectivity_id=collectivity.id,
                                   hypothesis_id=hypothesis.id, outcome=outcome, agents_count=2 + offset,
                                   evidence="Observé lors de la journée (constat inventé pour la démonstration)."))
    for rank, kind_index in enumerate(arnia.FINDINGS[name]):
        _load_irritant(session, programme, collectivity, workshop, population, index, rank, kind_index)
    return collectivity


def _size_factor(population: int | None) -> float:
    if population is None:
        return 1.0
    if population < 1000:
        return 0.25
    if population < 5000:
        return 0.4
    return 1.0 if population < 60000 else 1.5


def _team_id(session) -> int | None:
    """The demo's team account, which confirmed the AI Act class of every demo AI option."""
    return session.exec(select(User.id).where(User.email == "equipe@demo.hub")).first()


def _load_irritant(session, programme, collectivity, workshop, population, index, rank, kind_index) -> None:
    (title, theme, service, occurrences, minutes, agents, evidence, actionability, flags, raised_by, description,
     wish, options) = arnia.IRRITANT_KINDS[kind_index]
    factor = _size_factor(population)
    irritant = Irritant(
        programme_id=programme.id, collectivity_id=collectivity.id, workshop_id=workshop.id, title=title,
        theme=theme, service=service, description=description, wish=wish, raised_by=raised_by,
        occurrences_per_month=round(occurrences * factor, 1), minutes_per_occurrence=minutes,
        agents_affected=max(1, round(agents * factor)), evidence_level=evidence, actionability=actionability,
        impact_citizens=flags[0], compliance_risk=flags[1], mental_load=flags[2], is_demo=True,
        client_key=f"demo-{collectivity.slug}-{kind_index}",
        kind="souhait" if kind_index in (10, 13) else "irritant",
    )
    hours = scoring.hours_per_year(irritant.occurrences_per_month, minutes, irritant.agents_affected)
    qualification = scoring.qualify(evidence_level=evidence, hours=hours, impact_citizens=flags[0],
                                    compliance_risk=flags[1], mental_load=flags[2], actionability=actionability)
    status = arnia.STATUS_CYCLE[(index * 3 + rank) % len(arnia.STATUS_CYCLE)]
    if status in LIFE[1:] and not qualification.qualified:
        status = "identified"  # the method would refuse to qualify it
    irritant.status = status
    session.add(irritant)
    session.flush()
    if status not in ("proposed", "rejected"):  # options show the method at work on every live irritant
        for family, label, reduction, one_off, recurring in options:
            # Every AI option carries its use and a class confirmed by the team: none is left « à classer ».
            act = arnia.ai_act_columns(label, _team_id(session), datetime.combine(
                workshop.held_on, time(17, tzinfo=timezone.utc))) if family.startswith("ia") else {}
            session.add(RemedyOption(irritant_id=irritant.id, collectivity_id=collectivity.id, family=family,
                                     label=label, reduction_pct=reduction, one_off_cost=one_off,
                                     recurring_cost=recurring, human_review=True, sovereign_tool=True,
                                     requests_per_year=int(occurrences * factor * 12) if family.startswith("ia")
                                     else None, **act))
        session.flush()
    irritant_service.refresh_derived(session, irritant)
    path = ["proposed"] if status == "proposed" else (["identified", "rejected"] if status == "rejected"
                                                       else LIFE[:LIFE.index(status) + 1])
    moment = datetime.combine(workshop.held_on, time(16, tzinfo=timezone.utc))
    previous = None
    for step, to_status in enumerate(path):
        session.add(IrritantEvent(irritant_id=irritant.id, collectivity_id=collectivity.id, from_status=previous,
                                  to_status=to_status, at=moment + timedelta(days=21 * step)))
        previous = to_status
    session.add(irritant)
