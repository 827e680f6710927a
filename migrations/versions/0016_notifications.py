"""notifications: what each person is told in the hub and by e-mail, what they follow, their choices

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29 17:00:00
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
