"""two counters on each programme, moved by the database itself on every write of what pages keep per worker

- programme.settings_revision: moves when a row of programme_theme, programme_service or scoring_parameters of
  the programme is inserted, updated or deleted;
- programme.selection_revision: moves when one of its enrolments is, or when an enrolled collectivity's name,
  département, kind or population changes.

Triggers, not the application, move them: every writer is caught (the ORM, a Core statement, a command, a
hand-typed SQL fix), so what a worker kept under a counter's value is never served once the rows changed
(hub.core.revisions). On SQLite, a later batch_alter_table that copies one of these tables drops its triggers:
such a migration must create them again (tests/hub/test_revisions.py fails if a trigger is missing).

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30 08:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

# table whose rows carry a programme_id → the programme's counter its writes move
PROGRAMME_ROWS = {
    'programme_theme': 'settings_revision',
    'programme_service': 'settings_revision',
    'scoring_parameters': 'settings_revision',
    'enrolment': 'selection_revision',
}
# what the selection weighs of a collectivity
WEIGHED_COLUMNS = ('name', 'departement_code', 'kind', 'population')

PG_FUNCTIONS = """
CREATE FUNCTION programme_rows_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- TG_ARGV[0] names the counter; OLD is NULL on INSERT, NEW on DELETE, and the IN list bumps a row once.
    EXECUTE format('UPDATE programme SET %1$I = %1$I + 1 WHERE id IN ($1, $2)', TG_ARGV[0])
        USING CASE WHEN TG_OP <> 'INSERT' THEN OLD.programme_id END,
              CASE WHEN TG_OP <> 'DELETE' THEN NEW.programme_id END;
    RETURN NULL;
END $$;

CREATE FUNCTION enrolled_collectivity_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE programme SET selection_revision = selection_revision + 1
     WHERE id IN (SELECT programme_id FROM enrolment WHERE collectivity_id = NEW.id);
    RETURN NULL;
END $$;
"""


def _weighed_changed(old: str, new: str, differ: str) -> str:
    return ' OR '.join(f'{old}.{column} {differ} {new}.{column}' for column in WEIGHED_COLUMNS)


def upgrade() -> None:
    for counter in ('settings_revision', 'selection_revision'):
        op.add_column('programme', sa.Column(counter, sa.Integer(), nullable=False, server_default='0'))
    if op.get_context().dialect.name == 'postgresql':
        op.execute(PG_FUNCTIONS)
        for table, counter in PROGRAMME_ROWS.items():
            op.execute(f"CREATE TRIGGER {table}_moves_{counter} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                       f"FOR EACH ROW EXECUTE FUNCTION programme_rows_changed('{counter}')")
        op.execute("CREATE TRIGGER collectivity_moves_selection_revision AFTER UPDATE ON collectivity "
                   f"FOR EACH ROW WHEN ({_weighed_changed('OLD', 'NEW', 'IS DISTINCT FROM')}) "
                   "EXECUTE FUNCTION enrolled_collectivity_changed()")
        return
    # SQLite: one trigger per kind of write, no functions.
    rows = {'insert': 'NEW.programme_id, NEW.programme_id', 'update': 'OLD.programme_id, NEW.programme_id',
            'delete': 'OLD.programme_id, OLD.programme_id'}
    for table, counter in PROGRAMME_ROWS.items():
        for write, ids in rows.items():
            op.execute(f"CREATE TRIGGER {table}_{write}_moves_{counter} AFTER {write.upper()} ON {table} "
                       f"BEGIN UPDATE programme SET {counter} = {counter} + 1 WHERE id IN ({ids}); END")
    op.execute("CREATE TRIGGER collectivity_moves_selection_revision AFTER UPDATE ON collectivity "
               f"WHEN {_weighed_changed('OLD', 'NEW', 'IS NOT')} "
               "BEGIN UPDATE programme SET selection_revision = selection_revision + 1 "
               "WHERE id IN (SELECT programme_id FROM enrolment WHERE collectivity_id = NEW.id); END")


def downgrade() -> None:
    if op.get_context().dialect.name == 'postgresql':
        for table, counter in PROGRAMME_ROWS.items():
            op.execute(f"DROP TRIGGER {table}_moves_{counter} ON {table}")
        op.execute("DROP TRIGGER collectivity_moves_selection_revision ON collectivity")
        op.execute("DROP FUNCTION programme_rows_changed()")
        op.execute("DROP FUNCTION enrolled_collectivity_changed()")
    else:
        for table, counter in PROGRAMME_ROWS.items():
            for write in ('insert', 'update', 'delete'):
                op.execute(f"DROP TRIGGER {table}_{write}_moves_{counter}")
        op.execute("DROP TRIGGER collectivity_moves_selection_revision")
    # Plain ALTER TABLE on both (SQLite since 3.35): a batch copy of programme would drop the table others point to.
    for counter in ('selection_revision', 'settings_revision'):
        op.execute(f'ALTER TABLE programme DROP COLUMN {counter}')
