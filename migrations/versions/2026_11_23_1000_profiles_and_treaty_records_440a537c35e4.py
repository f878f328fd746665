"""Profiles (languages, expertise, contacts with visibility, vacancy) and treaty records with history.

Reviewed by hand: the new NOT NULL profile columns get server defaults so that existing
rows migrate; each enum column has its own CHECK constraint name.

Revision ID: 440a537c35e4
Revises: 19a5ce3b899c
Create Date: 2026-11-23 02:13:35.828060

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '440a537c35e4'
down_revision = '19a5ce3b899c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('instrument',
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('short_name', sa.String(length=60), nullable=False),
    sa.Column('body_slug', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['body_slug'], ['regional_body.slug'], name=op.f('fk_instrument_body_slug_regional_body')),
    sa.PrimaryKeyConstraint('slug', name=op.f('pk_instrument'))
    )
    op.create_table('treaty_status',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('country_iso3', sa.String(length=3), nullable=False),
    sa.Column('instrument_slug', sa.String(length=40), nullable=False),
    sa.Column('status', sa.Enum('party', 'signatory', 'not_party', 'not_applicable', name='treaty_participation', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['country_iso3'], ['country.iso3'], name=op.f('fk_treaty_status_country_iso3_country')),
    sa.ForeignKeyConstraint(['instrument_slug'], ['instrument.slug'], name=op.f('fk_treaty_status_instrument_slug_instrument')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_treaty_status_updated_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_treaty_status')),
    sa.UniqueConstraint('country_iso3', 'instrument_slug', name=op.f('uq_treaty_status_country_iso3_instrument_slug'))
    )
    op.create_table('treaty_status_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('country_iso3', sa.String(length=3), nullable=False),
    sa.Column('instrument_slug', sa.String(length=40), nullable=False),
    sa.Column('old_status', sa.Enum('party', 'signatory', 'not_party', 'not_applicable', name='old_participation', native_enum=False, create_constraint=True, length=24), nullable=True),
    sa.Column('new_status', sa.Enum('party', 'signatory', 'not_party', 'not_applicable', name='new_participation', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['changed_by_id'], ['user_account.id'], name=op.f('fk_treaty_status_change_changed_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['country_iso3'], ['country.iso3'], name=op.f('fk_treaty_status_change_country_iso3_country')),
    sa.ForeignKeyConstraint(['instrument_slug'], ['instrument.slug'], name=op.f('fk_treaty_status_change_instrument_slug_instrument')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_treaty_status_change'))
    )
    with op.batch_alter_table('treaty_status_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_treaty_status_change_country_iso3'), ['country_iso3'], unique=False)

    op.create_table('profile_expertise',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('area', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['focal_point_profile.user_id'], name=op.f('fk_profile_expertise_user_id_focal_point_profile'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'area', name=op.f('pk_profile_expertise'))
    )
    with op.batch_alter_table('profile_expertise', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_profile_expertise_area'), ['area'], unique=False)

    op.create_table('profile_language',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['focal_point_profile.user_id'], name=op.f('fk_profile_language_user_id_focal_point_profile'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'code', name=op.f('pk_profile_language'))
    )
    with op.batch_alter_table('profile_language', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_profile_language_code'), ['code'], unique=False)

    with op.batch_alter_table('focal_point_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bio', sa.Text(), nullable=False, server_default=sa.text("''")))
        batch_op.add_column(sa.Column('contact_email', sa.String(length=254), nullable=False, server_default=sa.text("''")))
        batch_op.add_column(sa.Column('contact_email_visibility', sa.Enum('network', 'admins', name='contact_email_visibility', native_enum=False, create_constraint=True, length=24), nullable=False, server_default='network'))
        batch_op.add_column(sa.Column('phone', sa.String(length=40), nullable=False, server_default=sa.text("''")))
        batch_op.add_column(sa.Column('phone_visibility', sa.Enum('network', 'admins', name='phone_visibility', native_enum=False, create_constraint=True, length=24), nullable=False, server_default='admins'))
        batch_op.add_column(sa.Column('messaging', sa.String(length=120), nullable=False, server_default=sa.text("''")))
        batch_op.add_column(sa.Column('messaging_visibility', sa.Enum('network', 'admins', name='messaging_visibility', native_enum=False, create_constraint=True, length=24), nullable=False, server_default='admins'))
        batch_op.add_column(sa.Column('in_post', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('left_post_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()))



def downgrade():
    with op.batch_alter_table('focal_point_profile', schema=None) as batch_op:
        batch_op.drop_column('updated_at')
        batch_op.drop_column('left_post_at')
        batch_op.drop_column('in_post')
        batch_op.drop_column('messaging_visibility')
        batch_op.drop_column('messaging')
        batch_op.drop_column('phone_visibility')
        batch_op.drop_column('phone')
        batch_op.drop_column('contact_email_visibility')
        batch_op.drop_column('contact_email')
        batch_op.drop_column('bio')

    with op.batch_alter_table('profile_language', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_profile_language_code'))

    op.drop_table('profile_language')
    with op.batch_alter_table('profile_expertise', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_profile_expertise_area'))

    op.drop_table('profile_expertise')
    with op.batch_alter_table('treaty_status_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_treaty_status_change_country_iso3'))

    op.drop_table('treaty_status_change')
    op.drop_table('treaty_status')
    op.drop_table('instrument')
