"""Each member's language and time zone; a collation key of every country name in each language.

Written by hand. Existing members keep English and UTC until they choose. The sort keys of the
countries already loaded are computed here with the same function the application uses.

Revision ID: 4f1c9a7e2d60
Revises: 7b3e9d2a6c51
Create Date: 2026-11-30 02:00:00

"""
from alembic import op
import sqlalchemy as sa

from r2p_network.models.collation import SORTED_LANGUAGES, sort_key


revision = '4f1c9a7e2d60'
down_revision = '7b3e9d2a6c51'
branch_labels = None
depends_on = None

SORT_KEY = sa.Text().with_variant(sa.Text(collation='C'), 'postgresql')


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=2), server_default='en', nullable=False))
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64), server_default='UTC', nullable=False))

    with op.batch_alter_table('country', schema=None) as batch_op:
        for lang in SORTED_LANGUAGES:
            batch_op.add_column(sa.Column(f'sort_{lang}', SORT_KEY, server_default='', nullable=False))

    country = sa.table(
        'country',
        sa.column('iso3', sa.String),
        *(sa.column(f'name_{lang}', sa.String) for lang in SORTED_LANGUAGES),
        *(sa.column(f'sort_{lang}', sa.Text) for lang in SORTED_LANGUAGES),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(country.c.iso3, *(country.c[f'name_{lang}'] for lang in SORTED_LANGUAGES)))
    for iso3, *names in rows.all():
        keys = {
            f'sort_{lang}': sort_key(name or names[0], lang) for lang, name in zip(SORTED_LANGUAGES, names)
        }
        bind.execute(country.update().where(country.c.iso3 == iso3).values(**keys))

    # The application always writes the keys; the default only served the rows above.
    with op.batch_alter_table('country', schema=None) as batch_op:
        for lang in SORTED_LANGUAGES:
            batch_op.alter_column(f'sort_{lang}', server_default=None, existing_type=SORT_KEY, existing_nullable=False)


def downgrade():
    with op.batch_alter_table('country', schema=None) as batch_op:
        for lang in reversed(SORTED_LANGUAGES):
            batch_op.drop_column(f'sort_{lang}')

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('time_zone')
        batch_op.drop_column('language')
