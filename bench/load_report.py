"""The table bench/load.py prints: requests, failures, p50, p95 and req/s per group, then the bare page's line; and the
same reads in the steady state, once every user has logged in."""

from __future__ import annotations

import argparse
import os
import statistics
from collections import defaultdict

from locust.env import Environment
from locust.stats import StatsEntry


def record_timings(environment: Environment) -> None:
    """Keep every request's start, group and response time on ``environment.timings``, for the steady state."""
    environment.timings = []

    def on_request(request_type, name, response_time, start_time=None, exception=None, **_kwargs):
        environment.timings.append((start_time or 0.0, request_type, name, response_time, exception is None))

    environment.events.request.add_listener(on_request)


def steady_state(environment: Environment) -> None:
    """The reads' p50 and p95, per group and in all, counting only requests sent after the last login ended.

    The users log in at the start (ten a second): 50 password hashes (Argon2id) in five seconds load both CPUs,
    and every page requested meanwhile waits behind them. A team logs in once a day; what its pages cost after
    that is the steady state.
    """
    logins_end = max((start + elapsed / 1000 for start, method, name, elapsed, _ok in environment.timings
                      if method == "POST" and name.startswith("connexion")), default=0.0)
    groups: dict[str, list[float]] = defaultdict(list)
    for start, method, name, elapsed, ok in environment.timings:
        if method == "GET" and ok and start > logins_end:
            groups[name].append(elapsed)
    if not groups:
        return
    first = min(start for start, *_rest in environment.timings)
    print(f"\nreads in the steady state (sent after the last login ended, {logins_end - first:.1f} s into the run)")
    print(f"{'group':<38} {'requests':>8} {'p50 ms':>7} {'p95 ms':>7}")
    for name, times in sorted(groups.items()):
        print(_percentiles(f"GET {name}", times))
    print(_percentiles("reads (all GET)", [t for times in groups.values() for t in times]))


def _percentiles(label: str, times: list[float]) -> str:
    cuts = statistics.quantiles(times, n=100, method="inclusive") if len(times) > 1 else [times[0]] * 99
    return f"{label:<38} {len(times):>8} {cuts[49]:>7.0f} {cuts[94]:>7.0f}"


def row(label: str, entry: StatsEntry) -> str:
    """One line of the table."""
    return (f"{label:<38} {entry.num_requests:>8} {entry.num_failures:>8} "
            f"{entry.get_response_time_percentile(0.5):>7.0f} {entry.get_response_time_percentile(0.95):>7.0f} "
            f"{entry.total_rps:>7.1f}")


def merged(environment: Environment, label: str, entries: list[StatsEntry]) -> StatsEntry:
    """The entries added up into one (their response times included, for the percentiles)."""
    total = StatsEntry(environment.stats, label, "")
    for entry in entries:
        total.extend(entry)
    return total


def failures(environment: Environment) -> int:
    """Failed requests plus exceptions raised in the users' code, with the first few reasons printed."""
    for error in list(environment.stats.errors.values())[:8]:
        print(f"  !! {error.occurrences} × {error.method} {error.name}: {error.error}")
    for exception in list(environment.runner.exceptions.values())[:4]:
        print(f"  !! {exception['count']} × exception: {exception['msg']}\n{exception['traceback']}")
    return environment.stats.total.num_failures + sum(e["count"] for e in environment.runner.exceptions.values())


def report(hub: Environment, bare: Environment | None, args: argparse.Namespace, database: str, *,
           team_weight: int, referent_weight: int) -> int:
    """Print the table; the number of failures (failed requests and exceptions) of both runs."""
    team = args.users * team_weight // (team_weight + referent_weight)
    print(f"\n{args.users} users ({team} team, {args.users - team} référents), {args.duration:.0f} s, "
          f"think time {args.think[0]:g}–{args.think[1]:g} s, spawn {args.spawn_rate:g}/s; gunicorn 2 sync workers; "
          f"{database}; scale {args.scale}; {os.cpu_count()} CPUs (client, server and database share them)")
    header = f"{'group':<38} {'requests':>8} {'failures':>8} {'p50 ms':>7} {'p95 ms':>7} {'req/s':>7}"
    print(header + "\n" + "-" * len(header))
    entries = sorted(hub.stats.entries.values(), key=lambda e: (e.name.startswith("écriture"), e.name))
    for entry in entries:
        print(row(f"{entry.method} {entry.name}", entry))
    print("-" * len(header))
    writes = [e for e in entries if e.name.startswith("écriture")]
    reads = [e for e in entries if e.method == "GET"]
    for label, some in (("reads (all GET)", reads), ("writes (form posts, no login)", writes)):
        print(row(label, merged(hub, label, some)))
    logins = sum(e.num_requests for e in entries if e.name.startswith("connexion"))
    share = sum(e.num_requests for e in writes) / max(1, hub.stats.total.num_requests - logins)
    print(row("TOTAL (logins included)", hub.stats.total) + f"   writes: {share:.0%} of requests besides logins")
    failed = failures(hub)
    if bare is not None:
        print(row("bare page, same load (baseline_app)", bare.stats.total))
        failed += failures(bare)
    steady_state(hub)
    return failed
