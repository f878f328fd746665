"""Forms kept across an expired session; optimistic locks per section of an assessment draft.

Written by hand. Existing drafts start with no section saved (every section at lock 0).

Revision ID: 9c2e4b7a1f38
Revises: 4f1c9a7e2d60
Create Date: 2026-11-30 03:00:00

"""
from alembic import op
import sqlalchemy as sa



revision = '9c2e4b7a1f38'
down_revision = '4f1c9a7e2d60'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'form_recovery',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('path', sa.String(length=2000), nullable=False),
        sa.Column('fields', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['user_account.id'], name=op.f('fk_form_recovery_user_id_user_account'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_form_recovery')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_form_recovery_token_hash')),
    )
    with op.batch_alter_table('form_recovery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_recovery_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_form_recovery_created_at'), ['created_at'], unique=False)

    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('section_locks', sa.JSON(), server_default='{}', nullable=False))


def downgrade():
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_column('section_locks')
    op.drop_table('form_recovery')
