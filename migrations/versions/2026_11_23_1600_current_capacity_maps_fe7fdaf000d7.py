"""Mark each team's current capacity map (its latest verified cycle) with a flag.

Reviewed by hand: the column is added with a false server default so existing rows migrate,
then filled from the data; the map reads the flag instead of finding the latest cycle per row.

Revision ID: fe7fdaf000d7
Revises: 548b9a772c60
Create Date: 2026-11-23 03:37:50.207120

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'fe7fdaf000d7'
down_revision = '548b9a772c60'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('capacity_submission', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_current', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index(batch_op.f('ix_capacity_submission_is_current'), ['is_current'], unique=False)
    op.execute(
        """
        UPDATE capacity_submission SET is_current = (
            status = 'verified' AND cycle = (
                SELECT max(other.cycle) FROM capacity_submission AS other
                WHERE other.country_iso3 = capacity_submission.country_iso3
                  AND other.network = capacity_submission.network
                  AND other.status = 'verified'
            )
        )
        """
    )


def downgrade():
    with op.batch_alter_table('capacity_submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_capacity_submission_is_current'))
        batch_op.drop_column('is_current')

