"""user accounts: a session epoch, so that logging out or setting a password ends every session of the account

A session carries the account's epoch from its login; the user loader refuses a session whose epoch is not the
account's current one. Logging out and setting a password move the epoch on.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 11:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_epoch', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('session_epoch')
