"""Capacity mapping: the category catalogue, team submissions per cycle and their entries.

Reviewed by hand: CHECK constraints keep maturity within 1-4 and allow the administrators-only
flag on needs alone; one submission per team and cycle.

Revision ID: 871e9383bc14
Revises: cddeb3375f58
Create Date: 2026-11-23 02:52:24.728763

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '871e9383bc14'
down_revision = 'cddeb3375f58'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('capacity_category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('definition', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('inhibitor', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_capacity_category')),
    sa.UniqueConstraint('slug', name=op.f('uq_capacity_category_slug'))
    )
    op.create_table('capacity_submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('country_iso3', sa.String(length=3), nullable=False),
    sa.Column('network', sa.Enum('government', 'civil_society', 'parliament', name='capacity_network', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('cycle', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'verified', 'returned', name='submission_status', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['country_iso3'], ['country.iso3'], name=op.f('fk_capacity_submission_country_iso3_country')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_capacity_submission_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_capacity_submission_decided_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_capacity_submission')),
    sa.UniqueConstraint('country_iso3', 'network', 'cycle', name=op.f('uq_capacity_submission_country_iso3_network_cycle'))
    )
    op.create_table('capacity_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('has', 'offers', 'needs', name='capacity_status', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('maturity', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('institution', sa.String(length=200), nullable=False),
    sa.Column('contact', sa.String(length=200), nullable=False),
    sa.Column('restricted', sa.Boolean(), nullable=False),
    sa.CheckConstraint("restricted = false OR status = 'needs'", name=op.f('ck_capacity_entry_restricted_needs_only')),
    sa.CheckConstraint('maturity BETWEEN 1 AND 4', name=op.f('ck_capacity_entry_maturity_range')),
    sa.ForeignKeyConstraint(['category_id'], ['capacity_category.id'], name=op.f('fk_capacity_entry_category_id_capacity_category')),
    sa.ForeignKeyConstraint(['submission_id'], ['capacity_submission.id'], name=op.f('fk_capacity_entry_submission_id_capacity_submission'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_capacity_entry'))
    )
    with op.batch_alter_table('capacity_entry', schema=None) as batch_op:
        batch_op.create_index('ix_capacity_entry_category_status', ['category_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_capacity_entry_submission_id'), ['submission_id'], unique=False)



def downgrade():
    with op.batch_alter_table('capacity_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_capacity_entry_submission_id'))
        batch_op.drop_index('ix_capacity_entry_category_status')

    op.drop_table('capacity_entry')
    op.drop_table('capacity_submission')
    op.drop_table('capacity_category')
