"""The experimentation hub: ``create_app`` for gunicorn (``hub:create_app()``), tests and the command line."""

from __future__ import annotations


def create_app(config: dict | None = None):
    """Build the app from the environment, then apply ``config`` overrides (tests use them)."""
    # Imported here: every package imports the ground floor, hub.core, which must not pull in the whole app.
    from hub.app.factory import create_app as build

    return build(config)
