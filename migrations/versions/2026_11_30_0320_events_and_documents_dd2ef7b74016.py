"""Meetings and events (audiences, registrations, action points, private calendar feeds) and the
document library (documents, their places, and their full-text index).

Written by hand. The search index is built as the lessons' is: FTS5 on SQLite, tsvector on PostgreSQL.

Revision ID: dd2ef7b74016
Revises: 3ae383841b4f
Create Date: 2026-11-30 03:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'dd2ef7b74016'
down_revision = '3ae383841b4f'
branch_labels = None
depends_on = None


def _enum(name, *values):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=24)


def upgrade():
    op.create_table(
        'event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', _enum('event_kind', 'annual_meeting', 'regional_meeting', 'training', 'webinar',
                                'working_group'), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('description_html', sa.Text(), nullable=False),
        sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('time_zone', sa.String(length=64), nullable=False),
        sa.Column('place', sa.String(length=200), nullable=False),
        sa.Column('online_url', sa.String(length=500), nullable=False),
        sa.Column('languages', sa.JSON(), nullable=False),
        sa.Column('scope_kind', sa.String(length=16), nullable=False),
        sa.Column('scope_key', sa.String(length=40), nullable=False),
        sa.Column('registration_open', sa.Boolean(), nullable=False),
        sa.Column('capacity', sa.Integer(), nullable=True),
        sa.Column('registration_deadline', sa.DateTime(timezone=True), nullable=True),
        sa.Column('summary', sa.Text(), nullable=False),
        sa.Column('summary_html', sa.Text(), nullable=False),
        sa.Column('summary_published_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('sequence', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('ends_at >= starts_at', name=op.f('ck_event_ends_after_start')),
        sa.CheckConstraint('capacity IS NULL OR capacity > 0', name=op.f('ck_event_positive_capacity')),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'],
                                name=op.f('fk_event_created_by_id_user_account'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_event')),
    )
    op.create_index('ix_event_starts_at', 'event', ['starts_at'])

    op.create_table(
        'event_audience',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('kind', _enum('audience_kind', 'public', 'network', 'network_kind', 'm49', 'group', 'org',
                                'team'), nullable=False),
        sa.Column('key', sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_audience_event_id_event'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_event_audience')),
        sa.UniqueConstraint('event_id', 'kind', 'key', name=op.f('uq_event_audience_event_id_kind_key')),
    )
    op.create_index('ix_event_audience_kind_key', 'event_audience', ['kind', 'key'])

    op.create_table(
        'event_registration',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('status', _enum('registration_status', 'registered', 'declined'), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_registration_event_id_event'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_event_registration_user_id_user_account'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_event_registration')),
        sa.UniqueConstraint('event_id', 'user_id', name=op.f('uq_event_registration_event_id_user_id')),
    )

    op.create_table(
        'action_point',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('owner_kind', sa.String(length=16), nullable=False),
        sa.Column('owner_key', sa.String(length=60), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=True),
        sa.Column('status', _enum('action_status', 'open', 'in_progress', 'done'), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_action_point_event_id_event'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_action_point')),
    )
    op.create_index('ix_action_point_owner', 'action_point', ['owner_kind', 'owner_key', 'status'])

    op.create_table(
        'calendar_feed',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('token', sa.String(length=255), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_calendar_feed_user_id_user_account'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feed')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feed_token_hash')),
        sa.UniqueConstraint('user_id', name=op.f('uq_calendar_feed_user_id')),
    )

    op.create_table(
        'document',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('kind', _enum('document_kind', 'national_strategy', 'terms_of_reference', 'training_material',
                                'statement', 'report', 'other'), nullable=False),
        sa.Column('language', sa.String(length=2), nullable=False),
        sa.Column('visibility', _enum('document_visibility', 'private', 'network', 'public'), nullable=False),
        sa.Column('country_iso3', sa.String(length=3), nullable=True),
        sa.Column('network', _enum('document_network', 'government', 'civil_society', 'parliament'), nullable=True),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.Column('event_id', sa.Integer(), nullable=True),
        sa.Column('lesson_id', sa.Integer(), nullable=True),
        sa.Column('assessment_version_id', sa.Integer(), nullable=True),
        sa.Column('storage_key', sa.String(length=64), nullable=False),
        sa.Column('filename', sa.String(length=160), nullable=False),
        sa.Column('content_type', sa.String(length=120), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            '(CASE WHEN event_id IS NULL THEN 0 ELSE 1 END)'
            ' + (CASE WHEN lesson_id IS NULL THEN 0 ELSE 1 END)'
            ' + (CASE WHEN assessment_version_id IS NULL THEN 0 ELSE 1 END) <= 1',
            name=op.f('ck_document_one_attachment'),
        ),
        sa.ForeignKeyConstraint(['country_iso3'], ['country.iso3'], name=op.f('fk_document_country_iso3_country')),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'],
                                name=op.f('fk_document_uploaded_by_id_user_account'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_document_event_id_event'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['lesson_id'], ['lesson.id'], name=op.f('fk_document_lesson_id_lesson'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['assessment_version_id'], ['assessment_version.id'],
                                name=op.f('fk_document_assessment_version_id_assessment_version'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_document')),
        sa.UniqueConstraint('storage_key', name=op.f('uq_document_storage_key')),
    )
    op.create_index('ix_document_team', 'document', ['country_iso3', 'network'])

    op.create_table(
        'document_place',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('value', sa.String(length=3), nullable=False),
        sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_document_place_document_id_document'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_document_place')),
        sa.UniqueConstraint('document_id', 'kind', 'value', name=op.f('uq_document_place_document_id_kind_value')),
    )
    op.create_index('ix_document_place_kind_value', 'document_place', ['kind', 'value'])

    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TABLE document_search ("
            " document_id integer PRIMARY KEY REFERENCES document(id) ON DELETE CASCADE,"
            " document tsvector NOT NULL)"
        )
        op.execute("CREATE INDEX ix_document_search_document ON document_search USING gin (document)")
    else:
        op.execute(
            "CREATE VIRTUAL TABLE document_search USING fts5("
            "title, summary, body, tokenize = 'unicode61 remove_diacritics 2')"
        )


def downgrade():
    op.execute("DROP TABLE document_search")
    op.drop_index('ix_document_place_kind_value', table_name='document_place')
    op.drop_table('document_place')
    op.drop_index('ix_document_team', table_name='document')
    op.drop_table('document')
    op.drop_table('calendar_feed')
    op.drop_index('ix_action_point_owner', table_name='action_point')
    op.drop_table('action_point')
    op.drop_table('event_registration')
    op.drop_index('ix_event_audience_kind_key', table_name='event_audience')
    op.drop_table('event_audience')
    op.drop_index('ix_event_starts_at', table_name='event')
    op.drop_table('event')
