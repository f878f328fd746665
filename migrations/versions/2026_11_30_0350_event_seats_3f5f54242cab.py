"""Seats in events and documents: event audiences and action-point owners may be an organisation's
seat or the UN office; a document shared by an organisation's seat records that organisation.

Reviewed by hand. The audience kinds are strings checked by a constraint, so widening them rewrites
the constraint (SQLite: by rebuilding the table in batch mode). Action-point owners are a plain
string column and need no change.

Revision ID: 3f5f54242cab
Revises: 17cd5d4c651b
Create Date: 2026-11-30 03:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3f5f54242cab'
down_revision = '17cd5d4c651b'
branch_labels = None
depends_on = None

OLD = ('public', 'network', 'network_kind', 'm49', 'group', 'org', 'team')
NEW = (*OLD, 'org_seat', 'un_office')


def _enum(values):
    return sa.Enum(*values, name='audience_kind', native_enum=False, create_constraint=True, length=24)


def _audience_kinds(values_from, values_to):
    if op.get_bind().dialect.name == 'sqlite':
        with op.batch_alter_table('event_audience', recreate='always') as batch_op:
            batch_op.alter_column(
                'kind', existing_type=_enum(values_from), type_=_enum(values_to), existing_nullable=False
            )
        return
    op.drop_constraint(op.f('ck_event_audience_audience_kind'), 'event_audience', type_='check')
    op.create_check_constraint(
        op.f('ck_event_audience_audience_kind'), 'event_audience', sa.column('kind').in_(values_to)
    )


def upgrade():
    _audience_kinds(OLD, NEW)
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_slug', sa.String(length=40), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_document_organisation_slug_regional_body'), 'regional_body', ['organisation_slug'], ['slug']
        )


def downgrade():
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_document_organisation_slug_regional_body'), type_='foreignkey')
        batch_op.drop_column('organisation_slug')
    # The older schema knows only teams: audiences and action points of seats go.
    audience = sa.table('event_audience', sa.column('kind'))
    op.execute(audience.delete().where(audience.c.kind.in_(('org_seat', 'un_office'))))
    point = sa.table('action_point', sa.column('owner_kind'))
    op.execute(point.delete().where(point.c.owner_kind != 'team'))
    _audience_kinds(NEW, OLD)
