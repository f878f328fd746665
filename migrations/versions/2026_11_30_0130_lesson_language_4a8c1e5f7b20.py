"""Each lesson records the language its author wrote it in.

Reviewed by hand. Existing lessons are taken as English (the demo and every lesson so far were
written in English); authors can correct it when they next edit. The search index gains the
stems of each lesson's words in its language: run `flask --app app search rebuild` after this
upgrade so that existing lessons are found by their inflected forms too.

Revision ID: 4a8c1e5f7b20
Revises: d5b28c7e0f14
Create Date: 2026-11-30 01:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '4a8c1e5f7b20'
down_revision = 'd5b28c7e0f14'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('lesson', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=2), nullable=False, server_default='en'))


def downgrade():
    with op.batch_alter_table('lesson', schema=None) as batch_op:
        batch_op.drop_column('language')
