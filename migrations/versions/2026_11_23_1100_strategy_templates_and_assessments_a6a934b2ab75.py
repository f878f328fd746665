"""Strategy templates as versioned data, team assessments and their immutable submitted versions.

Reviewed by hand: new tables only; enum columns carry named CHECK constraints; the
assessment row has an integer lock_version used for optimistic locking.

Revision ID: a6a934b2ab75
Revises: 440a537c35e4
Create Date: 2026-11-23 02:23:19.112579

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a6a934b2ab75'
down_revision = '440a537c35e4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('strategy_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_strategy_template')),
    sa.UniqueConstraint('slug', name=op.f('uq_strategy_template_slug'))
    )
    op.create_table('template_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['published_by_id'], ['user_account.id'], name=op.f('fk_template_version_published_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['template_id'], ['strategy_template.id'], name=op.f('fk_template_version_template_id_strategy_template')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_template_version')),
    sa.UniqueConstraint('template_id', 'number', name=op.f('uq_template_version_template_id_number'))
    )
    op.create_table('assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('country_iso3', sa.String(length=3), nullable=False),
    sa.Column('network', sa.Enum('government', 'civil_society', 'parliament', name='assessment_network', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('template_version_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', name='assessment_status', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['country_iso3'], ['country.iso3'], name=op.f('fk_assessment_country_iso3_country')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_assessment_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['template_version_id'], ['template_version.id'], name=op.f('fk_assessment_template_version_id_template_version')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_assessment_updated_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment'))
    )
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.create_index('ix_assessment_team', ['country_iso3', 'network'], unique=False)

    op.create_table('assessment_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('template_version_id', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('visibility', sa.Enum('private', 'network', 'public', name='version_visibility', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('element1_complete', sa.Boolean(), nullable=False),
    sa.Column('element2_complete', sa.Boolean(), nullable=False),
    sa.Column('element3_complete', sa.Boolean(), nullable=False),
    sa.Column('element4_complete', sa.Boolean(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('shared_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_assessment_version_assessment_id_assessment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['user_account.id'], name=op.f('fk_assessment_version_submitted_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['template_version_id'], ['template_version.id'], name=op.f('fk_assessment_version_template_version_id_template_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_version')),
    sa.UniqueConstraint('assessment_id', 'number', name=op.f('uq_assessment_version_assessment_id_number'))
    )


def downgrade():
    op.drop_table('assessment_version')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_index('ix_assessment_team')

    op.drop_table('assessment')
    op.drop_table('template_version')
    op.drop_table('strategy_template')
