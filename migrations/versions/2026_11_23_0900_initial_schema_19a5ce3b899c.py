"""Initial schema: reference data, accounts, sessions, sign-in throttling and the audit trail.

Reviewed by hand: enums are portable VARCHAR columns with CHECK constraints, every
constraint is named by the metadata convention, and timestamps are timezone-aware.

Revision ID: 19a5ce3b899c
Revises:
Create Date: 2026-11-23 02:01:33.091469

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '19a5ce3b899c'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('ip_address', sa.String(length=45), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failure'))
    )
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_failure_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_failure_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_failure_ip_address'), ['ip_address'], unique=False)

    op.create_table('region',
    sa.Column('code', sa.String(length=3), nullable=False),
    sa.Column('level', sa.Enum('region', 'subregion', 'intermediate', name='region_level', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('parent_code', sa.String(length=3), nullable=True),
    sa.ForeignKeyConstraint(['parent_code'], ['region.code'], name=op.f('fk_region_parent_code_region')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_region'))
    )
    op.create_table('regional_body',
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.Enum('un_group', 'organisation', name='body_kind', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('acronym', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('slug', name=op.f('pk_regional_body'))
    )
    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.Enum('focal_point', 'admin', name='role', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('status', sa.Enum('pending', 'active', 'rejected', 'deactivated', name='account_status', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('password_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('email', name=op.f('uq_user_account_email'))
    )
    op.create_table('access_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('justification', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'approved', 'rejected', name='request_status', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_access_request_decided_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_access_request_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_request'))
    )
    with op.batch_alter_table('access_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_request_user_id'), ['user_id'], unique=False)

    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=True),
    sa.Column('object_id', sa.String(length=40), nullable=True),
    sa.Column('ip_address', sa.String(length=45), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_audit_event_actor_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_created_at'), ['created_at'], unique=False)

    op.create_table('country',
    sa.Column('iso3', sa.String(length=3), nullable=False),
    sa.Column('iso2', sa.String(length=2), nullable=False),
    sa.Column('m49', sa.String(length=3), nullable=False),
    sa.Column('un_status', sa.Enum('member', 'observer', name='un_status', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('name_fr', sa.String(length=120), nullable=False),
    sa.Column('name_es', sa.String(length=120), nullable=False),
    sa.Column('name_ru', sa.String(length=120), nullable=False),
    sa.Column('name_zh', sa.String(length=120), nullable=False),
    sa.Column('name_ar', sa.String(length=120), nullable=False),
    sa.Column('formal_name_en', sa.String(length=200), nullable=True),
    sa.Column('region_code', sa.String(length=3), nullable=False),
    sa.Column('subregion_code', sa.String(length=3), nullable=False),
    sa.Column('intermediate_code', sa.String(length=3), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=False),
    sa.Column('longitude', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['intermediate_code'], ['region.code'], name=op.f('fk_country_intermediate_code_region')),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_country_region_code_region')),
    sa.ForeignKeyConstraint(['subregion_code'], ['region.code'], name=op.f('fk_country_subregion_code_region')),
    sa.PrimaryKeyConstraint('iso3', name=op.f('pk_country')),
    sa.UniqueConstraint('iso2', name=op.f('uq_country_iso2')),
    sa.UniqueConstraint('m49', name=op.f('uq_country_m49'))
    )
    with op.batch_alter_table('country', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_country_intermediate_code'), ['intermediate_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_country_region_code'), ['region_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_country_subregion_code'), ['subregion_code'], unique=False)

    op.create_table('user_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ip_address', sa.String(length=45), nullable=False),
    sa.Column('user_agent', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_user_session_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_session')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_session_token_hash'))
    )
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_session_user_id'), ['user_id'], unique=False)

    op.create_table('focal_point_profile',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('country_iso3', sa.String(length=3), nullable=False),
    sa.Column('network', sa.Enum('government', 'civil_society', 'parliament', name='network', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('institution', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['country_iso3'], ['country.iso3'], name=op.f('fk_focal_point_profile_country_iso3_country')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_focal_point_profile_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_focal_point_profile'))
    )
    with op.batch_alter_table('focal_point_profile', schema=None) as batch_op:
        batch_op.create_index('ix_focal_point_profile_team', ['country_iso3', 'network'], unique=False)

    op.create_table('membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('body_slug', sa.String(length=40), nullable=False),
    sa.Column('country_iso3', sa.String(length=3), nullable=False),
    sa.Column('status', sa.Enum('member', 'suspended', 'associate', 'observer', 'participant', name='membership_status', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['body_slug'], ['regional_body.slug'], name=op.f('fk_membership_body_slug_regional_body'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['country_iso3'], ['country.iso3'], name=op.f('fk_membership_country_iso3_country')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership')),
    sa.UniqueConstraint('body_slug', 'country_iso3', name=op.f('uq_membership_body_slug_country_iso3'))
    )
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_membership_country_iso3'), ['country_iso3'], unique=False)



def downgrade():
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_membership_country_iso3'))

    op.drop_table('membership')
    with op.batch_alter_table('focal_point_profile', schema=None) as batch_op:
        batch_op.drop_index('ix_focal_point_profile_team')

    op.drop_table('focal_point_profile')
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_session_user_id'))

    op.drop_table('user_session')
    with op.batch_alter_table('country', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_country_subregion_code'))
        batch_op.drop_index(batch_op.f('ix_country_region_code'))
        batch_op.drop_index(batch_op.f('ix_country_intermediate_code'))

    op.drop_table('country')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_created_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_action'))

    op.drop_table('audit_event')
    with op.batch_alter_table('access_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_access_request_user_id'))

    op.drop_table('access_request')
    op.drop_table('user_account')
    op.drop_table('regional_body')
    op.drop_table('region')
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_failure_ip_address'))
        batch_op.drop_index(batch_op.f('ix_login_failure_email'))
        batch_op.drop_index(batch_op.f('ix_login_failure_created_at'))

    op.drop_table('login_failure')
