"""login throttling in the database: failed logins per account and per address, shared by every web worker

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 11:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'login_throttle',
        sa.Column('key', sa.String(length=300), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('window_started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('key', name='pk_login_throttle'),
    )


def downgrade() -> None:
    op.drop_table('login_throttle')
