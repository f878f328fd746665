"""Members' translations of published lessons, moderated like edits, and their search index.

Reviewed by hand. One translation per lesson and language; the search index of translations
holds, for each published translation, the lesson it leads to and the folded words and stems of
its text in its language (FTS5 on SQLite, a tsvector with a GIN index on PostgreSQL, as the
lessons' own index). Nothing to rebuild: no translation exists before this upgrade.

Revision ID: 7b3e9d2a6c51
Revises: 4f1b7c9e2d60
Create Date: 2026-11-30 01:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '7b3e9d2a6c51'
down_revision = '4f1b7c9e2d60'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lesson_translation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('translator_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('submitted', 'changes_requested', 'published', 'rejected', name='lesson_translation_status', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('body_html', sa.JSON(), nullable=False),
    sa.Column('moderation_note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['lesson_id'], ['lesson.id'], name=op.f('fk_lesson_translation_lesson_id_lesson'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['translator_id'], ['user_account.id'], name=op.f('fk_lesson_translation_translator_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_translation')),
    sa.UniqueConstraint('lesson_id', 'language', name=op.f('uq_lesson_translation_lesson_id_language'))
    )
    with op.batch_alter_table('lesson_translation', schema=None) as batch_op:
        batch_op.create_index('ix_lesson_translation_status_submitted_at', ['status', 'submitted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_lesson_translation_translator_id'), ['translator_id'], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TABLE lesson_search_translation ("
            " translation_id integer PRIMARY KEY REFERENCES lesson_translation(id) ON DELETE CASCADE,"
            " lesson_id integer NOT NULL REFERENCES lesson(id) ON DELETE CASCADE,"
            " document tsvector NOT NULL)"
        )
        op.execute(
            "CREATE INDEX ix_lesson_search_translation_document ON lesson_search_translation USING gin (document)"
        )
    else:
        op.execute(
            "CREATE VIRTUAL TABLE lesson_search_translation USING fts5("
            "lesson_id UNINDEXED, title, summary, body, tokenize = 'unicode61 remove_diacritics 2')"
        )


def downgrade():
    op.execute("DROP TABLE lesson_search_translation")
    with op.batch_alter_table('lesson_translation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lesson_translation_translator_id'))
        batch_op.drop_index('ix_lesson_translation_status_submitted_at')

    op.drop_table('lesson_translation')
