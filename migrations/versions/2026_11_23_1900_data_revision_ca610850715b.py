"""The data revision: one row whose token names the current state of the data.

Reviewed by hand. Cached page parts (``r2p_network.core.fragments``) are kept under this token, and
every commit that changes data writes a new one. The row is created here, with a random token,
so that readers never find it missing.

Revision ID: ca610850715b
Revises: e23dbe179a3c
Create Date: 2026-11-23 10:57:19.319645

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ca610850715b'
down_revision = 'e23dbe179a3c'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table('data_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_data_revision_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_revision'))
    )
    op.bulk_insert(table, [{"id": 1, "token": secrets.token_hex(16)}])


def downgrade():
    op.drop_table('data_revision')
