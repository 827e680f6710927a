"""The heaviest page of each role on the demo programme: every page a role reaches by its links, timed.

Run from the repository root:  .venv/bin/python bench/roles.py [--runs 7] [--max-pages 120]

Loads the demo programme (``hub db upgrade``, ``hub registry load --region 27``, ``hub demo``) into a temporary
SQLite file, then, in process (``create_app()`` and its test client), logs in as each demo account (admin, project
team, committee, the référent of Chalon-sur-Saône) and walks the pages its links lead to from its home page,
breadth first, GET only, within the hub (no downloads: PDF, CSV, ZIP, images). Each page is requested ``--runs``
times after a warm-up; the script prints each role's five slowest pages by median, and whether the heaviest of
each role stays under the target of 100 ms.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
TARGET_MS = 100
ACCOUNTS = {"admin": "admin@demo.hub", "équipe projet": "equipe@demo.hub", "comité": "comite@demo.hub",
            "référent": "referent.chalon-sur-saone@demo.hub"}
LINK = re.compile(r'<a\s[^>]*href="(/[^"]*)"')
# Links that are not pages a person reads: downloads, the logout, language switches, files.
SKIPPED = re.compile(r"(\.(pdf|csv|zip|png|svg|js|css|webmanifest|json)(\?|$))|/deconnexion|/langue|/photos/|"
                     r"/static/|\.pdf|/exports?/")


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed requests per page (default 7)")
    parser.add_argument("--max-pages", type=int, default=120, help="pages walked per role at most (default 120)")
    return parser.parse_args()


def load_demo(env: dict) -> None:
    """The demo programme in the scratch database."""
    for command in (["db", "upgrade"], ["registry", "load", "--region", "27"], ["demo"]):
        done = subprocess.run([str(VENV_BIN / "hub"), *command], cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"hub {' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")


def timed(client, path: str, runs: int) -> float | None:
    """Median milliseconds of ``runs`` GETs after a warm-up, or None when the page is not a 200 HTML page."""
    first = client.get(path)
    if first.status_code != 200 or not first.content_type.startswith("text/html"):
        return None
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def walk(client, runs: int, max_pages: int) -> dict[str, float]:
    """Every page reached from the home page by links, breadth first, with its median time."""
    seen, queue, medians = {"/"}, deque(["/"]), {}
    while queue and len(medians) < max_pages:
        path = queue.popleft()
        median = timed(client, path, runs)
        if median is None:
            continue
        medians[path] = median
        for link in LINK.findall(client.get(path).get_data(as_text=True)):
            link = urldefrag(link.replace("&amp;", "&"))[0]
            if link not in seen and not SKIPPED.search(link) and not urlsplit(link).query.count("page="):
                seen.add(link)
                queue.append(link)
    return medians


def main() -> None:
    """Load the demo, walk each role's pages, print the slowest."""
    args = parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="hub-roles-"))
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/demo.db", "HUB_DEMO_PASSWORD": "bench-password-123",
           "SECRET_KEY": secrets.token_hex(32)}
    try:
        load_demo(env)
        os.environ.update(env)
        sys.path.insert(0, str(ROOT / "bench"))
        from profile_pages import accounts, logged_in_client

        from hub import create_app

        app = create_app()
        ids = accounts(app)
        verdicts = []
        for role, email in ACCOUNTS.items():
            medians = walk(logged_in_client(app, ids, email), args.runs, args.max_pages)
            slowest = sorted(medians.items(), key=lambda item: -item[1])
            print(f"\n{role} ({email}): {len(medians)} pages walked; slowest by median of {args.runs}:")
            for path, median in slowest[:5]:
                print(f"  {median:7.1f} ms  {path}")
            verdicts.append((role, slowest[0]))
        print(f"\nheaviest page per role (target: under {TARGET_MS} ms median)")
        for role, (path, median) in verdicts:
            print(f"  {role:<14} {median:7.1f} ms  {'OK' if median < TARGET_MS else 'OVER'}  {path}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
