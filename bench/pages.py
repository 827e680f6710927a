"""Benchmark of the hub's list and board pages at national scale, against a bare Flask + SQLModel page.

Run from the repository root:  .venv/bin/python bench/pages.py  [--database-url URL] [--loaded] [--keep]

1. Loads a scratch database (a temporary SQLite file, or the empty database given by ``--database-url``,
   which is how PostgreSQL is measured) with ``hub db upgrade`` and ``hub demo --scale national`` (which also
   creates the référent ``referent.synthetique-0001@demo.hub`` whose board is measured); ``--loaded`` skips
   this for a database loaded by an earlier run (``--keep`` leaves the SQLite one in place).
2. Counts the SQL statements each page runs, in-process (``create_app()``, a ``before_cursor_execute``
   listener, the test client), and compares them with the same page on the small demo programme.
3. Serves the hub and ``bench/baseline_app.py`` with gunicorn (2 workers each), the bare page reading its
   100,000 rows from its own table (``baseline_row``) in the same database; logs in over HTTP with the
   standard library, and puts a bounded load on each page (N requests from C threads, capped in time), in
   rounds over all the pages so that the machine's ups and downs fall on the bare page and the hub's alike:
   median and p95 latency, requests per second, and each page's requests per second as a share of the
   bare page's (the target: at least 0.5).
Nothing outside the temporary directory (and the given database) is written; both servers are stopped at the end.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import math
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VENV_BIN = ROOT / ".venv" / "bin"
PASSWORD = "bench-password-123"
NATIONAL = "programme-national-synthetique"
DEMO = "experimentation-ia-2024-bfc"
TEAM = "equipe@demo.hub"
REFERENT = "referent.synthetique-0001@demo.hub"
DEMO_REFERENT = "referent.chalon-sur-saone@demo.hub"
FILTER = "&theme=rh&status=identified"

# label, account, national page, account and page of the same view on the demo programme
PAGES = [
    ("irritants (national)", TEAM, f"/irritants?programme={NATIONAL}", TEAM, f"/irritants?programme={DEMO}"),
    ("irritants rh+identified", TEAM, f"/irritants?programme={NATIONAL}{FILTER}",
     TEAM, f"/irritants?programme={DEMO}{FILTER}"),
    ("mon-tableau (référent)", REFERENT, "/mon-tableau", DEMO_REFERENT, "/mon-tableau"),
    ("collectivites (national)", TEAM, f"/collectivites?programme={NATIONAL}",
     TEAM, f"/collectivites?programme={DEMO}"),
    ("collectivites commune+71", TEAM, f"/collectivites?programme={NATIONAL}&kind=commune&departement=71",
     TEAM, f"/collectivites?programme={DEMO}&kind=commune&departement=71"),
    ("candidatures (grille)", TEAM, f"/programmes/{NATIONAL}/candidatures",
     TEAM, f"/programmes/{DEMO}/candidatures"),
    ("tableau équipe", TEAM, f"/programmes/{NATIONAL}/tableau", TEAM, f"/programmes/{DEMO}/tableau"),
    ("tableau équipe thème rh", TEAM, f"/programmes/{NATIONAL}/tableau?theme=rh",
     TEAM, f"/programmes/{DEMO}/tableau?theme=rh"),
    ("ateliers (national)", TEAM, f"/ateliers?programme={NATIONAL}", TEAM, f"/ateliers?programme={DEMO}"),
]

def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="benchmark this empty database (PostgreSQL) instead of a SQLite file")
    parser.add_argument("--requests", type=int, default=200, help="requests per page (default 200)")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--rounds", type=int, default=4,
                        help="rounds over all the pages, each with its share of the requests (default 4)")
    parser.add_argument("--time-cap", type=float, default=60.0, help="seconds of load per page at most (default 60)")
    parser.add_argument("--loaded", action="store_true",
                        help="the database is already loaded (hub demo --scale national, baseline table): skip that")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (databases, server logs)")
    return parser.parse_args()


def run(command: list[str], env: dict, what: str) -> tuple[str, float]:
    """Run a command from the repository root; its output and duration, or exit on failure."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        print(f"!! {what} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}", file=sys.stderr)
        sys.exit(1)
    return done.stdout, seconds


def prepare(env: dict, baseline_url: str) -> None:
    """Migrate and load the hub's database, seed the baseline table."""
    _, seconds = run([str(VENV_BIN / "hub"), "db", "upgrade"], env, "hub db upgrade")
    print(f"hub db upgrade: {seconds:.1f} s")
    output, seconds = run([str(VENV_BIN / "hub"), "demo", "--scale", "national"], env, "hub demo --scale national")
    reported = re.search(r"prête en ([\d.,]+) s", output)
    print(f"hub demo --scale national: {seconds:.1f} s wall clock; the command reports "
          + (f"« Échelle nationale prête en {reported.group(1)} s »" if reported else "no duration:\n" + output))
    _, seconds = run([str(VENV_BIN / "python"), str(BENCH / "baseline_app.py"), "seed", baseline_url],
                     env, "seeding the baseline")
    print(f"baseline table seeded (100,000 rows): {seconds:.1f} s")


def count_queries(env: dict, baseline_url: str) -> tuple[dict, int]:
    """SQL statements per request, in-process: {label: (national, demo)} and the baseline's count."""
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "SECRET_KEY", "HUB_LOGIN_RATE_LIMIT")})
    from sqlalchemy import event
    from sqlmodel import select

    from hub import create_app
    from hub.core.db import system_session
    from hub.core.models import User

    app = create_app()
    statements = [0]

    def _count(*_args):
        statements[0] += 1

    event.listen(app.extensions["hub.engine"], "before_cursor_execute", _count)
    with app.app_context(), system_session() as session:
        accounts = {email: (user_id, epoch) for email, user_id, epoch
                    in session.exec(select(User.email, User.id, User.session_epoch)).all()}

    def measure(email: str, path: str) -> str | int:
        """Statements run by one warm request for this page, as this account."""
        client = app.test_client()
        with client.session_transaction() as flask_session:
            flask_session["_user_id"] = str(accounts[email][0])
            flask_session["_fresh"] = True
            flask_session["_epoch"] = accounts[email][1]  # the session of a login that was not ended
        client.get(path)
        statements[0] = 0
        response = client.get(path)
        return statements[0] if response.status_code == 200 else f"HTTP {response.status_code}"

    counts = {label: (measure(email, path), measure(demo_email, demo_path))
              for label, email, path, demo_email, demo_path in PAGES}
    import baseline_app

    baseline = baseline_app.create_app(baseline_url)
    event.listen(baseline.extensions["baseline.engine"], "before_cursor_execute", _count)
    client = baseline.test_client()
    client.get("/")
    statements[0] = 0
    client.get("/")
    return counts, statements[0]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(app_spec: str, env: dict, log: Path, *extra: str) -> tuple[subprocess.Popen, int]:
    """Start gunicorn (2 workers) on a free port and wait until it answers."""
    port = free_port()
    command = [str(VENV_BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", *extra, app_spec]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn {app_spec} exited ({proc.returncode}):\n{log.read_text()}")
        try:
            fetch(port, "/", "")
            return proc, port
        except OSError:
            time.sleep(0.2)
    stop_server(proc)
    raise RuntimeError(f"gunicorn {app_spec} did not answer within 60 s:\n{log.read_text()}")


def stop_server(proc: subprocess.Popen) -> None:
    """Stop a gunicorn master we started (it stops its workers), forcefully if it lingers."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def fetch(port: int, path: str, cookie: str) -> tuple[int, float, bytes]:
    """GET one page on a fresh connection: status, seconds until the body is read, body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        started = time.perf_counter()
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        body = response.read()
        return response.status, time.perf_counter() - started, body
    finally:
        connection.close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Keep the login's 302 visible instead of following it."""

    def redirect_request(self, *_args, **_kwargs):
        """Never follow."""
        return None


def login(port: int, email: str) -> str:
    """Log in through the form (CSRF token included); the Cookie header of the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    url = f"http://127.0.0.1:{port}/connexion"
    page = opener.open(url, timeout=30).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    if token is None:
        raise RuntimeError("no csrf_token in GET /connexion")
    form = urllib.parse.urlencode({"email": email, "password": PASSWORD, "csrf_token": token.group(1)}).encode()
    try:
        answer = opener.open(urllib.request.Request(url, data=form), timeout=30)
        raise RuntimeError(f"login of {email} refused (HTTP {answer.status}, form shown again)")
    except urllib.error.HTTPError as redirect:
        if redirect.code != 302:
            raise RuntimeError(f"login of {email}: HTTP {redirect.code}") from redirect
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def load(port: int, path: str, cookie: str, requests: int, concurrency: int, time_cap: float) -> dict:
    """Up to ``requests`` GETs from ``concurrency`` threads within ``time_cap`` seconds; what each answered."""
    lock = threading.Lock()
    issued, latencies, statuses = [0], [], Counter()
    deadline = time.perf_counter() + time_cap

    def worker():
        while True:
            with lock:
                if issued[0] >= requests or time.perf_counter() >= deadline:
                    return
                issued[0] += 1
            try:
                status, seconds, _ = fetch(port, path, cookie)
            except OSError as error:
                status, seconds = type(error).__name__, 0.0
            with lock:
                statuses[status] += 1
                if status == 200:
                    latencies.append(seconds)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"latencies": latencies, "statuses": statuses, "wall": time.perf_counter() - started}


def figures(rounds: list[dict]) -> dict:
    """A page's figures over its rounds: throughput is its answers over the time its rounds took."""
    latencies = [seconds for part in rounds for seconds in part["latencies"]]
    statuses = sum((part["statuses"] for part in rounds), Counter())
    wall = sum(part["wall"] for part in rounds)
    return {"ok": len(latencies), "done": sum(statuses.values()), "statuses": dict(statuses), "wall": wall,
            "median": statistics.median(latencies) * 1000 if latencies else math.nan,
            "p95": percentile(latencies, 0.95) * 1000 if latencies else math.nan,
            "rps": len(latencies) / wall if wall else math.nan}


def measure_pages(targets: list[tuple[str, int, str, str, Path]], args: argparse.Namespace) -> dict[str, dict]:
    """Check each page answers 200 and warm both workers up; then load the pages in turn, round after round.

    Each round gives every page, the bare one included, its share of the requests: a shared machine that slows
    down for a while slows the bare page and the hub's alike, instead of skewing their ratio (one page measured
    after the other, the bare page's throughput moved by half between runs minutes apart).
    """
    failed, rounds = {}, {label: [] for label, *_ in targets}
    for label, port, path, cookie, log in targets:
        status, _, body = fetch(port, path, cookie)
        if status != 200:
            print(f"!! {label}: GET {path} answered {status}\n{body[:500]!r}\n--- server log (tail) ---\n"
                  + "\n".join(log.read_text().splitlines()[-40:]), file=sys.stderr)
            failed[label] = {"ok": 0, "done": 1, "statuses": {status: 1}, "wall": 0.0,
                             "median": math.nan, "p95": math.nan, "rps": math.nan}
            continue
        for _ in range(2 * args.concurrency):
            fetch(port, path, cookie)
        print(f"  {label:<26} {len(body) // 1024} KiB per page")
    share = max(1, args.requests // args.rounds)
    for _ in range(args.rounds):
        for label, port, path, cookie, _log in targets:
            if label not in failed:
                rounds[label].append(load(port, path, cookie, share, args.concurrency, args.time_cap / args.rounds))
    return {label: failed.get(label) or figures(rounds[label]) for label, *_ in targets}


def print_counts(counts: dict, baseline: int) -> None:
    """SQL statements per request at national scale beside the same page on the demo programme."""
    print("\nSQL queries per request (in-process, warm request)")
    print(f"  {'page':<26} {'national':>9} {'demo':>6}   demo page")
    for label, _email, _path, demo_email, demo_path in PAGES:
        national, demo = counts[label]
        who = f" as {demo_email}" if demo_email != TEAM else ""
        print(f"  {label:<26} {national!s:>9} {demo!s:>6}   {demo_path}{who}")
    print(f"  {'baseline (bare Flask)':<26} {baseline:>9}")
    constant = all(national == demo and isinstance(national, int) for national, demo in counts.values())
    print(f"queries per page constant: {'yes' if constant else 'no'}")


def print_table(results: list[tuple[str, dict, object]], args: argparse.Namespace) -> None:
    """The final table: latencies, throughput, queries, and each page's throughput as a share of the bare page's."""
    baseline = results[0][1]["rps"]
    print(f"\nLoad: {args.requests} requests per page in {args.rounds} rounds over all the pages, "
          f"{args.concurrency} client threads, cap {args.time_cap:.0f} s per page; gunicorn 2 sync workers; "
          f"{os.cpu_count()} CPUs")
    header = (f"{'page':<26} {'median ms':>10} {'p95 ms':>8} {'req/s':>7} {'OK':>9} {'SQL/req':>8} "
              f"{'× bare req/s':>13}")
    print(header)
    print("-" * len(header))
    below = []
    for label, result, queries in results:
        ratio = result["rps"] / baseline if baseline else math.nan
        if not ratio >= 0.5:
            below.append(label)
        print(f"{label:<26} {result['median']:>10.1f} {result['p95']:>8.1f} {result['rps']:>7.1f} "
              f"{str(result['ok']) + '/' + str(result['done']):>9} {queries!s:>8} {ratio:>12.2f}×")
        if set(result["statuses"]) - {200}:
            print(f"{'':<26} statuses: {result['statuses']}")
    print("every page at least 0.5× the bare page's throughput: "
          + ("yes" if not below else "no (" + ", ".join(below) + ")"))


def main() -> None:
    """Prepare, count queries, serve, load each page, print the figures, clean up."""
    args = parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="hub-bench-"))
    database_url = args.database_url or f"sqlite:///{tmp}/bench.db"
    baseline_url = database_url  # the bare page reads its own table in the same database
    env = {**os.environ, "DATABASE_URL": database_url,
           "HUB_DEMO_PASSWORD": PASSWORD, "SECRET_KEY": secrets.token_hex(32),
           "HUB_LOGIN_RATE_LIMIT": "10000 per minute", "BASELINE_DATABASE_URL": baseline_url}
    servers: list[subprocess.Popen] = []
    started = time.perf_counter()
    try:
        print(f"database: {database_url.split('@')[-1]}")
        if not args.loaded:
            prepare(env, baseline_url)
        counts, baseline_queries = count_queries(env, baseline_url)
        print_counts(counts, baseline_queries)
        hub, hub_port = start_server("hub:create_app()", env, tmp / "hub.log")
        servers.append(hub)
        base, base_port = start_server("baseline_app:create_app()", env, tmp / "baseline.log",
                                       "--pythonpath", str(BENCH))
        servers.append(base)
        cookies = {email: login(hub_port, email) for email in (TEAM, REFERENT)}
        print("\nload:")
        targets = [("baseline (bare Flask)", base_port, "/", "", tmp / "baseline.log")] + [
            (label, hub_port, path, cookies[email], tmp / "hub.log") for label, email, path, *_ in PAGES]
        measured = measure_pages(targets, args)
        results = [("baseline (bare Flask)", measured["baseline (bare Flask)"], baseline_queries)] + [
            (label, measured[label], counts[label][0]) for label, *_ in PAGES]
        print_table(results, args)
    finally:
        for proc in servers:
            stop_server(proc)
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"\ntotal run: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
