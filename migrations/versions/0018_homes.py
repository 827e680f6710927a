"""a home per role: when a référent last looked at their home, so that it tells what happened since

- user_account.home_seen_at: the référent's home lists the news since the visit before this one.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-29 17:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('home_seen_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('home_seen_at')
