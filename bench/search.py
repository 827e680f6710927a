"""Benchmark of the search on the national programme: median and p95 of realistic queries, SQLite or PostgreSQL.

Run from the repository root:  .venv/bin/python bench/search.py  [--database-url URL] [--repeat N] [--keep]

1. Loads a scratch database (a temporary SQLite file, or the empty database given by ``--database-url``) with
   ``hub db upgrade`` and ``hub demo --scale national`` (2,000 collectivities, 6,000 workshops, 100,000 irritants;
   the search indexes of migration 0015 are filled as the rows go in).
2. Times each query in-process, warm, ``--repeat`` times: the search itself (every kind, 20 per kind and their
   counts) as the project team on the national programme, as the team on every programme, as a référent, and the
   whole page (``GET /recherche``, rendered) through the test client. Prints median and p95 in milliseconds.
The goal (issue 18): under 200 ms on SQLite and PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from report import run  # bench/report.py: one way to run a step of a bench (its folder is on sys.path)

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
NATIONAL = "programme-national-synthetique"
REFERENT_SLUG = "synthetique-0001"
GOAL_MS = 200
# label → query: one word, two words, a rare word, a common word, a plural found by its singular, a name.
QUERIES = [
    ("un mot", "factures"),
    ("deux mots", "état civil"),
    ("mot rare", "parcelle"),
    ("nombre rare (un irritant)", "4242"),
    ("mot courant", "agents"),
    ("pluriel → singulier", "délibération"),
    ("nom de collectivité", "synthétique 0042"),
    ("mot + collectivité", "factures 0042"),
    ("trois mots", "courrier électronique entrant"),
]


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="benchmark this database instead of a new SQLite file: an empty one, "
                                                 "or one loaded before (the national programme loads only once)")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs of each query (default 30)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (the SQLite database)")
    return parser.parse_args()


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of the values fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def timed(call, repeat: int) -> tuple[float, float, object]:
    """Median and p95 in milliseconds of ``repeat`` warm calls, and the last result."""
    result = call()  # warm: caches, prepared plans
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), percentile(times, 0.95), result


def measure(repeat: int) -> list[tuple]:
    """Each query timed four ways; rows of (label, query, hits, [(median, p95)…])."""
    from flask import g
    from sqlmodel import select

    from hub import create_app
    from hub.app.search import service
    from hub.core.db import new_session
    from hub.core.models import Programme, User
    from hub.core.scoping import Scope, set_scope
    from participants.models import Collectivity

    app = create_app()
    rows = []
    with app.app_context():
        team_session = set_scope(new_session(), Scope.all())
        programme = team_session.exec(select(Programme).where(Programme.slug == NATIONAL)).one()
        referent_town = team_session.exec(select(Collectivity.id).where(Collectivity.slug == REFERENT_SLUG)).one()
        team = team_session.exec(select(User).where(User.email == "equipe@demo.hub")).one()
        referent_session = set_scope(new_session(), Scope.collectivity(referent_town))
        client = app.test_client()
        with client.session_transaction() as flask_session:
            flask_session["_user_id"] = str(team.id)
            flask_session["_epoch"] = team.session_epoch  # the account's current sessions (hub.core.auth)
            flask_session["_fresh"] = True
        for label, query in QUERIES:
            g.pop("db_session", None)
            national = timed(lambda: service.search(team_session, query=query, role="facilitator",
                                                    programme_id=programme.id), repeat)
            everywhere = timed(lambda: service.search(team_session, query=query, role="facilitator"), repeat)
            referent = timed(lambda: service.search(referent_session, query=query, role="participant"), repeat)
            page = timed(lambda: client.get("/recherche", query_string={"q": query, "programme": NATIONAL}), repeat)
            assert page[2].status_code == 200, (query, page[2].status_code)
            totals = national[2].totals
            hits = ", ".join(f"{kind[:5]} {totals.get(kind, 0)}" for kind in service.KINDS)
            rows.append((label, query, hits, [national[:2], everywhere[:2], referent[:2], page[:2]]))
            team_session.rollback()
            referent_session.rollback()
        team_session.close()
        referent_session.close()
    return rows


def report(rows: list[tuple], dialect: str) -> bool:
    """Print the table; whether every median and p95 is under the goal."""
    columns = ("équipe, national", "équipe, tous", "référent", "page entière")
    print(f"\nRecherche sur le programme national ({dialect}) : médiane / p95 en ms")
    print(f"{'requête':<28} {'q':<32} " + " ".join(f"{c:>18}" for c in columns) + "  résultats (programme national)")
    worst = 0.0
    for label, query, hits, figures in rows:
        cells = " ".join(f"{median:>8.1f} / {p95:>7.1f}" for median, p95 in figures)
        worst = max(worst, *(p95 for _median, p95 in figures))
        print(f"{label:<28} {query:<32} {cells}  {hits}")
    ok = worst < GOAL_MS
    print(f"p95 le plus lent : {worst:.1f} ms — objectif < {GOAL_MS} ms : {'tenu' if ok else 'NON TENU'}")
    return ok


def main() -> int:
    """Load the national programme in a scratch database, then time the queries."""
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="hub-bench-search-"))
    url = args.database_url or f"sqlite:///{workdir / 'hub.db'}"
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(16), "HUB_DEMO_PASSWORD":
           "bench-password-123"}
    try:
        print(f"hub db upgrade: {run([str(VENV_BIN / 'hub'), 'db', 'upgrade'], env, 'hub db upgrade'):.1f} s")
        seconds = run([str(VENV_BIN / "hub"), "demo", "--scale", "national"], env, "hub demo --scale national")
        print(f"hub demo --scale national (index compris) : {seconds:.1f} s")
        os.environ.update({k: env[k] for k in ("DATABASE_URL", "SECRET_KEY")})
        ok = report(measure(args.repeat), "PostgreSQL" if url.startswith("postgresql") else "SQLite")
    finally:
        if args.keep:
            print(f"gardé : {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
