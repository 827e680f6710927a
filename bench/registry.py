"""Benchmark of loading France's official registry (``hub registry load``): the whole country, then one région.

Run from the repository root:  .venv/bin/python bench/registry.py  [--database-url URL] [--runs 3]

Loads the registry shipped with the hub (Etalab's découpage administratif, participants/data/) into a scratch
database (a temporary SQLite file, or the EMPTY database given by ``--database-url``, migrated first), ``--runs``
times for the whole of France and for Bourgogne-Franche-Comté; prints each run, the median and the rows per second.
The figure includes reading the package and building the rows, as the command does.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def measure(database_url: str, runs: int) -> None:
    """Time the loads on this database and print them."""
    from hub import create_app
    from hub.core.db import system_session
    from participants import registry

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "bench"})
    with app.app_context():
        for label, region in (("France entière", None), ("Bourgogne-Franche-Comté (27)", "27")):
            timings, rows = [], 0
            for _ in range(runs):
                started = time.perf_counter()
                with system_session() as session:
                    loaded = registry.load(session, region=region)
                    session.commit()
                timings.append(time.perf_counter() - started)
                rows = loaded.communes + loaded.epci + loaded.departements + loaded.regions
            median = statistics.median(timings)
            print(f"{label:32} {rows:6d} lignes  runs {' '.join(f'{t:.2f}' for t in timings)} s  "
                  f"médiane {median:.2f} s  {rows / median:,.0f} lignes/s")


def main() -> None:
    """Parse the options, migrate a scratch database, measure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="an EMPTY database (PostgreSQL); a temporary SQLite file otherwise")
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = options.database_url or f"sqlite:///{folder}/registry.db"
        subprocess.run([str(ROOT / ".venv" / "bin" / "hub"), "db", "upgrade"], check=True, capture_output=True,
                       env={"DATABASE_URL": url, "PATH": "/usr/bin:/bin"})
        print(f"Base : {url.rsplit('@', 1)[-1]}")
        measure(url, options.runs)


if __name__ == "__main__":
    main()
