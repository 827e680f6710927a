"""Load benchmark: 50 simulated users on gunicorn + PostgreSQL, with the bare page under the same load beside it.

Run from the repository root (locust comes with the ``bench`` extra: ``.venv/bin/pip install -e '.[bench]'``):

    .venv/bin/python bench/load.py --database-url postgresql+psycopg://USER:PASSWORD@HOST/EMPTY_DB
    .venv/bin/python bench/load.py --users 10 --duration 15 --scale demo      # quick, on a temporary SQLite file

Options (``--help``): ``--users 50``, ``--duration 60`` (s of load from the first user spawned), ``--spawn-rate 10``,
``--think 1 3`` (s between two actions of a user; ``0 0`` saturates), ``--scale national|demo``, ``--no-bare``,
``--keep``.

1. Prepares a scratch database as bench/pages.py does (whose helpers it imports): ``hub db upgrade``, then
   ``hub demo --scale national`` (or the small demo) with a known password, in the EMPTY database given by
   ``--database-url`` (PostgreSQL for the headline figure) or in a temporary SQLite file without it.
   The default scale is national: it loads in 47 to 74 s on PostgreSQL (three runs on a busy 2-CPU machine), well
   under a couple of minutes, and it is the size whose list pages the team worries about.
2. Serves the hub with gunicorn (2 sync workers) and puts locust on it, as a library: a share of the users are the
   project team (equipe@demo.hub: irritant lists filtered and not, collectivity list, team board, an irritant's
   page, the selection grid; writes: a comment, an on-site capture entry), the others référents, spread over every
   demo référent account (their board, one of their irritants; writes: proposing an irritant, a comment).
   Each user logs in once, through the form with its CSRF token. About 85 % of requests besides the logins are reads.
   A login never meets the throttle (hub/core/throttle.py locks after failures only, and a success clears the
   account's count), so nothing is configured around it.
3. Puts the same load (users, think time, duration) on bench/baseline_app.py, a bare Flask + SQLModel page.

A read counts as failed unless it answers 200 (a redirect to the login page is a failure); a write unless it
redirects where its success goes (a form shown again with its errors, 422, is a failure). It prints, per
request group and in total: requests, failures, p50 and p95 in ms, requests per second; then the bare page's
line; then the reads' p50 and p95 in the steady state, counting only requests sent once the last login has ended
(the 50 logins of the start, password hashes, load both CPUs for a few seconds). Exit code 1 if anything failed.
Everything is written in a temporary directory; gunicorn is stopped at the end, also on Ctrl-C.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

# Imported first: locust patches the standard library with gevent at import, before anything opens a socket or
# imports ssl (bench/pages.py imports urllib). subprocess and gunicorn's start work unchanged under the patch.
import gevent
import psutil  # a dependency of locust
from locust import HttpUser, between, task
from locust.env import Environment

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pages  # noqa: E402  (bench/ is a plain folder: its modules are found through sys.path)
from load_report import record_timings, report  # noqa: E402

TEAM_WEIGHT, REFERENT_WEIGHT = 2, 3  # of 50 users: 20 for the team, 30 référents
DEMO_REFERENTS = ["chalon-sur-saone", "le-grand-chalon", "chassagne-montrachet", "cheroy",
                  "communaute-urbaine-creusot-montceau", "hery", "lormes", "maconnais-beaujolais-agglomeration",
                  "nievre-numerique"]
IRRITANT_LINK = re.compile(r'href="/irritants/(\d+)"')
WORKSHOP_LINK = re.compile(r'href="/ateliers/(\d+)"')
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CLIENT_KEY = re.compile(r'name="client_key"[^>]*value="([^"]+)"')
THEMES = re.compile(r'<select id="theme"[^>]*>(.*?)</select>', re.S)
SERVICES = re.compile(r'<select id="service"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option[^>]*value="([^"]+)"')
# Ctrl-C is handled through gevent: a KeyboardInterrupt raised inside gevent's loop can leave the process hanging.
MAIN = gevent.getcurrent()
RUNNING: list = []  # the locust runner under way, if any
INTERRUPTED: list = []


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="an EMPTY PostgreSQL database (default: a temporary SQLite file)")
    parser.add_argument("--users", type=int, default=50, help="simulated users (default 50)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load per run (default 60)")
    parser.add_argument("--spawn-rate", type=float, default=10.0, help="users started per second (default 10)")
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"),
                        help="seconds a user waits between two actions (default 1 3)")
    parser.add_argument("--scale", choices=("national", "demo"), default="national",
                        help="national (100,000 irritants, default) or the small demo programme")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare page's run")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (databases, server logs)")
    return parser.parse_args()


def first(pattern: re.Pattern, text: str, what: str) -> str:
    """The first group of the first match, or an error naming what was looked for."""
    found = pattern.search(text)
    if found is None:
        raise LookupError(f"no {what} in the page")
    return found.group(1)


class HubUser(HttpUser):
    """A logged-in person of the hub; reads must answer 200, writes must redirect where success goes."""

    abstract = True
    email = ""

    def on_start(self) -> None:
        """Log in once, through the form with its CSRF token."""
        page = self.read("/connexion", "connexion: formulaire")
        form = {"email": self.email, "password": pages.PASSWORD, "csrf_token": first(CSRF, page, "csrf_token")}
        self.write("/connexion", "connexion", form, re.compile(r"^/(?!connexion)"))  # the login form again: refused

    def read(self, path: str, name: str) -> str:
        """GET a page; anything but 200 (a redirect to the login page included) is a failure."""
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code} {response.headers.get('Location', '')}")
                return ""
            return response.text

    def write(self, path: str, name: str, form: dict, success: re.Pattern) -> None:
        """POST a form; a success redirects to a URL matching ``success``, anything else is a failure."""
        with self.client.post(path, data=form, name=name, allow_redirects=False, catch_response=True) as response:
            location = re.sub(r"^https?://[^/]+", "", response.headers.get("Location", ""))
            if response.status_code != 302 or not success.search(location):
                errors = re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]{3,120})<', response.text)
                response.failure(f"HTTP {response.status_code} {location} {errors[:2]}")

    def comment_on(self, irritant: str, page_name: str, write_name: str, body: str) -> None:
        """Open an irritant's page and post a comment from its form."""
        page = self.read(f"/irritants/{irritant}", page_name)
        if page:
            self.write(f"/irritants/{irritant}/commentaires", write_name,
                       {"csrf_token": first(CSRF, page, "csrf_token"), "body": f"{body} ({secrets.token_hex(3)})"},
                       re.compile(rf"/irritants/{irritant}#commentaires$"))


def a_theme(page: str) -> str:
    """One of the themes offered by the form's select."""
    return random.choice(OPTION.findall(first(THEMES, page, "theme")))


def a_service(page: str) -> str:
    """One of the services the form offers: the programme's own list, which refuses any other name."""
    return random.choice(OPTION.findall(first(SERVICES, page, "service")))


class TeamMember(HubUser):
    """The project team: lists, boards, irritants, the selection grid; a comment or a capture entry now and then."""

    weight = TEAM_WEIGHT
    email = pages.TEAM
    programme = pages.NATIONAL

    def on_start(self) -> None:
        """Log in, then open the irritant list and the workshops, as a session on the hub starts."""
        super().on_start()
        self.irritants: list[str] = []
        self.workshops = WORKSHOP_LINK.findall(self.read(f"/ateliers?programme={self.programme}", "ateliers: liste"))
        self.irritant_list()

    @task(4)
    def irritant_list(self) -> None:
        """The irritant list, one of its first pages; its links feed the irritant pages opened next."""
        page = self.read(f"/irritants?programme={self.programme}&page={random.randint(1, 5)}", "irritants: liste")
        self.irritants = IRRITANT_LINK.findall(page) or self.irritants

    @task(3)
    def filtered_list(self) -> None:
        """The irritant list filtered by theme and status."""
        self.read(f"/irritants?programme={self.programme}{pages.FILTER}", "irritants: liste filtrée")

    @task(2)
    def collectivities(self) -> None:
        """The collectivity list."""
        self.read(f"/collectivites?programme={self.programme}", "collectivités: liste")

    @task(2)
    def board(self) -> None:
        """The team's board across collectivities."""
        self.read(f"/programmes/{self.programme}/tableau", "tableau de l'équipe")

    @task(4)
    def irritant(self) -> None:
        """An irritant's page (figures, robustness, history, comments)."""
        if self.irritants:
            self.read(f"/irritants/{random.choice(self.irritants)}", "irritant: page")

    @task(1)
    def selection_grid(self) -> None:
        """The selection grid of the candidatures."""
        self.read(f"/programmes/{self.programme}/candidatures", "candidatures: grille")

    @task(2)
    def comment(self) -> None:
        """Open an irritant and comment on it."""
        if self.irritants:
            self.comment_on(random.choice(self.irritants), "irritant: page", "écriture: commentaire (équipe)",
                            "Vu en atelier")

    @task(2)
    def capture(self) -> None:
        """Open a workshop's on-site capture page and record one entry."""
        if self.workshops:
            workshop = random.choice(self.workshops)
            page = self.read(f"/ateliers/{workshop}/saisie", "saisie sur site: page")
            if page:
                self.write(f"/ateliers/{workshop}/saisie", "écriture: saisie sur site", {
                    "csrf_token": first(CSRF, page, "csrf_token"), "client_key": first(CLIENT_KEY, page, "client_key"),
                    "kind": "irritant", "title": f"Double saisie des congés ({secrets.token_hex(3)})",
                    "service": a_service(page), "theme": a_theme(page),
                    "description": "Saisi pendant l'atelier.", "occurrences_per_month": "4",
                    "minutes_per_occurrence": "15", "agents_affected": "3", "evidence_level": "2"},
                    re.compile(rf"/ateliers/{workshop}/saisie$"))


class Referent(HubUser):
    """A collectivity's référent: their board and irritants; proposing an irritant or commenting now and then."""

    weight = REFERENT_WEIGHT
    accounts: list[str] = []
    _next = 0

    def on_start(self) -> None:
        """Take the next référent account (several users may share one), log in, open the board."""
        self.email = self.accounts[Referent._next % len(self.accounts)]
        Referent._next += 1
        super().on_start()
        self.irritants: list[str] = []
        self.my_board()

    @task(5)
    def my_board(self) -> None:
        """The référent's board; its links feed the irritant pages opened next."""
        self.irritants = IRRITANT_LINK.findall(self.read("/mon-tableau", "référent: mon-tableau")) or self.irritants

    @task(3)
    def irritant(self) -> None:
        """One of the collectivity's irritants."""
        if self.irritants:
            self.read(f"/irritants/{random.choice(self.irritants)}", "référent: irritant")

    @task(1)
    def propose(self) -> None:
        """Open the form and propose an irritant for the team to review."""
        page = self.read("/irritants/nouveau", "référent: formulaire d'irritant")
        if page:
            self.write("/irritants/nouveau", "écriture: proposition (référent)", {
                "csrf_token": first(CSRF, page, "csrf_token"), "collectivity_id": "0", "kind": "irritant",
                "title": f"Ressaisie des factures ({secrets.token_hex(3)})", "service": a_service(page),
                "theme": a_theme(page), "description": "Proposé par le référent.", "occurrences_per_month": "10",
                "minutes_per_occurrence": "5", "agents_affected": "2"}, re.compile(r"/irritants/\d+$"))

    @task(1)
    def comment(self) -> None:
        """Comment on one of the collectivity's irritants, from its page."""
        if self.irritants:
            self.comment_on(random.choice(self.irritants), "référent: irritant", "écriture: commentaire (référent)",
                            "Confirmé par le service")


class BareUser(HttpUser):
    """A visitor of the bare page: the same load on the floor the hub is compared with."""

    @task
    def bare(self) -> None:
        """The bare page's 50 rows."""
        self.client.get("/", name="page nue (baseline_app)")


def prepare(env: dict, args: argparse.Namespace, baseline_url: str) -> None:
    """Migrate and load the hub's database, seed the bare page's table."""
    hub = str(pages.VENV_BIN / "hub")
    _, seconds = pages.run([hub, "db", "upgrade"], env, "hub db upgrade")
    print(f"hub db upgrade: {seconds:.1f} s")
    demo = [hub, "demo", *(["--scale", "national"] if args.scale == "national" else [])]
    _, seconds = pages.run(demo, env, " ".join(demo[1:]))
    print(f"{' '.join(demo[1:])}: {seconds:.1f} s")
    if not args.no_bare:
        pages.run([str(pages.VENV_BIN / "python"), str(pages.BENCH / "baseline_app.py"), "seed", baseline_url],
                  env, "seeding the bare page's table")


def load(user_classes: list, port: int, args: argparse.Namespace) -> Environment:
    """Run the users against the server on ``port`` for ``args.duration`` seconds; the finished environment."""
    for cls in user_classes:
        cls.wait_time = between(*args.think)
    # Users stopped at the end finish the action under way (within 10 s) rather than being cut mid-request.
    environment = Environment(user_classes=user_classes, host=f"http://127.0.0.1:{port}", stop_timeout=10)
    record_timings(environment)
    runner = environment.create_local_runner()
    runner.start(args.users, spawn_rate=args.spawn_rate)
    timer = gevent.spawn_later(args.duration, runner.quit)
    RUNNING[:] = [runner]
    try:
        runner.greenlet.join()
    finally:
        RUNNING.clear()
        timer.kill()
    if INTERRUPTED:
        raise KeyboardInterrupt
    return environment


def on_interrupt() -> None:
    """Ctrl-C: stop the users if a load runs, else interrupt the main greenlet (its finally stops the servers)."""
    INTERRUPTED.append(True)
    if RUNNING:
        gevent.spawn(RUNNING[0].quit)
    else:
        gevent.spawn(MAIN.throw, KeyboardInterrupt)


def stop_children() -> None:
    """Stop every process this run started that still runs: a gunicorn whose start Ctrl-C cut short included."""
    children = psutil.Process().children()
    for child in children:
        child.terminate()  # a gunicorn master stops its workers
    for child in psutil.wait_procs(children, timeout=15)[1]:
        child.kill()


def main() -> None:
    """Prepare, serve, load the hub then the bare page, print the table, clean up; exit 1 on any failure."""
    args = parse_args()
    gevent.signal_handler(signal.SIGINT, on_interrupt)
    tmp = Path(tempfile.mkdtemp(prefix="hub-load-"))
    baseline_url = f"sqlite:///{tmp}/baseline.db"
    env = {**os.environ, "DATABASE_URL": args.database_url or f"sqlite:///{tmp}/bench.db",
           "HUB_DEMO_PASSWORD": pages.PASSWORD, "SECRET_KEY": secrets.token_hex(32),
           "BASELINE_DATABASE_URL": baseline_url}
    database = "PostgreSQL" if (args.database_url or "").startswith("postgresql") else "SQLite"
    TeamMember.programme = pages.NATIONAL if args.scale == "national" else pages.DEMO
    Referent.accounts = [f"referent.{slug}@demo.hub" for slug in DEMO_REFERENTS]
    Referent.accounts += [pages.REFERENT] if args.scale == "national" else []
    started, failed = time.perf_counter(), None
    try:
        print(f"database: {database}{'' if args.database_url else ' ' + env['DATABASE_URL']}")
        prepare(env, args, baseline_url)
        _, port = pages.start_server("hub:create_app()", env, tmp / "hub.log")
        print(f"load on the hub: {args.users} users for {args.duration:.0f} s ...", flush=True)
        hub = load([TeamMember, Referent], port, args)
        bare = None
        if not args.no_bare:
            _, port = pages.start_server("baseline_app:create_app()", env, tmp / "baseline.log",
                                         "--pythonpath", str(pages.BENCH))
            print(f"load on the bare page: {args.users} users for {args.duration:.0f} s ...", flush=True)
            bare = load([BareUser], port, args)
        failed = report(hub, bare, args, database, team_weight=TEAM_WEIGHT, referent_weight=REFERENT_WEIGHT)
        if failed:
            print("--- hub server log (tail) ---\n" + "\n".join((tmp / "hub.log").read_text().splitlines()[-30:]))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
    finally:
        stop_children()
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"total run: {time.perf_counter() - started:.0f} s; "
          + ("interrupted" if failed is None else f"{failed} failures" if failed else "0 failures"))
    sys.exit(0 if failed == 0 else 1)


if __name__ == "__main__":
    main()
