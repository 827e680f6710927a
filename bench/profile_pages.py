"""Where a page's time goes, found with cProfile (the standard library's profiler), not guessed.

Run from the repository root:  .venv/bin/python bench/profile_pages.py --database-url URL [--runs 20] [--page LABEL]

URL names a database already loaded with ``hub demo --scale national`` (``bench/pages.py --keep`` leaves one,
or run ``hub db upgrade && hub demo --scale national`` on an empty one). Each page of ``bench/pages.py`` is
requested in process (``create_app()`` and its test client, logged in as the page's account), once to warm up,
then ``--runs`` times under cProfile. For each page it prints the median wall time and how the profiled time
splits between what a page does: SQL in the database driver, SQLAlchemy (statement compilation and ORM loading),
Jinja templates, Babel formatting, the hub's own code, Flask and Werkzeug; then the functions with the most time
of their own. Profiling slows Python code more than the driver: read the shares, not the absolute times.

``--sampling`` profiles with pyinstrument instead (a sampling profiler, in the ``bench`` extra): cProfile's cost per
call inflates code made of many small calls (Jinja's context calls, Werkzeug's proxies), where sampling shows each
part's true share; it prints the call tree of the page's requests, parts under 1 % left out.

``--explain`` prints instead the plan of every statement each page runs, as the database chose it: on PostgreSQL
``EXPLAIN ANALYZE`` (its execution time and each scan: which index, or a sequential scan), on SQLite
``EXPLAIN QUERY PLAN``.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from pages import PAGES  # noqa: E402  (bench/ is on the path only now)

# What a function's file says it belongs to; checked in order, the first match wins.
PARTS = [
    ("database driver", ("sqlite3", "psycopg", "_sqlite3", "method 'execute'", "method 'fetch")),
    ("SQLAlchemy", ("/sqlalchemy/", "/sqlmodel/")),
    ("Babel formatting", ("/babel/", "/flask_babel/")),
    ("Jinja templates", ("/jinja2/", ".html", "<template>", "/markupsafe/")),
    ("WTForms", ("/wtforms/", "/flask_wtf/")),
    ("Flask, Werkzeug", ("/flask/", "/werkzeug/", "/flask_login/", "/itsdangerous/")),
    ("hub code", tuple(f"/{package}/" for package in ("hub", "participants", "workshops", "irritants", "exports"))),
]


def part_of(filename: str, name: str) -> str:
    """The part of the stack a profiled function belongs to."""
    where = f"{filename} {name}"
    for part, marks in PARTS:
        if any(mark in where for mark in marks):
            return part
    return "other (Python, stdlib)"


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="a database loaded with hub demo --scale national")
    parser.add_argument("--runs", type=int, default=20, help="profiled requests per page (default 20)")
    parser.add_argument("--page", help="only the pages whose label contains this text")
    parser.add_argument("--top", type=int, default=8, help="functions listed per page (default 8)")
    parser.add_argument("--explain", action="store_true", help="print each statement's plan instead of profiling")
    parser.add_argument("--sampling", action="store_true", help="profile with pyinstrument (sampling) instead")
    return parser.parse_args()


def logged_in_client(app, user_ids: dict, email: str):
    """A test client whose session is this account's."""
    client = app.test_client()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = str(user_ids[email])
        flask_session["_fresh"] = True
        flask_session["_epoch"] = user_ids.epochs[email]
    return client


class Accounts(dict):
    """Account ids by e-mail, and their session epochs."""

    epochs: dict


def accounts(app) -> Accounts:
    """Every account's id and session epoch."""
    from sqlmodel import select

    from hub.core.db import system_session
    from hub.core.models import User

    found = Accounts()
    found.epochs = {}
    with app.app_context(), system_session() as session:
        for email, user_id, epoch in session.exec(select(User.email, User.id, User.session_epoch)).all():
            found[email], found.epochs[email] = user_id, epoch
    return found


def profile_page(client, path: str, runs: int) -> tuple[float, pstats.Stats]:
    """Median milliseconds of ``runs`` profiled requests, and their merged profile."""
    assert client.get(path).status_code == 200, path
    profiler, timings = cProfile.Profile(), []
    for _ in range(runs):
        started = time.perf_counter()
        profiler.enable()
        response = client.get(path)
        profiler.disable()
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(timings), pstats.Stats(profiler)


def sampled_tree(client, path: str, runs: int) -> str:
    """The call tree of ``runs`` requests for ``path``, sampled every 0.2 ms by pyinstrument, as shares of the total."""
    from pyinstrument import Profiler

    assert client.get(path).status_code == 200, path
    profiler = Profiler(interval=0.0002)
    profiler.start()
    for _ in range(runs):
        client.get(path)
    profiler.stop()
    return profiler.output_text(unicode=True, color=False, time="percent_of_total", show_all=False,
                                processor_options={"filter_threshold": 0.01})


def report(label: str, median: float, stats: pstats.Stats, top: int) -> None:
    """The page's split by part of the stack, and its most expensive functions of their own."""
    own: dict[str, float] = defaultdict(float)
    total = 0.0
    rows = []
    for (filename, line, name), (_calls, _primitive, tottime, _cumtime, _callers) in stats.stats.items():
        own[part_of(filename, name)] += tottime
        total += tottime
        rows.append((tottime, f"{Path(filename).name}:{line} {name}" if line else name))
    shares = ", ".join(f"{part} {seconds / total:.0%}" for part, seconds in
                       sorted(own.items(), key=lambda item: -item[1]) if seconds / total >= 0.02)
    print(f"\n{label}: median {median:.1f} ms (profiled)\n  time of its own by part: {shares}")
    for tottime, where in sorted(rows, reverse=True)[:top]:
        print(f"    {tottime / total:5.1%}  {where}")


SCAN = re.compile(r"(Seq Scan on \w+|Index (?:Only )?Scan(?: Backward)? using \w+|Bitmap Index Scan on \w+|"
                  r"SCAN \w+(?: USING (?:COVERING )?INDEX \w+)?|SEARCH \w+ USING (?:COVERING )?INDEX \w+[^)]*\)?|"
                  r"Planning Time: [\d.]+ ms|Execution Time: [\d.]+ ms|USE TEMP B-TREE FOR ORDER BY)")


def explain_page(app, client, path: str) -> None:
    """Each statement of one request for ``path``, with the scans the database plans for it."""
    from sqlalchemy import event

    engine = app.extensions["hub.engine"]
    statements: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):
        statements.append((statement, parameters))

    client.get(path)
    event.listen(engine, "before_cursor_execute", capture)
    try:
        client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    postgres = engine.dialect.name == "postgresql"
    with engine.connect() as connection:
        cursor = connection.connection.cursor()
        for statement, parameters in statements:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(("EXPLAIN ANALYZE " if postgres else "EXPLAIN QUERY PLAN ") + statement, parameters)
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
            print(f"  {' '.join(statement.split())[:110]}…\n      " + "; ".join(SCAN.findall(plan)))
        connection.rollback()


def main() -> None:
    """Profile each page and print where its time goes (or, with --explain, each statement's plan)."""
    args = parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("SECRET_KEY", "profile-only")
    from hub import create_app

    app = create_app()
    ids = accounts(app)
    for label, email, path, _demo_email, _demo_path in PAGES:
        if args.page and args.page not in label:
            continue
        client = logged_in_client(app, ids, email)
        if args.explain:
            print(f"\n{label}: {path}")
            explain_page(app, client, path)
            continue
        if args.sampling:
            print(f"\n{label}: {path}\n{sampled_tree(client, path, args.runs)}")
            continue
        median, stats = profile_page(client, path, args.runs)
        report(label, median, stats, args.top)


if __name__ == "__main__":
    main()
