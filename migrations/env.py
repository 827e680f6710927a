"""Alembic environment: every package's models, batch mode on SQLite, plain sa.String in autogenerate."""

from __future__ import annotations

from logging.config import fileConfig

import sqlalchemy as sa
from alembic import context
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString, UTCDateTime

from hub.app.models import import_all_models
from hub.core.config import database_url
from hub.core.migrate import include_name

config = context.config
if config.config_file_name is not None and not config.attributes.get("connection"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

# The app's own list of tables, so that autogenerate sees every one of them.
import_all_models()
target_metadata = SQLModel.metadata


def render_item(type_, obj, autogen_context):
    """Write SQLModel's own types as plain SQLAlchemy ones, so migrations do not import sqlmodel."""
    if type_ == "type" and isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _options(connection) -> dict:
    return {
        "connection": connection,
        "target_metadata": target_metadata,
        "render_as_batch": connection.dialect.name == "sqlite",
        "render_item": render_item,
        "compare_type": True,
        "include_name": include_name,  # the derived search indexes (migration 0015) are no model's
    }


def run_migrations_online() -> None:
    """Migrate through a given connection (tests) or one made from the configured URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(**_options(connection))
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url") or database_url()
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        context.configure(**_options(connection))
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


def run_migrations_offline() -> None:
    """Write the SQL instead of running it."""
    context.configure(url=config.get_main_option("sqlalchemy.url") or database_url(),
                      target_metadata=target_metadata, literal_binds=True, render_item=render_item)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
