"""the agency's logo on the report's cover, open data frozen with each published version, a rendering's attempts

- programme.agency_logo and agency_logo_type: the image the admin uploads (optional), printed on the report's cover.
- report_version.opendata_csv and opendata_package: the anonymised catalogue and its Data Package descriptor,
  written once when the version is published, so that a version's open data never changes and costs nothing to
  serve.
- report_version.attempts: how many times a worker claimed the rendering, so that a rendering a dead worker left
  behind is taken up again, and one that keeps killing its worker stops being retried.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agency_logo', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('agency_logo_type', sa.String(length=40), server_default='', nullable=False))
    with op.batch_alter_table('report_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('opendata_csv', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('opendata_package', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('report_version', schema=None) as batch_op:
        batch_op.drop_column('attempts')
        batch_op.drop_column('opendata_package')
        batch_op.drop_column('opendata_csv')
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.drop_column('agency_logo_type')
        batch_op.drop_column('agency_logo')
