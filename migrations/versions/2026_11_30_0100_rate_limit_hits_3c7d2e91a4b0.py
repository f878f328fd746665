"""Rate limits: one table of counted hits (bucket, key, time) replaces the sign-in failures table.

Written by hand. Sign-in failures, wrong two-factor codes, reset requests, access requests,
comments, flags, searches and exports are all counted here, shared by every worker. Old
failure rows only matter for fifteen minutes, so they are not carried over.

Revision ID: 3c7d2e91a4b0
Revises: b59e4c0d8a21
Create Date: 2026-11-30 00:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '3c7d2e91a4b0'
down_revision = 'b59e4c0d8a21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rate_limit_hit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bucket', sa.String(length=40), nullable=False),
    sa.Column('key', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rate_limit_hit'))
    )
    with op.batch_alter_table('rate_limit_hit', schema=None) as batch_op:
        batch_op.create_index('ix_rate_limit_hit_bucket_key', ['bucket', 'key', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_rate_limit_hit_created_at'), ['created_at'], unique=False)

    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_failure_ip_address'))
        batch_op.drop_index(batch_op.f('ix_login_failure_email'))
        batch_op.drop_index(batch_op.f('ix_login_failure_created_at'))
    op.drop_table('login_failure')


def downgrade():
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

    with op.batch_alter_table('rate_limit_hit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rate_limit_hit_created_at'))
        batch_op.drop_index('ix_rate_limit_hit_bucket_key')
    op.drop_table('rate_limit_hit')
