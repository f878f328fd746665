"""Each signed-in browser records when it proved the second factor.

Reviewed by hand. Powers beyond an ordinary member's are used only in a session that proved the
second factor; enrolling in one browser does not upgrade another browser's session. Existing
sessions start without the mark, so administrators confirm once with a code after the upgrade.

Revision ID: b7d41e2a9c10
Revises: ca610850715b
Create Date: 2026-11-30 00:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b7d41e2a9c10'
down_revision = 'ca610850715b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('second_factor_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_column('second_factor_at')
