"""Lessons learned (posts, tags, comments, flags), moderation decisions and the full-text index.

Reviewed by hand. The search index is not a model: on SQLite it is an FTS5 table, on
PostgreSQL a tsvector column with a GIN index; the application fills it with text that it has
already folded (case, accents, CJK spacing), so both answer the same queries the same way.

Revision ID: 1895fbee8cb9
Revises: fe7fdaf000d7
Create Date: 2026-11-23 08:15:56.193227

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1895fbee8cb9'
down_revision = 'fe7fdaf000d7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lesson_theme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_theme')),
    sa.UniqueConstraint('slug', name=op.f('uq_lesson_theme_slug'))
    )
    op.create_table('lesson',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('draft', 'submitted', 'changes_requested', 'published', 'rejected', name='lesson_status', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('visibility', sa.Enum('private', 'network', 'public', name='lesson_visibility', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('region_code', sa.String(length=3), nullable=True),
    sa.Column('cross_regional', sa.Boolean(), nullable=False),
    sa.Column('period_start', sa.Integer(), nullable=False),
    sa.Column('period_end', sa.Integer(), nullable=True),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('body_html', sa.JSON(), nullable=False),
    sa.Column('moderation_note', sa.Text(), nullable=True),
    sa.Column('revision', sa.JSON(), nullable=True),
    sa.Column('revision_status', sa.Enum('submitted', 'changes_requested', name='revision_status', native_enum=False, create_constraint=True, length=24), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.Column('hidden_reason', sa.Text(), nullable=True),
    sa.CheckConstraint("visibility IN ('network', 'public')", name=op.f('ck_lesson_network_or_public')),
    sa.CheckConstraint('period_end IS NULL OR period_end >= period_start', name=op.f('ck_lesson_period_order')),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_lesson_author_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['user_account.id'], name=op.f('fk_lesson_hidden_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_lesson_region_code_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson'))
    )
    with op.batch_alter_table('lesson', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lesson_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_lesson_status_published_at', ['status', 'published_at'], unique=False)

    op.create_table('moderation_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=30), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('moderator_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['moderator_id'], ['user_account.id'], name=op.f('fk_moderation_decision_moderator_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_decision'))
    )
    with op.batch_alter_table('moderation_decision', schema=None) as batch_op:
        batch_op.create_index('ix_moderation_decision_object', ['object_type', 'object_id'], unique=False)

    op.create_table('flag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_type', sa.Enum('lesson', 'comment', name='flag_target', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolution', sa.Enum('hidden', 'dismissed', name='flag_resolution', native_enum=False, create_constraint=True, length=24), nullable=True),
    sa.ForeignKeyConstraint(['lesson_id'], ['lesson.id'], name=op.f('fk_flag_lesson_id_lesson'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['user_account.id'], name=op.f('fk_flag_reporter_id_user_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['user_account.id'], name=op.f('fk_flag_resolved_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flag')),
    sa.UniqueConstraint('reporter_id', 'target_type', 'target_id', name=op.f('uq_flag_reporter_id_target_type_target_id'))
    )
    with op.batch_alter_table('flag', schema=None) as batch_op:
        batch_op.create_index('ix_flag_open', ['resolved_at', 'created_at'], unique=False)

    op.create_table('lesson_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.Column('hidden_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_lesson_comment_author_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['user_account.id'], name=op.f('fk_lesson_comment_hidden_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['lesson_id'], ['lesson.id'], name=op.f('fk_lesson_comment_lesson_id_lesson'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_comment'))
    )
    with op.batch_alter_table('lesson_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lesson_comment_lesson_id'), ['lesson_id'], unique=False)

    op.create_table('lesson_tag',
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('country', 'area', 'pillar', 'crime', 'theme', name='lesson_tag_kind', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('value', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['lesson_id'], ['lesson.id'], name=op.f('fk_lesson_tag_lesson_id_lesson'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('lesson_id', 'kind', 'value', name=op.f('pk_lesson_tag'))
    )
    with op.batch_alter_table('lesson_tag', schema=None) as batch_op:
        batch_op.create_index('ix_lesson_tag_kind_value', ['kind', 'value', 'lesson_id'], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TABLE lesson_search ("
            " lesson_id integer PRIMARY KEY REFERENCES lesson(id) ON DELETE CASCADE,"
            " document tsvector NOT NULL)"
        )
        op.execute("CREATE INDEX ix_lesson_search_document ON lesson_search USING gin (document)")
    else:
        op.execute(
            "CREATE VIRTUAL TABLE lesson_search USING fts5("
            "title, summary, body, tokenize = 'unicode61 remove_diacritics 2')"
        )


def downgrade():
    op.execute("DROP TABLE lesson_search")
    with op.batch_alter_table('lesson_tag', schema=None) as batch_op:
        batch_op.drop_index('ix_lesson_tag_kind_value')

    op.drop_table('lesson_tag')
    with op.batch_alter_table('lesson_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lesson_comment_lesson_id'))

    op.drop_table('lesson_comment')
    with op.batch_alter_table('flag', schema=None) as batch_op:
        batch_op.drop_index('ix_flag_open')

    op.drop_table('flag')
    with op.batch_alter_table('moderation_decision', schema=None) as batch_op:
        batch_op.drop_index('ix_moderation_decision_object')

    op.drop_table('moderation_decision')
    with op.batch_alter_table('lesson', schema=None) as batch_op:
        batch_op.drop_index('ix_lesson_status_published_at')
        batch_op.drop_index(batch_op.f('ix_lesson_author_id'))

    op.drop_table('lesson')
    op.drop_table('lesson_theme')
