"""The migrations build the schema the models describe, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from hub.core.migrate import MIGRATIONS, alembic_config, include_name


def test_upgrade_head_leaves_nothing_for_autogenerate_to_add(connection):
    # The test schema was built by `alembic upgrade head` (conftest); this is `alembic check`.
    context = MigrationContext.configure(connection, opts={"compare_type": True, "include_name": include_name})
    assert compare_metadata(context, SQLModel.metadata) == []


def test_every_model_table_exists_after_upgrade(connection):
    tables = set(sa.inspect(connection).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_downgrade_to_base_and_up_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'roundtrip.db'}"
    config = alembic_config(url)
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    engine = sa.create_engine(url)
    assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
    command.upgrade(config, "head")
    assert set(SQLModel.metadata.tables) <= set(sa.inspect(engine).get_table_names())
    engine.dispose()


def test_no_migration_imports_sqlmodel():
    for path in (MIGRATIONS / "versions").glob("*.py"):
        assert "sqlmodel" not in path.read_text(), path.name
