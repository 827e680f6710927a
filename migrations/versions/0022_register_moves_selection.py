"""every programme's selection counter also moves when the register of collectivities gains, loses or renames one

The selection grid offers the collectivities that have not applied yet, by name: what it keeps per worker under
programme.selection_revision (hub.core.revisions) must follow a collectivity added to the register, removed from
it (a merge) or renamed, enrolled or not. Such writes are rare (an import, an administrator's correction) and move
the counter of every programme.

On PostgreSQL, adding or removing collectivities moves it once per statement, not once per row: an import of the
official registry inserts thousands. SQLite has no statement triggers: one per row there.

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-30 17:00:00
"""
from alembic import op


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

MOVE_EVERY_PROGRAMME = "UPDATE programme SET selection_revision = selection_revision + 1"

PG_FUNCTION = f"""
CREATE FUNCTION register_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {MOVE_EVERY_PROGRAMME};
    RETURN NULL;
END $$;
"""


def upgrade() -> None:
    if op.get_context().dialect.name == 'postgresql':
        op.execute(PG_FUNCTION)
        op.execute("CREATE TRIGGER collectivity_register_moves_selection_revision AFTER INSERT OR DELETE "
                   "ON collectivity FOR EACH STATEMENT EXECUTE FUNCTION register_changed()")
        op.execute("CREATE TRIGGER collectivity_rename_moves_selection_revision AFTER UPDATE ON collectivity "
                   "FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION register_changed()")
        return
    for write in ('insert', 'delete'):
        op.execute(f"CREATE TRIGGER collectivity_{write}_moves_selection_revision AFTER {write.upper()} "
                   f"ON collectivity BEGIN {MOVE_EVERY_PROGRAMME}; END")
    op.execute("CREATE TRIGGER collectivity_rename_moves_selection_revision AFTER UPDATE ON collectivity "
               f"WHEN OLD.name IS NOT NEW.name BEGIN {MOVE_EVERY_PROGRAMME}; END")


def downgrade() -> None:
    if op.get_context().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER collectivity_register_moves_selection_revision ON collectivity")
        op.execute("DROP TRIGGER collectivity_rename_moves_selection_revision ON collectivity")
        op.execute("DROP FUNCTION register_changed()")
        return
    for write in ('insert', 'delete', 'rename'):
        op.execute(f"DROP TRIGGER collectivity_{write}_moves_selection_revision")
