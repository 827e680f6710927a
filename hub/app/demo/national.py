"""A synthetic national programme (2,000 collectivities, 6,000 workshops, 100,000 irritants) for benchmarks.

Rows go in through Core ``insert`` in batches: the ORM's per-object bookkeeping (and the
audit listener) would take minutes at this size, and this data is synthetic by design. Each live
irritant gets its kind's remedy options (as the regional demo does) and its stored hours, priority
and family come from the method, by the function the service stores them with: a change of
parameters recomputes them to the same figures, not to different ones.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from types import SimpleNamespace

import sqlalchemy as sa
from sqlmodel import Session, select

from hub.app.demo.arnia import IRRITANT_KINDS, SERVICES, THEMES, ai_act_columns
from hub.core.auth import create_user
from hub.core.models import Programme, ProgrammeTheme, User, utcnow
from irritants import scoring
from irritants.answers import stored_answer
from irritants.models import Irritant, RemedyOption
from participants.models import Collectivity, Enrolment
from workshops import service_list
from workshops.models import Workshop

SLUG = "programme-national-synthetique"
COLLECTIVITIES = 2000
WORKSHOPS_PER_COLLECTIVITY = 3
IRRITANTS = 100_000
DEPARTEMENTS = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"]
STATUSES = ["identified", "qualified", "scored", "decided", "in_progress", "done", "rejected", "proposed"]
BATCH = 5000
# The référent of the first synthetic collectivity, whose board the benchmark measures.
REFERENT_EMAIL = "referent.synthetique-0001@demo.hub"


def _batched_insert(session: Session, table, rows: list[dict], *, moves_counters: bool = False) -> None:
    # A table whose writes move a programme's counters (irritant, collectivity: migrations 0021, 0022) goes in as
    # statements of many rows: asking for the new ids has SQLAlchemy send VALUES (…), (…) (« insertmanyvalues »), and
    # the database's statement triggers run once per statement, where one statement per row stacked 100,000
    # versions of one programme row in the transaction (minutes). The others go in one statement per row, which
    # psycopg pipelines: 50 s faster for the remedy options.
    for start in range(0, len(rows), BATCH):
        if moves_counters:
            session.execute(sa.insert(table).returning(table.c.id), rows[start:start + BATCH]).all()
        else:
            session.execute(sa.insert(table), rows[start:start + BATCH])


_NO_AI_ACT = {"ai_act_use": "", "ai_act_class": None, "ai_act_confirmed_class": None, "ai_act_confirmed_by_id": None,
              "ai_act_confirmed_at": None, "ai_act_duties": []}


def _options(kind: tuple, occurrences: int, team_id: int | None = None) -> list[dict]:
    """The kind's remedy options as rows (an AI option's requests: one per occurrence, as the regional demo)."""
    return [{**_NO_AI_ACT, **(ai_act_columns(label, team_id, utcnow()) if family in scoring.AI_FAMILIES else {}),
             "family": family, "label": label, "reduction_pct": reduction, "one_off_cost": one_off,
             "recurring_cost": recurring, "months_to_value": 0,
             "requests_per_year": occurrences * 12 if family in scoring.AI_FAMILIES else None,
             "personal_data": "none", "human_review": True, "citizen_facing": False, "sovereign_tool": True,
             "energy_wh_per_request": None, "co2e_g_per_request": None, "footprint_factor": "",
             "footprint_source": "", "shareable": family != "formation", "mutual_group_id": None}
            for family, label, reduction, one_off, recurring in kind[12]]


def _insert_irritants(session: Session, rows: list[dict], options: list[list[dict]]) -> None:
    """A batch of irritants, then their options, tied by the ids the batch was given (in insertion order)."""
    _batched_insert(session, Irritant.__table__, rows, moves_counters=True)
    ids = list(session.execute(sa.select(Irritant.id).where(Irritant.programme_id == rows[0]["programme_id"])
                               .order_by(Irritant.id.desc()).limit(len(rows))).scalars())[::-1]
    _batched_insert(session, RemedyOption.__table__, [
        {**option, "irritant_id": iid, "collectivity_id": row["collectivity_id"]}
        for iid, row, some in zip(ids, rows, options) for option in some])


def load_national(session: Session, *, password: str, progress=lambda step, total: None) -> Programme:
    """Add the synthetic national programme and one référent account, once; a second call changes nothing."""
    existing = session.exec(select(Programme).where(Programme.slug == SLUG)).first()
    if existing is not None:
        return existing
    rng = random.Random(2024)
    # The demo's team account confirmed the AI Act class of every demo AI option (none left « à classer »).
    team_id = session.exec(select(User.id).where(User.email == "equipe@demo.hub")).first()
    programme = Programme(slug=SLUG, name="Programme national synthétique (banc d'essai)", agency="Agence fictive",
                          region_name="France", region_departements=DEPARTEMENTS, launch_date=date(2025, 1, 15),
                          launch_place="Paris", duration_months=12, is_demo=True,
                          description="Données synthétiques pour mesurer les performances ; aucune n'est réelle.")
    session.add(programme)
    session.flush()
    for code, label in THEMES:
        session.add(ProgrammeTheme(programme_id=programme.id, code=code, label=label))
    service_list.ensure(session, programme_id=programme.id, names_wanted=SERVICES)
    session.flush()
    now = utcnow()
    collectivity_rows = [{
        "name": f"Collectivité synthétique {n:04d}", "slug": f"synthetique-{n:04d}",
        "kind": rng.choice(["commune", "commune", "commune", "epci", "syndicat_mixte"]), "epci_subkind": None,
        "departement_code": DEPARTEMENTS[n % len(DEPARTEMENTS)], "siren": None,
        "population": rng.randint(200, 200_000), "contact_name": "", "contact_email": "", "is_demo": True,
        "created_at": now,
    } for n in range(1, COLLECTIVITIES + 1)]
    _batched_insert(session, Collectivity.__table__, collectivity_rows, moves_counters=True)
    progress(1, 4)
    ids = list(session.execute(sa.select(Collectivity.id).where(Collectivity.slug.like("synthetique-%"))
                               .order_by(Collectivity.id)).scalars())
    _batched_insert(session, Enrolment.__table__, [{
        "programme_id": programme.id, "collectivity_id": cid, "status": "enrolled", "motivation": "",
        "applied_on": date(2024, 11, 1), "motivation_score": rng.randint(1, 5)} for cid in ids])
    workshop_rows = [{
        "programme_id": programme.id, "collectivity_id": cid,
        "held_on": date(2025, 2, 1) + timedelta(days=rng.randint(0, 150)), "place": "Mairie",
        "status": rng.choice(["planned", "held", "published"]), "services": ["accueil", "RH"],
        "themes": ["classement"], "agents_met": rng.randint(3, 20), "context": "", "next_steps": "",
        "published_at": None,
    } for cid in ids for _ in range(WORKSHOPS_PER_COLLECTIVITY)]
    _batched_insert(session, Workshop.__table__, workshop_rows)
    progress(2, 4)
    workshop_ids = {}
    for wid, cid in session.execute(sa.select(Workshop.id, Workshop.collectivity_id)
                                    .where(Workshop.programme_id == programme.id)):
        workshop_ids.setdefault(cid, wid)
    irritant_rows, option_rows = [], []
    for n in range(IRRITANTS):
        cid = ids[n % len(ids)]
        kind = IRRITANT_KINDS[rng.randrange(len(IRRITANT_KINDS))]
        occurrences, minutes, agents = rng.randint(1, 120), rng.randint(2, 240), rng.randint(1, 8)
        status = rng.choice(STATUSES)
        row = {
            "programme_id": programme.id, "collectivity_id": cid, "workshop_id": workshop_ids.get(cid),
            "kind": "irritant", "title": f"{kind[0]} ({n})", "description": kind[10], "wish": kind[11],
            "service": kind[2], "theme": kind[1], "raised_by": kind[9], "status": status,
            "evidence_level": rng.randint(0, 3), "occurrences_per_month": occurrences,
            "minutes_per_occurrence": minutes, "agents_affected": agents, "impact_citizens": False,
            "compliance_risk": False, "mental_load": False, "volume_unknown": False,
            "actionability": rng.randint(0, 3),
            "client_key": None, "is_demo": True, "version": 1, "created_by_id": None,
            "created_at": now, "updated_at": now,
        }
        # Options on every live irritant, as in the regional demo; the stored answer is the method's.
        options = _options(kind, occurrences, team_id) if status not in ("proposed", "rejected") else []
        row.update(stored_answer(SimpleNamespace(**row), [SimpleNamespace(**o) for o in options],
                                 scoring.DEFAULT_PARAMETERS))
        irritant_rows.append(row)
        option_rows.append(options)
        if len(irritant_rows) == BATCH:
            _insert_irritants(session, irritant_rows, option_rows)
            irritant_rows, option_rows = [], []
    if irritant_rows:
        _insert_irritants(session, irritant_rows, option_rows)
    create_user(session, email=REFERENT_EMAIL, password=password, role="participant", collectivity_id=ids[0],
                full_name="Référent synthétique", is_demo=True)
    # Fresh statistics so that the planner picks the filter indexes over the sort index.
    session.execute(sa.text("ANALYZE"))
    progress(4, 4)
    return programme
