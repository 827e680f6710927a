"""remedy options: the AI Act class a person confirms, by whom and when, and the deployer's duties ticked

The old confirmation flag becomes the confirmed class (the proposed one, as it was confirmed), and a
completed impact assessment becomes the ticked "fria" duty, its meaning kept.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 05:15:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('remedy_option', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ai_act_confirmed_class', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('ai_act_confirmed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('ai_act_confirmed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('ai_act_duties', sa.JSON(), server_default='[]', nullable=False))
        batch_op.create_foreign_key('fk_remedy_option_ai_act_confirmed_by_id_user_account',
                                    'user_account', ['ai_act_confirmed_by_id'], ['id'])
    op.execute("UPDATE remedy_option SET ai_act_confirmed_class = ai_act_class WHERE ai_act_confirmed")
    op.execute("UPDATE remedy_option SET ai_act_duties = '[\"fria\"]' WHERE impact_assessment_done")
    with op.batch_alter_table('remedy_option', schema=None) as batch_op:
        batch_op.drop_column('ai_act_confirmed')
        batch_op.drop_column('impact_assessment_done')


def downgrade() -> None:
    with op.batch_alter_table('remedy_option', schema=None) as batch_op:
        batch_op.add_column(sa.Column('impact_assessment_done', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column('ai_act_confirmed', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute("UPDATE remedy_option SET ai_act_confirmed = (ai_act_confirmed_class IS NOT NULL)")
    op.execute("UPDATE remedy_option SET impact_assessment_done = (CAST(ai_act_duties AS TEXT) LIKE '%fria%')")
    with op.batch_alter_table('remedy_option', schema=None) as batch_op:
        batch_op.drop_constraint('fk_remedy_option_ai_act_confirmed_by_id_user_account', type_='foreignkey')
        batch_op.drop_column('ai_act_duties')
        batch_op.drop_column('ai_act_confirmed_at')
        batch_op.drop_column('ai_act_confirmed_by_id')
