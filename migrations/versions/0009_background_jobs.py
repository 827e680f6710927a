"""background jobs: long work a page asks for (proposing mutual groups) and the worker process does

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 10:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'background_job',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=60), nullable=False),
        sa.Column('programme_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('arguments', sa.JSON(), nullable=False),
        sa.Column('result', sa.JSON(), nullable=False),
        sa.Column('error', sa.String(length=1000), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name='fk_background_job_programme_id_programme'),
        sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'],
                                name='fk_background_job_requested_by_id_user_account'),
        sa.PrimaryKeyConstraint('id', name='pk_background_job'),
    )
    op.create_index('ix_background_job_kind_programme', 'background_job', ['kind', 'programme_id'])


def downgrade() -> None:
    op.drop_index('ix_background_job_kind_programme', table_name='background_job')
    op.drop_table('background_job')
