"""notifications: what each person is told in the hub and by e-mail, what they follow, their choices

- notification: one thing one person is told (kind, object, who did it, the wording's values), read or not, and
  whether the daily digest has e-mailed it; indexed for the header's unread count and each person's list;
- follow: a person follows an object (an irritant) to hear of its status changes, comments and decisions;
- notification_preference: how a person wants to hear of each kind of event (in the hub only, by e-mail at once,
  or in a daily digest); without a row, the default of their role.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29 17:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'notification',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('target_type', sa.String(length=30), nullable=False),
        sa.Column('target_id', sa.Integer(), nullable=False),
        sa.Column('programme_id', sa.Integer(), nullable=True),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('delivery', sa.String(length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('emailed_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name='fk_notification_user_id_user_account'),
        sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name='fk_notification_programme_id_programme'),
        sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name='fk_notification_actor_id_user_account'),
        sa.PrimaryKeyConstraint('id', name='pk_notification'),
    )
    op.create_index('ix_notification_unread', 'notification', ['user_id', 'read_at'])
    op.create_index('ix_notification_user_list', 'notification', ['user_id', 'id'])
    op.create_index('ix_notification_digest', 'notification', ['delivery', 'emailed_at'])
    op.create_table(
        'follow',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('target_type', sa.String(length=30), nullable=False),
        sa.Column('target_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name='fk_follow_user_id_user_account'),
        sa.PrimaryKeyConstraint('id', name='pk_follow'),
        sa.UniqueConstraint('user_id', 'target_type', 'target_id'),
    )
    op.create_index('ix_follow_target', 'follow', ['target_type', 'target_id'])
    op.create_table(
        'notification_preference',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('delivery', sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name='fk_notification_preference_user_id_user_account'),
        sa.PrimaryKeyConstraint('id', name='pk_notification_preference'),
        sa.UniqueConstraint('user_id', 'kind'),
    )


def downgrade() -> None:
    op.drop_table('notification_preference')
    op.drop_index('ix_follow_target', table_name='follow')
    op.drop_table('follow')
    op.drop_index('ix_notification_digest', table_name='notification')
    op.drop_index('ix_notification_user_list', table_name='notification')
    op.drop_index('ix_notification_unread', table_name='notification')
    op.drop_table('notification')
