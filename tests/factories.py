"""Factories for test data: small, explicit, one function per kind of row."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from sqlmodel import Session

from hub.core.auth import create_user
from hub.core.models import Programme, ProgrammeTheme, User
from irritants import answers
from irritants.models import (
    Decision,
    DecisionIrritant,
    ImpactMeasure,
    Irritant,
    MutualGroup,
    MutualGroupMember,
    RemedyOption,
)
from participants.models import Collectivity, Enrolment, SurveyResult, SurveyWave, ToolSeat, UsageMonth
from workshops import service_list
from workshops.models import Hypothesis, HypothesisTest, Workshop

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)
WORKSHOP_DAY = datetime(2024, 5, 14, 16, 0, tzinfo=timezone.utc)  # the world's workshops, as the irritants' creation


# A programme's services list (workshops.service_list): the irritants below carry these names.
SERVICES = ("accueil", "état civil", "RH", "urbanisme")


def programme(session: Session, **values) -> Programme:
    """A programme with the three seed themes and the services above."""
    n = next(_counter)
    row = Programme(**{"slug": f"programme-{n}", "name": f"Programme {n}", "agency": "Agence",
                       "region_name": "Bourgogne-Franche-Comté",
                       "region_departements": ["21", "25", "39", "58", "70", "71", "89", "90"],
                       "launch_date": date(2024, 4, 12), "launch_place": "Mâcon", **values})
    session.add(row)
    session.flush()
    for code, label in (("classement", "Classement documentaire et trouvabilité"),
                        ("citoyens", "Relation avec les citoyens"), ("rh", "Questions RH")):
        session.add(ProgrammeTheme(programme_id=row.id, code=code, label=label))
    service_list.ensure(session, programme_id=row.id, names_wanted=list(SERVICES))
    session.flush()
    return row


def collectivity(session: Session, programme_row: Programme | None = None, **values) -> Collectivity:
    """A collectivity, enrolled in the programme when one is given."""
    n = next(_counter)
    row = Collectivity(**{"name": f"Commune {n}", "slug": f"commune-{n}", "kind": "commune",
                          "departement_code": "71", "population": 1000 * n, **values})
    session.add(row)
    session.flush()
    if programme_row is not None:
        session.add(Enrolment(programme_id=programme_row.id, collectivity_id=row.id, status="enrolled",
                              applied_on=date(2024, 2, 1)))
        session.flush()
    return row


def workshop(session: Session, programme_row: Programme, owner: Collectivity, **values) -> Workshop:
    """A planned workshop."""
    row = Workshop(**{"programme_id": programme_row.id, "collectivity_id": owner.id, "held_on": date(2024, 5, 14),
                      "place": "Mairie", "services": ["accueil"], **values})
    session.add(row)
    session.flush()
    return row


def irritant(session: Session, programme_row: Programme, owner: Collectivity, **values) -> Irritant:
    """An identified irritant; hours and priority derived like the app does."""
    row = Irritant(**{"programme_id": programme_row.id, "collectivity_id": owner.id,
                      "title": f"Irritant {next(_counter)}", "service": "accueil", "theme": "classement",
                      "occurrences_per_month": 10, "minutes_per_occurrence": 30, "agents_affected": 2,
                      "status": "identified", **values})
    answers.refresh_derived(session, row)
    session.add(row)
    session.flush()
    return row


def jpeg(size: tuple[int, int] = (40, 30), colour: str = "teal", **save) -> bytes:
    """A small JPEG drawn by Pillow (``save`` passes exif= and the like)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", **save)
    return out.getvalue()


def photo(session: Session, row: Irritant, data: bytes | None = None, client_key: str | None = None):
    """A photo of the irritant, kept like an upload: its bytes in the running app's file store (an app context)."""
    from irritants import photos

    kept, _created = photos.add_photo(session, irritant=row, data=data or jpeg(), client_key=client_key,
                                      by_user_id=None)
    return kept


def option(session: Session, row: Irritant, **values) -> RemedyOption:
    """A remedy option for an irritant; the irritant's priority is refreshed."""
    if values.get("family") in ("ia_generative", "ia_specialisee"):
        # An AI option with no class is « à classer » and blocked: a test option is classified unless it says otherwise.
        values.setdefault("ai_act_class", "minimal")
    remedy = RemedyOption(**{"irritant_id": row.id, "collectivity_id": row.collectivity_id,
                             "family": "formation", "label": "Formation", "reduction_pct": 30, **values})
    session.add(remedy)
    session.flush()
    answers.refresh_derived(session, row)
    session.add(row)
    session.flush()
    return remedy


def user(session: Session, role: str, collectivity_row: Collectivity | None = None) -> User:
    """An account of this role (a référent needs a collectivity)."""
    return create_user(session, email=f"{role}{next(_counter)}@test.hub", password=PASSWORD, role=role,
                       collectivity_id=collectivity_row.id if collectivity_row else None)


@dataclass
class World:
    """A programme, an own and a foreign collectivity with a workshop and irritants each, and accounts."""

    programme: Programme
    own: Collectivity
    foreign: Collectivity
    own_workshop: Workshop
    foreign_workshop: Workshop
    own_irritant: Irritant
    foreign_irritant: Irritant
    users: dict[str, User] = field(default_factory=dict)
    own_option: RemedyOption | None = None
    group: MutualGroup | None = None
    own_usage: UsageMonth | None = None
    wave: SurveyWave | None = None
    own_measure: ImpactMeasure | None = None
    own_result: SurveyResult | None = None
    foreign_result: SurveyResult | None = None
    own_grant: ToolSeat | None = None
    foreign_grant: ToolSeat | None = None
    foreign_measure: ImpactMeasure | None = None
    foreign_usage: UsageMonth | None = None
    foreign_option: RemedyOption | None = None

    def enrolment(self, session: Session, which: Collectivity) -> Enrolment:
        """The enrolment of one of the world's collectivities."""
        from sqlmodel import select

        return session.exec(select(Enrolment).where(Enrolment.collectivity_id == which.id)).one()


def world(session: Session) -> World:
    """Build the standard test world."""
    prog = programme(session)
    own = collectivity(session, prog, name="Chéroy", slug=f"cheroy-{next(_counter)}", departement_code="89")
    foreign = collectivity(session, prog, name="Lormes", slug=f"lormes-{next(_counter)}", departement_code="58")
    own_workshop = workshop(session, prog, own)
    foreign_workshop = workshop(session, prog, foreign)
    hypothesis = Hypothesis(programme_id=prog.id, statement="Retrouver un arrêté prend plus de 10 minutes.")
    session.add(hypothesis)
    session.flush()
    session.add(HypothesisTest(workshop_id=own_workshop.id, collectivity_id=own.id, hypothesis_id=hypothesis.id,
                               outcome="validated"))
    result = World(
        programme=prog, own=own, foreign=foreign, own_workshop=own_workshop, foreign_workshop=foreign_workshop,
        # Recorded on their workshop's day: a version of the report dated after it counts them.
        own_irritant=irritant(session, prog, own, workshop_id=own_workshop.id, title="Recherche d'anciens arrêtés",
                              created_at=WORKSHOP_DAY),
        foreign_irritant=irritant(session, prog, foreign, workshop_id=foreign_workshop.id,
                                  title="Questions RH récurrentes", created_at=WORKSHOP_DAY),
    )
    result.own_option = option(session, result.own_irritant)
    result.foreign_option = option(session, result.foreign_irritant)
    result.group = MutualGroup(programme_id=prog.id, label="Irritants semblables", similarity=0.8)
    session.add(result.group)
    session.flush()
    for member in (result.own_irritant, result.foreign_irritant):
        session.add(MutualGroupMember(group_id=result.group.id, irritant_id=member.id,
                                      collectivity_id=member.collectivity_id))
    for owner, name in ((own, "own_usage"), (foreign, "foreign_usage")):
        grant = ToolSeat(programme_id=prog.id, collectivity_id=owner.id, seats=10, granted_on=date(2024, 9, 16))
        session.add(grant)
        setattr(result, name.replace("usage", "grant"), grant)
        month = UsageMonth(programme_id=prog.id, collectivity_id=owner.id, month=date(2024, 10, 1), active_users=6,
                           requests=120)
        session.add(month)
        session.flush()
        setattr(result, name, month)
    result.wave = SurveyWave(programme_id=prog.id, label="Agents, décembre 2024", audience="agents",
                             opened_on=date(2024, 12, 2))
    session.add(result.wave)
    session.flush()
    for owner, name in ((own, "own_result"), (foreign, "foreign_result")):
        answers = SurveyResult(wave_id=result.wave.id, collectivity_id=owner.id, respondents=20, positive=14)
        session.add(answers)
        setattr(result, name, answers)
    session.flush()
    decision = Decision(programme_id=prog.id, kind="frugal_action", decided_on=date(2024, 10, 15), rationale="Test")
    session.add(decision)
    session.flush()
    for member, kept, name in ((result.own_irritant, result.own_option, "own_measure"),
                               (result.foreign_irritant, result.foreign_option, "foreign_measure")):
        # A frugal action keeps each irritant's frugal option, as irritants.decisions.record_decision does.
        session.add(DecisionIrritant(decision_id=decision.id, irritant_id=member.id,
                                     collectivity_id=member.collectivity_id, remedy_option_id=kept.id))
        measure = ImpactMeasure(decision_id=decision.id, irritant_id=member.id,
                                collectivity_id=member.collectivity_id, metric="Délai", unit="jours",
                                baseline_value=7, baseline_on=date(2024, 11, 1))
        session.add(measure)
        session.flush()
        setattr(result, name, measure)
    for role in ("admin", "facilitator", "steering"):
        result.users[role] = user(session, role)
    result.users["participant"] = user(session, "participant", own)
    result.users["foreign_participant"] = user(session, "participant", foreign)
    session.commit()
    return result


def published_version(session: Session, programme: Programme, *, number: int = 1):
    """A ready version of the programme's report, frozen from today's records, without rendering its PDF."""
    from exports.assembly import assemble_report
    from exports.models import ReportVersion

    version = ReportVersion(programme_id=programme.id, number=number, status="ready", progress=100,
                            as_of=date.today(), snapshot=assemble_report(session, programme), html="<p>figé</p>",
                            pdf=b"%PDF-1.7 fige", sha256="0" * 64, pages=1,
                            opendata_csv=b"identifiant,programme\n", opendata_package='{"name": "fige"}')
    session.add(version)
    session.flush()
    return version


def capture_entry(**values) -> dict:
    """What the on-site capture form posts for one irritant (tablet, or the page without its script)."""
    return {"client_key": "cle-de-test-0001", "kind": "irritant", "title": "Courrier non trié", "service": "accueil",
            "theme": "classement", "description": "", "wish": "", "occurrences_per_month": "40",
            "minutes_per_occurrence": "5", "agents_affected": "2", "evidence_level": "2", **values}
