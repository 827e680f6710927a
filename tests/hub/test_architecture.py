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


def _with_line(tree: Path, module: str, line: str):
    path = tree / module
    original = path.read_text()
    path.write_text(original + f"\n{line}\n")
    return lambda: path.write_text(original)


def test_every_contract_holds():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 5 kept, 0 broken." in result.stdout


def test_a_domain_importing_exports_breaks_the_floors(copy_of_the_code):
    restore = _with_line(copy_of_the_code, "participants/models.py", "from exports import summary  # noqa")
    try:
        result = _lint(copy_of_the_code)
    finally:
        restore()
    assert result.returncode == 1
    assert "participants.models -> exports.summary" in result.stdout
    assert "Domains show data; they import nothing of the reports and exports above them BROKEN" in result.stdout


def test_the_method_importing_flask_breaks_its_purity(copy_of_the_code):
    restore = _with_line(copy_of_the_code, "irritants/scoring.py", "import flask  # noqa")
    try:
        result = _lint(copy_of_the_code)
    finally:
        restore()
    assert result.returncode == 1
    assert "irritants.scoring is not allowed to import flask" in result.stdout


def test_the_ground_floor_importing_a_domain_breaks_it(copy_of_the_code):
    restore = _with_line(copy_of_the_code, "hub/core/db.py", "import irritants.models  # noqa")
    try:
        result = _lint(copy_of_the_code)
    finally:
        restore()
    assert result.returncode == 1
    assert "The ground floor imports no domain and not the composition root BROKEN" in result.stdout
