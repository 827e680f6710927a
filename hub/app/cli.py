"""The ``hub`` command: Flask's CLI over the app, whose packages each register their own commands."""

from __future__ import annotations

from flask.cli import FlaskGroup


def main() -> None:
    """Entry point of the ``hub`` console script."""
    from hub import create_app

    FlaskGroup(create_app=create_app, help="Hub d'expérimentation IA.")()
