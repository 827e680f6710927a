"""administration without a developer: archived programmes, an account's last login, password-reset links

- programme.archived_at: an archived programme leaves the lists but stays readable, with everything it owns.
- user_account.last_login_at: the accounts screen says who still uses the hub.
- invitation.purpose: "invitation" (a new account sets its password) or "reset" (« mot de passe oublié »).

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29 14:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purpose', sa.String(length=20), nullable=False, server_default='invitation'))


def downgrade() -> None:
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_column('purpose')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('last_login_at')
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.drop_column('archived_at')
