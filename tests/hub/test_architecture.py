"""The floors of DESIGN §5 are contracts (.importlinter) that `make lint` checks: they hold today, and they catch
a domain importing the exports above it or the method importing the web framework."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("hub", "participants", "workshops", "irritants", "exports")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(tree: Path) -> subprocess.CompletedProcess:
    # PYTHONPATH first: the copy's packages are found before the editable install of the real ones.
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--config", str(tree / ".importlinter")], cwd=tree,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tree)}, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture(scope="module")
def copy_of_the_code(tmp_path_factory) -> Path:
    """The packages' Python modules and the contracts, copied where a test may break them."""
    tree = tmp_path_factory.mktemp("architecture")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tree / package,
                        ignore=shutil.ignore_patterns("templates", "static", "translations", "__pycache__"))
    shutil.copy(ROOT / ".importlinter", tree / ".importlinter")
    return tree


def test_every_contract_holds():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 5 kept, 0 broken." in result.stdout


# Each case adds one import that a contract forbids, and names the line lint-imports must print.
BREAKS = {
    "a domain importing the exports above it": (
        "participants/models.py", "from exports import summary  # noqa",
        "Domains show data; they import nothing of the reports and exports above them BROKEN"),
    "the method importing the web framework": (
        "irritants/scoring.py", "import flask  # noqa", "irritants.scoring is not allowed to import flask"),
    "the ground floor importing a domain": (
        "hub/core/db.py", "import irritants.models  # noqa",
        "The ground floor imports no domain and not the composition root BROKEN"),
    "a lower domain importing an upper one": (
        "workshops/models.py", "from irritants import models as upper  # noqa", "workshops.models -> irritants.models"),
}


@pytest.mark.parametrize("case", BREAKS)
def test_a_forbidden_import_breaks_a_contract(copy_of_the_code, case):
    module, line, expected = BREAKS[case]
    path = copy_of_the_code / module
    original = path.read_text()
    path.write_text(original + f"\n{line}\n")
    try:
        result = _lint(copy_of_the_code)
    finally:
        path.write_text(original)
    assert result.returncode == 1
    assert expected in result.stdout
