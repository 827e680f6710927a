"""Benchmark of the programme report's PDF: the demo programme and a synthetic national one, against WeasyPrint's floor.

Run from the repository root:  .venv/bin/python bench/report.py  [--repeat 1] [--collectivities 500,2000] [--keep]

1. Builds a scratch SQLite database in a temporary directory with ``hub db upgrade`` and ``hub demo``, then
   adds one synthetic national programme per size in ``--collectivities`` (that many enrolled collectivities,
   each with workshops, ten irritants, tool seats and six months of usage, hence one annex page each)
   through Core inserts.
2. Renders each report, each time in a fresh subprocess (so that peak memory, ``ru_maxrss``, is the case's
   own): assembly, charts, WeasyPrint layout and writing in parts, pikepdf join; then the same report with
   the charts removed (``report_charts`` answering ``{}``), whose WeasyPrint time is the chart-free floor.
3. Prints medians over ``--repeat`` runs (memory: the largest), the ratio of each report's cost per page to
   its floor's, and a verdict on each aim: demo report within 5 s, per-page cost within 1.2x of the floor,
   national peak memory of 600 MB or less (the aim is set at 2,000 collectivities; every size is checked).

Peak memory is the largest ``ru_maxrss`` of the case's process and of any process it waited for.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import random
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
DEMO = "experimentation-ia-2024-bfc"
NATIONAL = "programme-banc-rapport"
AIM_DEMO_SECONDS, AIM_RATIO, AIM_PEAK_MB = 5.0, 1.2, 600.0


def national_slug(size: int) -> str:
    """The synthetic programme of this many collectivities (one per size, side by side in the database)."""
    return f"{NATIONAL}-{size}"


def cases(sizes: list[int]) -> list[tuple[str, str, bool]]:
    """The cases, each with and without charts: label, programme slug, charts kept."""
    reports = [("demo", DEMO)] + [(f"national {size}", national_slug(size)) for size in sizes]
    return [case for label, slug in reports for case in ((label, slug, True), (f"{label}, no charts", slug, False))]


def parse_args() -> argparse.Namespace:
    """Command-line options (``--child`` is how the script runs one measurement in a subprocess)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each case, medians printed (default 1)")
    parser.add_argument("--collectivities", type=lambda text: [int(n) for n in text.split(",")], default=[500, 2000],
                        help="national programme sizes, comma-separated (default 500,2000)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (the database)")
    parser.add_argument("--child", metavar="SLUG", help=argparse.SUPPRESS)
    parser.add_argument("--no-charts", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def run(command: list[str], env: dict, what: str) -> float:
    """Run a command from the repository root; its duration, or exit on failure."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        print(f"!! {what} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}", file=sys.stderr)
        sys.exit(1)
    return time.perf_counter() - started


def load_national(size: int) -> None:
    """Add the synthetic programme: ``size`` enrolled collectivities with workshops, irritants, seats and usage."""
    import sqlalchemy as sa

    from hub import create_app
    from hub.app.demo.arnia import IRRITANT_KINDS, THEMES
    from hub.core.db import new_session
    from hub.core.models import Milestone, Programme, ProgrammeTheme, utcnow
    from hub.core.scoping import Scope
    from irritants import scoring
    from irritants.models import UNSCORED_PRIORITY, Irritant
    from participants.models import Collectivity, Enrolment, ToolSeat, UsageMonth
    from workshops.models import Workshop

    rng, now, access = random.Random(500), utcnow(), date(2025, 3, 1)
    departements = [f"{n:02d}" for n in range(1, 96) if n != 20]
    with create_app().app_context(), new_session(scope=Scope.all()) as session:
        prefix = f"banc-{size}-"
        programme = Programme(slug=national_slug(size), name=f"Programme national de banc d'essai ({size})",
                              agency="Agence fictive", region_name="France", region_departements=departements,
                              launch_date=date(2025, 1, 15), launch_place="Paris", is_demo=True)
        session.add(programme)
        session.flush()
        pid = programme.id
        session.add(Milestone(programme_id=pid, kind="tool_access", label="Accès à l'outil", starts_on=access))
        session.add_all(ProgrammeTheme(programme_id=pid, code=code, label=label) for code, label in THEMES)
        session.execute(sa.insert(Collectivity.__table__), [{
            "name": f"Collectivité de banc {size}-{n:04d}", "slug": f"{prefix}{n:04d}",
            "kind": rng.choice(["commune", "commune", "epci", "syndicat_mixte"]),
            "departement_code": departements[n % len(departements)],
            "population": rng.randint(200, 200_000), "contact_name": "", "contact_email": "", "is_demo": True,
            "created_at": now} for n in range(1, size + 1)])
        ids = list(session.execute(sa.select(Collectivity.id).where(Collectivity.slug.like(f"{prefix}%"))).scalars())
        session.execute(sa.insert(Enrolment.__table__), [{
            "programme_id": pid, "collectivity_id": cid, "status": "enrolled", "motivation": "",
            "applied_on": date(2024, 11, 1)} for cid in ids])
        session.execute(sa.insert(Workshop.__table__), [{
            "programme_id": pid, "collectivity_id": cid, "place": "Mairie", "services": ["accueil", "RH"],
            "held_on": date(2025, 2, 1) + timedelta(days=rng.randint(0, 90)),
            "status": rng.choice(["planned", "held", "published"]), "themes": ["classement"], "context": "",
            "agents_met": rng.randint(3, 20), "next_steps": "", "published_at": None} for cid in ids for _ in range(2)])
        workshops = dict(session.execute(sa.select(Workshop.collectivity_id, Workshop.id)
                                         .where(Workshop.programme_id == pid)).all())
        irritants = []
        for n in range(10 * len(ids)):
            cid, kind = ids[n % len(ids)], IRRITANT_KINDS[rng.randrange(len(IRRITANT_KINDS))]
            occurrences, minutes, agents = rng.randint(1, 120), rng.randint(2, 240), rng.randint(1, 8)
            hours = scoring.hours_per_year(occurrences, minutes, agents)
            status = rng.choice(["identified", "qualified", "scored", "decided", "in_progress", "done"])
            value = round(hours * 30 * rng.uniform(0.1, 0.6), 2) if status not in ("identified", "qualified") else None
            irritants.append({
                "programme_id": pid, "collectivity_id": cid, "workshop_id": workshops[cid], "kind": "irritant",
                "title": f"{kind[0]} ({n})", "description": kind[10], "wish": kind[11], "service": kind[2],
                "theme": kind[1], "raised_by": kind[9], "status": status, "evidence_level": rng.randint(0, 3),
                "occurrences_per_month": occurrences, "minutes_per_occurrence": minutes, "agents_affected": agents,
                "impact_citizens": False, "compliance_risk": False, "mental_load": False,
                "actionability": rng.randint(0, 3), "hours_per_year": round(hours, 2), "priority_value": value,
                "priority_sort": UNSCORED_PRIORITY if value is None else value,
                "recommended_family": rng.choice(["formation", "processus", "outil_classique", "ia_generative"])
                if value is not None else None, "client_key": None, "is_demo": True, "version": 1,
                "created_by_id": None, "created_at": now, "updated_at": now})
        session.execute(sa.insert(Irritant.__table__), irritants)
        seats = {cid: rng.randint(5, 50) for cid in ids}
        session.execute(sa.insert(ToolSeat.__table__), [{
            "programme_id": pid, "collectivity_id": cid, "seats": n, "granted_on": access} for cid, n in seats.items()])
        session.execute(sa.insert(UsageMonth.__table__), [{
            "programme_id": pid, "collectivity_id": cid, "month": date(2025, 3 + m, 1),
            "active_users": rng.randint(1, seats[cid]), "requests": rng.randint(10, 2000), "use_cases": {},
            "source": "imported", "validated": True} for cid in ids for m in range(6)])
        session.commit()


def child(slug: str, charts: bool) -> dict:
    """One measurement in this (fresh) process: phase timings, pages, peak RSS, warnings logged."""
    import pikepdf
    from sqlmodel import select

    import exports.rendering as rendering
    from exports.assembly import assemble_report
    from hub import create_app
    from hub.core.db import new_session
    from hub.core.models import Programme
    from hub.core.scoping import Scope

    phases = {"charts": 0.0, "layout": 0.0, "write": 0.0, "join": 0.0}
    rss_by_part: list[int] = []
    warnings: list[str] = []

    def timed(phase, function):
        """Wrap a function of exports.rendering so that its time adds to ``phase``."""
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            result = function(*args, **kwargs)
            phases[phase] += time.perf_counter() - started
            if phase in ("write", "join"):
                rss_by_part.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
            return result
        return wrapper

    rendering.report_charts = timed("charts", rendering.report_charts if charts else lambda data: {})
    rendering.render_document = timed("layout", rendering.render_document)
    rendering.write_tagged = timed("write", rendering.write_tagged)
    rendering.join_tagged = timed("join", rendering.join_tagged)
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: warnings.append(f"{record.name}: {record.getMessage()}"[:200])
    logging.getLogger().addHandler(handler)
    app = create_app()
    from hub.core import charts as chart_engine

    chart_engine.warm_up()  # as `hub worker` does when it starts: the measured rendering is a worker's
    with app.app_context(), app.test_request_context("/"), new_session(scope=Scope.all()) as session:
        programme = session.exec(select(Programme).where(Programme.slug == slug)).one()
        started = time.perf_counter()
        data = assemble_report(session, programme)
        assembled = time.perf_counter()
        pdf = rendering.render_report_pdf(data)
        finished = time.perf_counter()
    # Before pikepdf counts the pages; a part rendered in a subprocess counts with its own peak.
    peak_mb = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024
    with pikepdf.open(io.BytesIO(pdf)) as document:
        pages = len(document.pages)
    return {"seconds": finished - started, "assemble": assembled - started, **phases, "pages": pages,
            "annexes": len(data["annexes"]), "peak_mb": peak_mb,
            "rss_by_part": rss_by_part, "warnings": warnings, "kib": len(pdf) // 1024}


def measure(slug: str, charts: bool, env: dict) -> dict:
    """Run one case in a fresh subprocess; its figures (the last line it prints, as JSON)."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", slug] + ([] if charts else ["--no-charts"])
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        print(f"!! {slug} (charts={charts}) failed:\n{done.stdout}\n{done.stderr}", file=sys.stderr)
        sys.exit(1)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["stderr"] = [line for line in done.stderr.splitlines() if line.strip()]
    return result


def summarise(runs: list[dict]) -> dict:
    """Medians of the timings over the runs; memory (and pages, which do not change) the largest."""
    keys = ("seconds", "assemble", "charts", "layout", "write", "join")
    summary = {key: statistics.median(run[key] for run in runs) for key in keys}
    return {**summary, "pages": max(run["pages"] for run in runs), "peak_mb": max(run["peak_mb"] for run in runs),
            "weasyprint": summary["layout"] + summary["write"]}


def print_table(results: dict[str, dict], sizes: list[int], repeat: int) -> None:
    """The figures, one line per case, then the ratio to the floor and a verdict per aim."""
    print(f"\nReport PDF, median of {repeat} run(s), each in a fresh process; {os.cpu_count()} CPUs; "
          f"national = {', '.join(str(size) for size in sizes)} enrolled collectivities")
    header = (f"{'case':<27} {'pages':>5} {'seconds':>8} {'s/page':>7} {'assemble':>8} {'charts':>7} "
              f"{'WeasyPrint':>10} {'join':>6} {'WP s/page':>9} {'peak MB':>8}")
    print(header + "\n" + "-" * len(header))
    for label, row in results.items():
        print(f"{label:<27} {row['pages']:>5} {row['seconds']:>8.2f} {row['seconds'] / row['pages']:>7.3f} "
              f"{row['assemble']:>8.2f} {row['charts']:>7.2f} {row['weasyprint']:>10.2f} {row['join']:>6.2f} "
              f"{row['weasyprint'] / row['pages']:>9.3f} {row['peak_mb']:>8.0f}")
    print("(seconds: all of it, assembly and templates included; WeasyPrint = layout + writing the parts; "
          "join = pikepdf)\n")
    verdict = {True: "met", False: "MISSED"}
    demo = results["demo"]
    print(f"aim: demo report within {AIM_DEMO_SECONDS:.0f} s: {demo['seconds']:.2f} s -> "
          + verdict[demo["seconds"] <= AIM_DEMO_SECONDS])
    for name in ["demo"] + [f"national {size}" for size in sizes]:
        row, floor = results[name], results[f"{name}, no charts"]
        ratio = (row["seconds"] / row["pages"]) / (floor["weasyprint"] / floor["pages"])
        print(f"aim: {name} per-page cost within {AIM_RATIO}x of the chart-free WeasyPrint floor: "
              f"{row['seconds'] / row['pages']:.3f} / {floor['weasyprint'] / floor['pages']:.3f} s = {ratio:.2f}x -> "
              + verdict[ratio <= AIM_RATIO])
    for size in sizes:
        peak = results[f"national {size}"]["peak_mb"]
        print(f"aim: national {size} peak memory of {AIM_PEAK_MB:.0f} MB or less: {peak:.0f} MB -> "
              + verdict[peak <= AIM_PEAK_MB] + ("" if size == 2000 else " (the aim is set at 2,000)"))


def main() -> None:
    """Prepare the database, measure every case ``--repeat`` times, interleaved, print the figures."""
    args = parse_args()
    if args.child:
        print(json.dumps(child(args.child, not args.no_charts)))
        return
    tmp = Path(tempfile.mkdtemp(prefix="hub-bench-report-"))
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.db", "SECRET_KEY": secrets.token_hex(32),
           "HUB_DEMO_PASSWORD": "bench-password-123"}
    started = time.perf_counter()
    try:
        print(f"database: {env['DATABASE_URL']}")
        print(f"hub db upgrade: {run([str(VENV_BIN / 'hub'), 'db', 'upgrade'], env, 'hub db upgrade'):.1f} s")
        print(f"hub demo: {run([str(VENV_BIN / 'hub'), 'demo'], env, 'hub demo'):.1f} s")
        os.environ.update({k: env[k] for k in ("DATABASE_URL", "SECRET_KEY", "HUB_DEMO_PASSWORD")})
        for size in args.collectivities:
            loading = time.perf_counter()
            load_national(size)
            print(f"national programme ({size} collectivities): {time.perf_counter() - loading:.1f} s")
        runs: dict[str, list[dict]] = {label: [] for label, _slug, _charts in cases(args.collectivities)}
        for attempt in range(1, args.repeat + 1):
            for label, slug, charts in cases(args.collectivities):
                result = measure(slug, charts, env)
                runs[label].append(result)
                print(f"  run {attempt} {label:<27} {result['seconds']:6.2f} s, {result['pages']} pages, "
                      f"{result['peak_mb']:.0f} MB, {result['kib']} KiB, {len(result['warnings'])} warnings logged")
        print_table({label: summarise(case_runs) for label, case_runs in runs.items()}, args.collectivities,
                    args.repeat)
        for label, case_runs in runs.items():
            print(f"{label}: peak RSS (MB) after each part written, then the join: {case_runs[-1]['rss_by_part']}")
            logged = sorted({w for run_ in case_runs for w in run_["warnings"] + run_["stderr"]})
            if logged:
                print(f"  logged ({len(logged)} distinct): " + " | ".join(logged[:5]))
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"\ntotal run: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
