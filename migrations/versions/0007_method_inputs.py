"""the method's new inputs: shareable options and their own CO2e factor, a volume not known yet, a measure's irritant

- remedy_option.shareable: whether a mutual group may split the option's one-off cost (training one's own
  agents is not shared); existing training options are marked not shareable, every other option shareable.
- remedy_option.co2e_g_per_request and footprint_factor: an option's emissions factor beside its energy,
  or the key of a published factor (irritants.footprints), so that energy and CO2e come from one source.
- irritant.volume_unknown: "je ne sais pas encore" said explicitly; the irritant waits for an estimate
  instead of being scored on a silent 0.
- decision_irritant.remedy_option_id: the option the committee decided for each irritant, kept as decided.
- impact_measure.irritant_id: the irritant a measure follows, so that time saved is estimated once per
  irritant from the option the committee decided, however many metrics follow it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 06:50:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('remedy_option', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shareable', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('co2e_g_per_request', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('footprint_factor', sa.String(length=40), server_default='', nullable=False))
    op.execute("UPDATE remedy_option SET shareable = false WHERE family = 'formation'")
    with op.batch_alter_table('irritant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('volume_unknown', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('decision_irritant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('remedy_option_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_decision_irritant_remedy_option_id_remedy_option', 'remedy_option',
                                    ['remedy_option_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('impact_measure', schema=None) as batch_op:
        batch_op.add_column(sa.Column('irritant_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_impact_measure_irritant_id'), ['irritant_id'], unique=False)
        batch_op.create_foreign_key('fk_impact_measure_irritant_id_irritant', 'irritant', ['irritant_id'], ['id'])
    # A measure recorded before this revision followed the only irritant its decision covered, when there was one.
    op.execute("UPDATE impact_measure SET irritant_id = (SELECT MIN(di.irritant_id) FROM decision_irritant di "
               "WHERE di.decision_id = impact_measure.decision_id) "
               "WHERE (SELECT COUNT(*) FROM decision_irritant di WHERE di.decision_id = impact_measure.decision_id) = 1")


def downgrade() -> None:
    with op.batch_alter_table('impact_measure', schema=None) as batch_op:
        batch_op.drop_constraint('fk_impact_measure_irritant_id_irritant', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_impact_measure_irritant_id'))
        batch_op.drop_column('irritant_id')
    with op.batch_alter_table('decision_irritant', schema=None) as batch_op:
        batch_op.drop_constraint('fk_decision_irritant_remedy_option_id_remedy_option', type_='foreignkey')
        batch_op.drop_column('remedy_option_id')
    with op.batch_alter_table('irritant', schema=None) as batch_op:
        batch_op.drop_column('volume_unknown')
    with op.batch_alter_table('remedy_option', schema=None) as batch_op:
        batch_op.drop_column('footprint_factor')
        batch_op.drop_column('co2e_g_per_request')
        batch_op.drop_column('shareable')
