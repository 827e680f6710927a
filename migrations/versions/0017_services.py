"""a controlled list of services per programme, instead of free text

- programme_service: each programme's services, as shown (name) and folded (case, accents, punctuation and spaces
  aside), unique per programme once folded.
- Filled from the services already typed on each programme's irritants: « Accueil », « accueil » and « ACCUEIL »
  become one entry, and the irritants that carried another spelling take the entry's name, so that filters and
  counts by service hold one line per service from now on. The name kept is the best written of the spellings
  (a capital first letter, not all in capitals unless an abbreviation such as « RH »), then the most used, then
  the one with its accents. Downgrading drops the list; the irritants keep the names they were given.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-29 17:00:00
"""
import unicodedata
from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def _fold(name: str) -> str:
    # A copy of workshops.service_names.fold as it stood when this migration was written: a migration must not
    # change because the application's code does.
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())[:80]


def _preference(name: str, count: int) -> tuple:
    letters = [c for c in name if c.isalpha()]
    shouted = len(letters) > 5 and all(c.isupper() for c in letters)  # « ACCUEIL », where « RH » is an abbreviation
    capitalised = bool(letters) and letters[0].isupper() and not shouted
    accents = sum(1 for c in name if unicodedata.normalize("NFKD", c) != c)
    return (capitalised, count, accents, name)


def upgrade() -> None:
    op.create_table(
        'programme_service',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('programme_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('folded', sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('programme_id', 'folded', name='uq_programme_service_folded'),
    )
    with op.batch_alter_table('programme_service', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_service_programme_id'), ['programme_id'], unique=False)

    connection = op.get_bind()
    irritant = sa.table('irritant', sa.column('programme_id', sa.Integer), sa.column('service', sa.String))
    service = sa.table('programme_service', sa.column('programme_id', sa.Integer), sa.column('name', sa.String),
                       sa.column('folded', sa.String))
    typed = connection.execute(sa.select(irritant.c.programme_id, irritant.c.service, sa.func.count())
                               .group_by(irritant.c.programme_id, irritant.c.service)).all()
    groups = defaultdict(list)  # (programme, folded) → [(spelling, irritants)]
    for programme_id, spelling, count in typed:
        if spelling and _fold(spelling):
            groups[(programme_id, _fold(spelling))].append((spelling, count))
    rows = []
    for (programme_id, folded), spellings in sorted(groups.items()):
        kept = " ".join(max(spellings, key=lambda pair: _preference(" ".join(pair[0].split()), pair[1]))[0].split())
        rows.append({'programme_id': programme_id, 'name': kept, 'folded': folded})
        for spelling, _count in spellings:
            if spelling != kept:
                connection.execute(sa.update(irritant).where(irritant.c.programme_id == programme_id,
                                                             irritant.c.service == spelling).values(service=kept))
    if rows:
        connection.execute(sa.insert(service), rows)


def downgrade() -> None:
    with op.batch_alter_table('programme_service', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_service_programme_id'))
    op.drop_table('programme_service')
