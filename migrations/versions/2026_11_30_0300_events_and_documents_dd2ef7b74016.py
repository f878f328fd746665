"""Meetings and events: audiences, registrations, action points and private calendar feeds.

Written by hand.

Revision ID: dd2ef7b74016
Revises: 4f1c9a7e2d60
Create Date: 2026-11-30 03:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'dd2ef7b74016'
down_revision = '4f1c9a7e2d60'
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


def downgrade():
    op.drop_table('calendar_feed')
    op.drop_index('ix_action_point_owner', table_name='action_point')
    op.drop_table('action_point')
    op.drop_table('event_registration')
    op.drop_index('ix_event_audience_kind_key', table_name='event_audience')
    op.drop_table('event_audience')
    op.drop_index('ix_event_starts_at', table_name='event')
    op.drop_table('event')
