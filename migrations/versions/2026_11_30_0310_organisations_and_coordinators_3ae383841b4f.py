"""Organisation and UN-office seats; regional coordinators over one M49 region, UN group or organisation;
sharing a version with chosen readers; peer reviews.

Written by hand. Every existing profile is a country's seat (seat = 'country', server default),
so no data moves; a profile's country and network become optional for the other seats, and a
check keeps each seat's columns consistent (SQLite: the table is rebuilt in batch mode with its
named checks). Revoked coordinator grants keep their row (revoked_at, revoked_by_id) as the
record of who coordinated what, and when; so do withdrawn shares. The network and public shares
stay in assessment_version.visibility, which the regional risk overview counts, as before.

Revision ID: 3ae383841b4f
Revises: 9c2e4b7a1f38
Create Date: 2026-11-30 03:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '3ae383841b4f'
down_revision = '9c2e4b7a1f38'
branch_labels = None
depends_on = None


SEAT_HOLDER = (
    "(seat = 'country' AND country_iso3 IS NOT NULL AND network IS NOT NULL AND organisation_slug IS NULL)"
    " OR (seat = 'organisation' AND organisation_slug IS NOT NULL AND country_iso3 IS NULL AND network IS NULL)"
    " OR (seat = 'un_office' AND organisation_slug IS NULL AND country_iso3 IS NULL AND network IS NULL)"
)
NETWORK = sa.Enum('government', 'civil_society', 'parliament', name='network', native_enum=False,
                  create_constraint=True, length=24)


def upgrade():
    with op.batch_alter_table('focal_point_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seat', sa.Enum('country', 'organisation', 'un_office', name='seat_kind', native_enum=False, create_constraint=True, length=24), server_default='country', nullable=False))
        batch_op.add_column(sa.Column('organisation_slug', sa.String(length=40), nullable=True))
        batch_op.alter_column('country_iso3', existing_type=sa.String(length=3), nullable=True)
        batch_op.alter_column('network', existing_type=NETWORK, nullable=True)
        batch_op.create_index(batch_op.f('ix_focal_point_profile_organisation_slug'), ['organisation_slug'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_focal_point_profile_organisation_slug_regional_body'), 'regional_body', ['organisation_slug'], ['slug'])
        batch_op.create_check_constraint('seat_holder', sa.text(SEAT_HOLDER))

    op.create_table('coordinator_grant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('scope_kind', sa.Enum('m49', 'group', 'org', name='scope_kind', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('scope_key', sa.String(length=40), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['granted_by_id'], ['user_account.id'], name=op.f('fk_coordinator_grant_granted_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['user_account.id'], name=op.f('fk_coordinator_grant_revoked_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_coordinator_grant_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coordinator_grant'))
    )
    with op.batch_alter_table('coordinator_grant', schema=None) as batch_op:
        batch_op.create_index('ix_coordinator_grant_current', ['user_id', 'revoked_at'], unique=False)

    op.create_table('version_share',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('audience', sa.Enum('government', 'team', 'organisation', 'un_office', 'coordinators', name='audience_kind', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('audience_key', sa.String(length=60), nullable=False),
    sa.Column('shared_by_id', sa.Integer(), nullable=True),
    sa.Column('shared_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['version_id'], ['assessment_version.id'], name=op.f('fk_version_share_version_id_assessment_version'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shared_by_id'], ['user_account.id'], name=op.f('fk_version_share_shared_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['user_account.id'], name=op.f('fk_version_share_withdrawn_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_version_share'))
    )
    with op.batch_alter_table('version_share', schema=None) as batch_op:
        batch_op.create_index('ix_version_share_audience', ['audience', 'audience_key', 'withdrawn_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_version_share_version_id'), ['version_id'], unique=False)

    op.create_table('peer_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('reviewer', sa.Enum('government', 'team', 'organisation', 'un_office', 'coordinators', name='reviewer_kind', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('reviewer_key', sa.String(length=60), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('recommendation', sa.Text(), nullable=False),
    sa.Column('recommendation_url', sa.String(length=500), nullable=False),
    sa.Column('overall_note', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('open', 'closed', name='review_status', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('invited_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['version_id'], ['assessment_version.id'], name=op.f('fk_peer_review_version_id_assessment_version'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['user_account.id'], name=op.f('fk_peer_review_invited_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_peer_review'))
    )
    with op.batch_alter_table('peer_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_peer_review_version_id'), ['version_id'], unique=False)

    op.create_table('review_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('target', sa.String(length=40), nullable=False),
    sa.Column('reply_to_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['peer_review.id'], name=op.f('fk_review_comment_review_id_peer_review'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reply_to_id'], ['review_comment.id'], name=op.f('fk_review_comment_reply_to_id_review_comment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_review_comment_author_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_comment'))
    )
    with op.batch_alter_table('review_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_comment_review_id'), ['review_id'], unique=False)

    op.create_table('organisation_profile',
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('early_warning', sa.Text(), nullable=False),
    sa.Column('mediation', sa.Text(), nullable=False),
    sa.Column('human_rights', sa.Text(), nullable=False),
    sa.Column('standby', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['slug'], ['regional_body.slug'], name=op.f('fk_organisation_profile_slug_regional_body'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_organisation_profile_updated_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('slug', name=op.f('pk_organisation_profile'))
    )


def downgrade():
    op.drop_table('organisation_profile')
    op.drop_table('review_comment')
    op.drop_table('peer_review')
    op.drop_table('version_share')
    # The older schema has country seats only: organisation and UN-office seats go with it.
    op.execute("DELETE FROM focal_point_profile WHERE seat <> 'country'")
    with op.batch_alter_table('focal_point_profile', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_focal_point_profile_seat_holder'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_focal_point_profile_organisation_slug_regional_body'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_focal_point_profile_organisation_slug'))
        batch_op.alter_column('network', existing_type=NETWORK, nullable=False)
        batch_op.alter_column('country_iso3', existing_type=sa.String(length=3), nullable=False)
        batch_op.drop_constraint(batch_op.f('ck_focal_point_profile_seat_kind'), type_='check')
        batch_op.drop_column('organisation_slug')
        batch_op.drop_column('seat')
    with op.batch_alter_table('coordinator_grant', schema=None) as batch_op:
        batch_op.drop_index('ix_coordinator_grant_current')
    op.drop_table('coordinator_grant')
