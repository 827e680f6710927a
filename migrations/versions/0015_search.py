"""search: words of irritants, collectivities, workshops and decisions found in French (PostgreSQL full-text search, SQLite FTS5)

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29 17:00:00

PostgreSQL: one GIN expression index per searched table, on ``to_tsvector('french', …)`` of its words; the queries
of ``hub.app.search.service`` repeat the very same expressions, so that the planner uses them.

SQLite: one FTS5 table per searched table (``search_<table>``, its rowid the row's id, accents folded by the
tokenizer), filled here from the rows already there and kept in step by triggers. Triggers rather than a rebuild:
every way a row arrives (the forms, the demo, the national bench, a programme archive restored) is indexed in the
same transaction, and a search never reads a stale index. These tables are derived, not models:
``hub.core.migrate.include_name`` keeps them out of ``alembic check``.
"""
from alembic import op
import sqlalchemy as sa  # noqa: F401


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

# table -> (title expression, body expression) over the row (``{r}`` is NEW or OLD in a trigger, the table itself
# when filling); the same words as the PostgreSQL expressions below, and as hub.app.search.service.
DOCUMENTS = {
    "irritant": ("{r}.title", "{r}.description || ' ' || {r}.wish || ' ' || {r}.service"),
    "collectivity": ("{r}.name", "coalesce({r}.siren, '')"),
    "workshop": ("{r}.place", "{r}.context || ' ' || {r}.next_steps"),
    "decision": ("{r}.owner", "{r}.rationale"),
}
WATCHED = {
    "irritant": "title, description, wish, service",
    "collectivity": "name, siren",
    "workshop": "place, context, next_steps",
    "decision": "owner, rationale",
}
POSTGRES_DOCUMENTS = {
    "irritant": "title || ' ' || description || ' ' || wish || ' ' || service",
    "collectivity": "name || ' ' || coalesce(siren, '')",
    "workshop": "place || ' ' || context || ' ' || next_steps",
    "decision": "owner || ' ' || rationale",
}


def _sqlite_upgrade() -> None:
    for table, (title, body) in DOCUMENTS.items():
        fts = f"search_{table}"
        new_title, new_body = title.format(r="new"), body.format(r="new")
        op.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5(title, body, "
                   f"tokenize = 'unicode61 remove_diacritics 2')")
        op.execute(f"INSERT INTO {fts} (rowid, title, body) SELECT id, {title.format(r=table)}, "
                   f"{body.format(r=table)} FROM {table}")
        op.execute(f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN "
                   f"INSERT INTO {fts} (rowid, title, body) VALUES (new.id, {new_title}, {new_body}); END")
        op.execute(f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {WATCHED[table]} ON {table} BEGIN "
                   f"DELETE FROM {fts} WHERE rowid = old.id; "
                   f"INSERT INTO {fts} (rowid, title, body) VALUES (new.id, {new_title}, {new_body}); END")
        op.execute(f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN "
                   f"DELETE FROM {fts} WHERE rowid = old.id; END")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_upgrade()
        return
    for table, document in POSTGRES_DOCUMENTS.items():
        op.execute(f"CREATE INDEX ix_{table}_search_fr ON {table} "
                   f"USING gin (to_tsvector('french'::regconfig, {document}))")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in DOCUMENTS:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS search_{table}_{event}")
            op.execute(f"DROP TABLE IF EXISTS search_{table}")
        return
    for table in POSTGRES_DOCUMENTS:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_search_fr")
