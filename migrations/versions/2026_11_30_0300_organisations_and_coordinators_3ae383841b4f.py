"""Regional coordinators: grants of the role over one M49 region, UN group or organisation.

Written by hand. Revoked grants keep their row (revoked_at, revoked_by_id) as the record of who
coordinated what, and when.

Revision ID: 3ae383841b4f
Revises: 4f1c9a7e2d60
Create Date: 2026-11-30 03:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '3ae383841b4f'
down_revision = '4f1c9a7e2d60'
branch_labels = None
depends_on = None


def upgrade():
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


def downgrade():
    with op.batch_alter_table('coordinator_grant', schema=None) as batch_op:
        batch_op.drop_index('ix_coordinator_grant_current')
    op.drop_table('coordinator_grant')
