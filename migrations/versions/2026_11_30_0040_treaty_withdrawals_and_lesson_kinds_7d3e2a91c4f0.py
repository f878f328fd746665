"""Treaty records: withdrawal statuses with the date a withdrawal takes effect, and implementing
legislation; lessons: a kind (good practice, case study, thematic study, pattern over time, do no harm).

Reviewed by hand. The participation statuses are stored as strings checked by a constraint, so
widening them rewrites the constraints (SQLite: by rebuilding the tables in batch mode). Existing
lessons become case studies, the most neutral kind; their authors can change it.

Revision ID: 7d3e2a91c4f0
Revises: b7d41e2a9c10
Create Date: 2026-11-30 00:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d3e2a91c4f0'
down_revision = 'b7d41e2a9c10'
branch_labels = None
depends_on = None

OLD = ('party', 'signatory', 'not_party', 'not_applicable')
NEW = (*OLD, 'withdrawal_notified', 'withdrawn')
# (table, column, enum name): the constraint of each is ck_<table>_<enum name>.
CHECKED = (
    ('treaty_status', 'status', 'treaty_participation'),
    ('treaty_status_change', 'old_status', 'old_participation'),
    ('treaty_status_change', 'new_status', 'new_participation'),
)
KINDS = ('good_practice', 'case_study', 'thematic_study', 'pattern_over_time', 'do_no_harm')


def _enum(values, name):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=24)


def _participation(values_from, values_to):
    if op.get_bind().dialect.name == 'sqlite':
        for table in ('treaty_status', 'treaty_status_change'):
            with op.batch_alter_table(table, recreate='always') as batch_op:
                for checked_table, column, name in CHECKED:
                    if checked_table == table:
                        batch_op.alter_column(
                            column,
                            existing_type=_enum(values_from, name),
                            type_=_enum(values_to, name),
                            existing_nullable=column == 'old_status',
                        )
        return
    for table, column, name in CHECKED:
        op.drop_constraint(op.f(f'ck_{table}_{name}'), table, type_='check')
        op.create_check_constraint(op.f(f'ck_{table}_{name}'), table, sa.column(column).in_(values_to))


def upgrade():
    _participation(OLD, NEW)
    for table in ('treaty_status', 'treaty_status_change'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('withdrawal_effective_on', sa.Date(), nullable=True))
            batch_op.add_column(sa.Column('implementing_legislation', sa.Text(), nullable=True))
    with op.batch_alter_table('lesson', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('kind', _enum(KINDS, 'lesson_kind'), nullable=False, server_default='case_study')
        )


def downgrade():
    with op.batch_alter_table('lesson', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_lesson_lesson_kind'), type_='check')
        batch_op.drop_column('kind')
    for table in ('treaty_status_change', 'treaty_status'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('implementing_legislation')
            batch_op.drop_column('withdrawal_effective_on')
    # The older schema knows no withdrawals: a withdrawn State is no longer a party, and one that
    # has only notified its withdrawal still is.
    status = sa.table('treaty_status', sa.column('status'))
    change = sa.table('treaty_status_change', sa.column('old_status'), sa.column('new_status'))
    for old, new in (('withdrawn', 'not_party'), ('withdrawal_notified', 'party')):
        op.execute(status.update().where(status.c.status == old).values(status=new))
        op.execute(change.update().where(change.c.old_status == old).values(old_status=new))
        op.execute(change.update().where(change.c.new_status == old).values(new_status=new))
    _participation(NEW, OLD)
