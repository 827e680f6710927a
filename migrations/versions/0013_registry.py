"""the official registry of communes, EPCI and départements (Etalab's découpage administratif)

- registry_entry: reference data loaded by ``hub registry load``; adding a collectivity searches it.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 14:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'registry_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('code', sa.String(length=9), nullable=False),
        sa.Column('siren', sa.String(length=9), nullable=True),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('search_text', sa.String(length=400), nullable=False),
        sa.Column('departement_code', sa.String(length=3), nullable=False),
        sa.Column('region_code', sa.String(length=3), nullable=False),
        sa.Column('epci_subkind', sa.String(length=20), nullable=True),
        sa.Column('population', sa.Integer(), nullable=True),
        sa.Column('postcodes', sa.String(length=200), nullable=False),
        sa.Column('epci_siren', sa.String(length=9), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('kind', 'code'),
    )
    with op.batch_alter_table('registry_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registry_entry_siren'), ['siren'], unique=False)
        batch_op.create_index(batch_op.f('ix_registry_entry_departement_code'), ['departement_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_registry_entry_epci_siren'), ['epci_siren'], unique=False)


def downgrade() -> None:
    op.drop_table('registry_entry')
