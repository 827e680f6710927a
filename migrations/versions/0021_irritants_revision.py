"""a third counter on each programme, moved by the database on every write that changes what its irritants count

programme.irritants_revision moves when an irritant of the programme is added or removed, or when one changes
programme, collectivity, status, theme or service: what the irritant list and the team's board count. A change of
title, hours or priority leaves it, so editing an irritant does not count a national programme's lists again.

On PostgreSQL it moves once per statement (its transition tables), not once per row: moving it for each row stacks, in
one transaction, as many versions of one programme row, each update slower than the last (quadratic: a national
demo's 100,000 irritants took minutes). SQLite updates a row in place: one move per row costs microseconds there.

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

PG_FUNCTIONS = f"""
CREATE FUNCTION irritants_added_or_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- changed_rows: the statement's inserted rows, or its deleted ones (each trigger names its transition table so).
    UPDATE programme SET irritants_revision = irritants_revision + 1
     WHERE id IN (SELECT programme_id FROM changed_rows);
    RETURN NULL;
END $$;

CREATE FUNCTION irritants_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE programme SET irritants_revision = irritants_revision + 1
     WHERE id IN (SELECT unnest(ARRAY[old_rows.programme_id, new_rows.programme_id])
                    FROM old_rows JOIN new_rows ON new_rows.id = old_rows.id
                   WHERE ({', '.join(f'old_rows.{column}' for column in COUNTED_COLUMNS)})
                         IS DISTINCT FROM ({', '.join(f'new_rows.{column}' for column in COUNTED_COLUMNS)}));
    RETURN NULL;
END $$;
"""


def _counted_changed(differ: str) -> str:
    return ' OR '.join(f'OLD.{column} {differ} NEW.{column}' for column in COUNTED_COLUMNS)


def upgrade() -> None:
    op.add_column('programme', sa.Column('irritants_revision', sa.Integer(), nullable=False, server_default='0'))
    if op.get_context().dialect.name == 'postgresql':
        op.execute(PG_FUNCTIONS)
        for write, table in (('INSERT', 'NEW'), ('DELETE', 'OLD')):
            op.execute(f"CREATE TRIGGER irritant_{write.lower()}_moves_irritants_revision AFTER {write} ON irritant "
                       f"REFERENCING {table} TABLE AS changed_rows "
                       "FOR EACH STATEMENT EXECUTE FUNCTION irritants_added_or_removed()")
        op.execute("CREATE TRIGGER irritant_update_moves_irritants_revision AFTER UPDATE ON irritant "
                   "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
                   "FOR EACH STATEMENT EXECUTE FUNCTION irritants_updated()")
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
        op.execute("DROP FUNCTION irritants_updated()")
    # Plain ALTER TABLE on both (SQLite since 3.35), as 0020's counters.
    op.execute('ALTER TABLE programme DROP COLUMN irritants_revision')
