"""A summary of published lessons per theme, top-level region and visibility.

Reviewed by hand. The theme x region view reads it instead of joining every theme tag with
every area tag; the application rebuilds it whenever a published lesson changes. Existing
lessons are counted here once, with the same rules.

Revision ID: e23dbe179a3c
Revises: 1895fbee8cb9
Create Date: 2026-11-23 09:19:15.675848

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e23dbe179a3c'
down_revision = '1895fbee8cb9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lesson_theme_count',
    sa.Column('theme', sa.String(length=60), nullable=False),
    sa.Column('area', sa.String(length=8), nullable=False),
    sa.Column('visibility', sa.Enum('private', 'network', 'public', name='theme_count_visibility', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('lessons', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('theme', 'area', 'visibility', name=op.f('pk_lesson_theme_count'))
    )
    op.execute(
        "INSERT INTO lesson_theme_count (theme, area, visibility, lessons) "
        "SELECT t.value, a.value, l.visibility, count(*) FROM lesson_tag t "
        "JOIN lesson l ON l.id = t.lesson_id "
        "JOIN lesson_tag a ON a.lesson_id = l.id AND a.kind = 'area' "
        "JOIN region r ON r.code = a.value AND r.level = 'region' "
        "WHERE t.kind = 'theme' AND l.status = 'published' AND l.hidden_at IS NULL "
        "GROUP BY t.value, a.value, l.visibility "
        "UNION ALL "
        "SELECT t.value, 'cross', l.visibility, count(*) FROM lesson_tag t "
        "JOIN lesson l ON l.id = t.lesson_id "
        "WHERE t.kind = 'theme' AND l.cross_regional = true AND l.status = 'published' AND l.hidden_at IS NULL "
        "GROUP BY t.value, l.visibility"
    )


def downgrade():
    op.drop_table('lesson_theme_count')
