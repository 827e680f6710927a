"""photos attached to an irritant: the rows here, the bytes in the file store (hub.core.file_store)

- irritant_photo: one row per photo, removed with its irritant (ON DELETE CASCADE); its client key, made by the
  tablet before sending, is unique per irritant so that a resend after a lost answer is recorded once.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-29 21:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'irritant_photo',
        sa.Column('irritant_id', sa.Integer(), nullable=False),
        sa.Column('collectivity_id', sa.Integer(), nullable=False),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('storage_key', sa.String(length=200), nullable=False),
        sa.Column('content_type', sa.String(length=40), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.Column('size_bytes', sa.Integer(), nullable=False),
        sa.Column('client_key', sa.String(length=64), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['collectivity_id'], ['collectivity.id'], ),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], ),
        sa.ForeignKeyConstraint(['irritant_id'], ['irritant.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('irritant_id', 'client_key', name='uq_irritant_photo_client_key'),
    )
    with op.batch_alter_table('irritant_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_irritant_photo_collectivity_id'), ['collectivity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_irritant_photo_irritant_id'), ['irritant_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('irritant_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_irritant_photo_irritant_id'))
        batch_op.drop_index(batch_op.f('ix_irritant_photo_collectivity_id'))
    op.drop_table('irritant_photo')
