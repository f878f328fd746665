"""Reference data carries its own translations in the other five UN languages.

Reviewed by hand. Adds a `translations` JSON column ({"fr": {"name": ..., "definition": ...}, ...})
to capacity categories, lesson themes, regional bodies and instruments, and fills it for rows
loaded before, from the translations shipped in r2p_network/reference/data. A row gets the
shipped translations only where its English text is still exactly the shipped English text:
a translation of a text that an administrator has since rewritten would say something else, so
such rows are left for the administrator to translate (`flask reference check` lists them).

Revision ID: 4f1b7c9e2d60
Revises: 4a8c1e5f7b20
Create Date: 2026-11-30 01:30:00

"""
import json
from pathlib import Path

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4f1b7c9e2d60'
down_revision = '4a8c1e5f7b20'
branch_labels = None
depends_on = None

DATA = Path(__file__).resolve().parents[2] / "r2p_network" / "reference" / "data"
# table: (key column, data file, list in the file, English columns the translations render)
TABLES = {
    'capacity_category': ('slug', 'capacity_categories.json', 'categories', ('name', 'definition')),
    'lesson_theme': ('slug', 'lesson_themes.json', 'themes', ('name',)),
    'regional_body': ('slug', 'regional_bodies.json', 'bodies', ('name',)),
    'instrument': ('slug', 'instruments.json', 'instruments', ('name', 'short_name')),
}


def fill_translations(connection):
    """Give each row the shipped translations where it still has the shipped English text."""
    for name, (key, filename, listed, english) in TABLES.items():
        table = sa.table(
            name, sa.column(key, sa.String), sa.column('translations', sa.JSON),
            *(sa.column(column, sa.String) for column in english),
        )
        with (DATA / filename).open(encoding='utf-8') as handle:
            items = json.load(handle)[listed]
        for item in items:
            if not item.get('translations'):
                continue
            connection.execute(
                table.update()
                .where(table.c[key] == item['slug'], *(table.c[column] == item[column] for column in english))
                .values(translations=item['translations'])
            )


def upgrade():
    for name in TABLES:
        with op.batch_alter_table(name) as batch_op:
            batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=False, server_default='{}'))
    fill_translations(op.get_bind())


def downgrade():
    for name in TABLES:
        with op.batch_alter_table(name) as batch_op:
            batch_op.drop_column('translations')
