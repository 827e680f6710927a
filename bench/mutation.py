"""Mutation testing of the method (DESIGN §3): do the method's tests notice when its code is changed?

Run from the repository root:  make mutation   (or  .venv/bin/python bench/mutation.py [--keep] [--target 0.9])

mutmut 3 (configured in pyproject.toml, ``[tool.mutmut]``) copies the tree into ``mutants/``, changes one operator,
constant or call at a time in the method's pure modules, and runs the fast method tests that cover the changed
function. A mutant is *killed* when a test fails, *survives* when every test passes.

Mutated: irritants/scoring.py, irritants/qualification.py, irritants/present_value.py, irritants/footprints.py and
irritants/ai_act.py. Left out, on purpose: irritants/robustness.py (each test draws hundreds of Monte Carlo
recommendations: a run per mutant would take hours on a shared machine) and irritants/similarity.py (a TF-IDF fit
and a clustering per test, as slow). Their own tests still run in ``make test``.

Tests run against the mutants: tests/irritants/test_scoring.py, test_scoring_rules.py, test_scoring_details.py,
test_scoring_properties.py, test_value_over_time.py, test_footprints.py and test_ai_act.py, without the tests
that load the demo or a database or draw a Monte Carlo (see ``pytest_add_cli_args`` in pyproject.toml).

Printed: mutants in all, killed, survived, timed out, without tests; the score, killed / (total − equivalent); and
every survivor, with the reason it cannot be killed when it is a known equivalent mutant (``EQUIVALENT`` below:
a mutant that changes the code but no behaviour any input can observe). A survivor not in that list is a gap in
the tests. The exit status is 1 when the score is below the target (90 %).

``make mutation`` is not part of ``make test``: a full run takes about twenty minutes on two cores.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTMUT = ROOT / ".venv" / "bin" / "mutmut"
TARGET = 0.90

# Known equivalent mutants: name → why no test can tell it from the original. Names follow mutmut's numbering of
# the mutants of a function: a change to that function's code renumbers them, and an entry that no longer
# survives is reported as stale, to be reviewed.
EQUIVALENT: dict[str, str] = {
    "irritants.scoring.x_best_option__mutmut_25":
        "len(ties) >= 1 instead of > 1: the minimum of a single tie is the best option itself",
    "irritants.scoring.x__ai_conditions__mutmut_119":
        "Series(reasons) without \"sentences\": Series' default joiner is \"sentences\"",
    "irritants.scoring.x_option_risk__mutmut_4":
        "break instead of continue: only the first key (an unknown family's delivery risk) can be unknown, and an "
        "unknown family is never AI, so no key follows it",
    "irritants.scoring.x_assess_option__mutmut_35":
        "net >= 0 instead of net > 0: a net value of 0 times the risk factor is still 0",
    "irritants.footprints.x_per_request__mutmut_3":
        "factor(\"\") instead of None: no published factor has an empty key, factor() returns None",
    "irritants.footprints.x_yearly__mutmut_1":
        "default factor key \"XXXX\" instead of \"\": no published factor has that key either",
}

LINE = re.compile(r"^\s+(?P<name>\S+): (?P<status>.+)$")


def run_mutmut(keep: bool) -> float:
    """Run mutmut from the repository root; the seconds it took."""
    if not keep:
        shutil.rmtree(ROOT / "mutants", ignore_errors=True)  # a fresh run: no result carried over from old code
    started = time.monotonic()
    subprocess.run([str(MUTMUT), "run"], cwd=ROOT, check=False, stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def statuses() -> dict[str, str]:
    """Every mutant and its status, as ``mutmut results --all true`` lists them."""
    listed = subprocess.run([str(MUTMUT), "results", "--all", "true"], cwd=ROOT, check=True, capture_output=True,
                            text=True).stdout
    return {m["name"]: m["status"] for m in map(LINE.match, listed.splitlines()) if m}


def report(found: dict[str, str], seconds: float | None) -> float:
    """Print the figures and the survivors; return the score."""
    counts = Counter(found.values())
    total = len(found)
    survivors = sorted(name for name, status in found.items() if status == "survived")
    equivalent = [name for name in survivors if name in EQUIVALENT]
    killed = counts["killed"]
    score = killed / (total - len(equivalent)) if total > len(equivalent) else 0.0
    print(f"Mutants:    {total}")
    print(f"Killed:     {killed}")
    print(f"Survived:   {counts['survived']} (of which {len(equivalent)} known equivalent)")
    print(f"Timeout:    {counts['timeout']}")
    others = {status: n for status, n in counts.items() if status not in ("killed", "survived", "timeout")}
    if others:
        print("Other:      " + ", ".join(f"{status} {n}" for status, n in sorted(others.items())))
    print(f"Score:      {score:.1%} = killed {killed} / (total {total} − equivalent {len(equivalent)})"
          f"  (target {TARGET:.0%})")
    if seconds is not None:
        print(f"Run time:   {seconds / 60:.1f} min")
    if survivors:
        print("\nSurvivors:")
        for name in survivors:
            print(f"  {name}" + (f"  — equivalent: {EQUIVALENT[name]}" if name in EQUIVALENT else ""))
    not_checked = sorted(name for name, status in found.items() if status not in ("killed", "survived", "timeout"))
    if not_checked:
        print("\nNot killed for another reason (no test covers it, suspicious, …):")
        for name in not_checked:
            print(f"  {name}: {found[name]}")
    stale = sorted(name for name in EQUIVALENT if found.get(name) != "survived")
    if stale:
        print("\nEquivalent entries that no longer survive (review them): " + ", ".join(stale))
    return score


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep mutants/ and its results (mutmut reruns the rest)")
    parser.add_argument("--report-only", action="store_true", help="print the last run's figures, run nothing")
    parser.add_argument("--target", type=float, default=TARGET)
    args = parser.parse_args()
    if not MUTMUT.exists():
        print(f"{MUTMUT} is missing: install the test extra (pip install -e '.[test]').", file=sys.stderr)
        return 2
    seconds = None if args.report_only else run_mutmut(args.keep)
    score = report(statuses(), seconds)
    return 0 if score >= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
