"""report versions: progress of their rendering, pages, the date the data stand at

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 16:32:21.490466
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('report_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('as_of', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('progress', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('step', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('pages', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False,
                                      server_default=sa.func.now()))



def downgrade() -> None:
    with op.batch_alter_table('report_version', schema=None) as batch_op:
        batch_op.drop_column('updated_at')
        batch_op.drop_column('pages')
        batch_op.drop_column('step')
        batch_op.drop_column('progress')
        batch_op.drop_column('as_of')

