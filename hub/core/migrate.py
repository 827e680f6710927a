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


def include_name(name: str | None, type_: str, parent_names) -> bool:
    """Whether ``alembic check`` compares this object: not the search indexes of migration 0015, which no model holds.

    They are derived from the rows (SQLite FTS5 tables and their shadow tables, PostgreSQL full-text expression
    indexes), written by the migration itself.
    """
    if type_ == "table":
        return not (name or "").startswith("search_")
    if type_ == "index":
        return not (name or "").endswith("_search_fr")
    return True
