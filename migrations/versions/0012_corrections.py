"""validated is validated: a référent's change to a validated figure waits as a correction the team accepts or refuses

- usage_month.correction and survey_result.correction: the values a référent proposed for a figure the team had
  validated, who proposed them and when; the validated figure stays what every page and report reads until the
  team accepts them.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 11:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ('usage_month', 'survey_result'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('correction', sa.JSON(), nullable=True))


def downgrade() -> None:
    for table in ('survey_result', 'usage_month'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('correction')
