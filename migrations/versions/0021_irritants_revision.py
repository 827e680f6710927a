"""a third counter on each programme, moved by the database on every write that changes what its irritants count

programme.irritants_revision moves when an irritant of the programme is added or removed, or when one changes
programme, collectivity, status, theme or service: what the irritant list and the team's board count. A change of
title, hours or priority leaves it, so editing an irritant does not count a national programme's lists again.

On PostgreSQL, adding or removing irritants moves it once per statement (transition tables), not once per row: a
national demo inserts 100,000 irritants in batches. SQLite has no statement triggers: one per row there.

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-30 16:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

# what the irritant list and the boards count irritants by
COUNTED_COLUMNS = ('programme_id', 'collectivity_id', 'status', 'theme', 'service')

PG_FUNCTION = """
CREATE FUNCTION irritants_added_or_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- changed_rows: the statement's inserted rows, or its deleted ones (each trigger names its transition table so).
    UPDATE programme SET irritants_revision = irritants_revision + 1
     WHERE id IN (SELECT DISTINCT programme_id FROM changed_rows);
    RETURN NULL;
END $$;
"""


def _counted_changed(differ: str) -> str:
    return ' OR '.join(f'OLD.{column} {differ} NEW.{column}' for column in COUNTED_COLUMNS)


def upgrade() -> None:
    op.add_column('programme', sa.Column('irritants_revision', sa.Integer(), nullable=False, server_default='0'))
    if op.get_context().dialect.name == 'postgresql':
        op.execute(PG_FUNCTION)
        for write, table in (('INSERT', 'NEW'), ('DELETE', 'OLD')):
            op.execute(f"CREATE TRIGGER irritant_{write.lower()}_moves_irritants_revision AFTER {write} ON irritant "
                       f"REFERENCING {table} TABLE AS changed_rows "
                       "FOR EACH STATEMENT EXECUTE FUNCTION irritants_added_or_removed()")
        # Row by row for updates: only a row whose counted columns changed moves the counter (0020's function).
        op.execute("CREATE TRIGGER irritant_update_moves_irritants_revision AFTER UPDATE ON irritant "
                   f"FOR EACH ROW WHEN ({_counted_changed('IS DISTINCT FROM')}) "
                   "EXECUTE FUNCTION programme_rows_changed('irritants_revision')")
        return
    rows = {'insert': 'NEW.programme_id, NEW.programme_id', 'delete': 'OLD.programme_id, OLD.programme_id'}
    for write, ids in rows.items():
        op.execute(f"CREATE TRIGGER irritant_{write}_moves_irritants_revision AFTER {write.upper()} ON irritant "
                   f"BEGIN UPDATE programme SET irritants_revision = irritants_revision + 1 WHERE id IN ({ids}); END")
    op.execute("CREATE TRIGGER irritant_update_moves_irritants_revision AFTER UPDATE ON irritant "
               f"WHEN {_counted_changed('IS NOT')} "
               "BEGIN UPDATE programme SET irritants_revision = irritants_revision + 1 "
               "WHERE id IN (OLD.programme_id, NEW.programme_id); END")


def downgrade() -> None:
    postgresql = op.get_context().dialect.name == 'postgresql'
    for write in ('insert', 'update', 'delete'):
        op.execute(f"DROP TRIGGER irritant_{write}_moves_irritants_revision" + (" ON irritant" if postgresql else ""))
    if postgresql:
        op.execute("DROP FUNCTION irritants_added_or_removed()")
    # Plain ALTER TABLE on both (SQLite since 3.35), as 0020's counters.
    op.execute('ALTER TABLE programme DROP COLUMN irritants_revision')
