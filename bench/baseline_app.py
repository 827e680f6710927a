"""A bare Flask + SQLModel page listing 50 rows: the floor the hub's pages are compared with.

No login, no CSRF, no security headers, no scoping: one table of ~100,000 rows (``baseline_row``, in the
database the hub is measured on), one route selecting 50 rows ordered by an indexed column and rendering them
with ``render_template_string`` into an HTML table.

Seed:   python bench/baseline_app.py seed sqlite:////tmp/x/baseline.db
Serve:  BASELINE_DATABASE_URL=... gunicorn -w 2 --pythonpath bench 'baseline_app:create_app()'
"""

from __future__ import annotations

import os
import random
import sys
from datetime import date, timedelta

import sqlalchemy as sa
from flask import Flask, render_template_string
from sqlmodel import Field, Session, SQLModel, create_engine, select

ROWS = 100_000
PAGE = 50
BATCH = 5000
THEMES = ["rh", "finances", "urbanisme", "etat_civil", "accueil", "marches", "informatique"]


class BaselineRow(SQLModel, table=True):
    """One row of the baseline table."""

    __tablename__ = "baseline_row"

    id: int | None = Field(default=None, primary_key=True)
    title: str
    theme: str
    status: str
    hours_per_year: float
    priority: float = Field(index=True)
    created_on: date


TEMPLATE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Baseline</title></head>
<body><main><h1>{{ rows|length }} lignes</h1>
<table><thead><tr><th>#</th><th>Titre</th><th>Thème</th><th>Statut</th><th>Heures/an</th>
<th>Priorité</th><th>Créé le</th></tr></thead><tbody>
{% for row in rows %}<tr><td>{{ row.id }}</td><td>{{ row.title }}</td><td>{{ row.theme }}</td>
<td>{{ row.status }}</td><td>{{ "%.1f"|format(row.hours_per_year) }}</td>
<td>{{ "%.2f"|format(row.priority) }}</td><td>{{ row.created_on.isoformat() }}</td></tr>
{% endfor %}</tbody></table></main></body></html>"""


def make_engine(url: str) -> sa.Engine:
    """An engine for the baseline's database (a SQLite file usable from any thread, or PostgreSQL)."""
    return create_engine(url, connect_args={"check_same_thread": False} if url.startswith("sqlite") else {})


def seed(url: str, rows: int = ROWS) -> None:
    """Create the baseline table and fill it with ``rows`` synthetic rows (Core inserts)."""
    engine = make_engine(url)
    BaselineRow.__table__.create(engine, checkfirst=True)
    rng = random.Random(2024)
    with engine.begin() as connection:
        for start in range(0, rows, BATCH):
            connection.execute(sa.insert(BaselineRow.__table__), [{
                "title": f"Irritant synthétique ({n})", "theme": rng.choice(THEMES),
                "status": rng.choice(["identified", "qualified", "scored"]),
                "hours_per_year": rng.uniform(1, 500), "priority": rng.uniform(0, 10_000),
                "created_on": date(2025, 1, 1) + timedelta(days=rng.randint(0, 365)),
            } for n in range(start, min(start + BATCH, rows))])
    engine.dispose()


def create_app(url: str | None = None) -> Flask:
    """The baseline app, reading ``BASELINE_DATABASE_URL`` unless given a URL."""
    app = Flask(__name__)
    engine = make_engine(url or os.environ["BASELINE_DATABASE_URL"])
    app.extensions["baseline.engine"] = engine

    @app.get("/")
    def rows_page():
        """The 50 rows of highest priority."""
        with Session(engine) as session:
            rows = session.exec(select(BaselineRow).order_by(BaselineRow.priority.desc()).limit(PAGE)).all()
            return render_template_string(TEMPLATE, rows=rows)

    return app


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "seed":
        sys.exit("usage: baseline_app.py seed DATABASE_URL")
    seed(sys.argv[2])
