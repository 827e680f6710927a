"""The hub's version: what names the service worker's caches, so that a deploy replaces what tablets keep."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parents[3]
# Every package of the hub: its code, templates and static files (the worker's own source is one of hub/static's).
# A deploy that changes only a template or a view must still replace the pages the tablets keep.
SHELL_FOLDERS = tuple(ROOT / name for name in ("hub", "participants", "workshops", "irritants", "exports"))
SHELL_SUFFIXES = {".py", ".html", ".js", ".css", ".png", ".svg", ".mo"}
PACKAGE = "hub-experimentation"


def _package_version() -> str:
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "0"


@cache
def computed_version() -> str:
    """A short hash of the package version and of every source file's path and contents, computed once per process."""
    digest = hashlib.sha256(_package_version().encode())
    for folder in SHELL_FOLDERS:
        # Sorted, so that every worker process of one deploy computes the same version.
        for path in sorted(p for p in folder.rglob("*")
                           if p.suffix in SHELL_SUFFIXES and p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def init_app(app: Flask) -> None:
    """``HUB_VERSION`` as the environment (a deploy) or a test set it, else computed from the files."""
    if not app.config.get("HUB_VERSION"):
        app.config["HUB_VERSION"] = computed_version()
