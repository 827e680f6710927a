"""Alembic, driven from the app's configuration (``hub db …``) or from tests."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def alembic_config(database_url: str, connection=None) -> Config:
    """An Alembic config for this database; ``connection`` lets tests migrate inside their transaction."""
    config = Config(str(MIGRATIONS.parent / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config
