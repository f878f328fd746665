"""Capacity map revisions within a cycle, and assistance requests between teams.

Written by hand. A revision shares its team and cycle with the map it revises, so the unique
key of a submission gains its revision number (0 for every existing map). Entries of a revision
remember the entry they were copied from, for the verifier's difference.

Revision ID: 167c04786341
Revises: dd2ef7b74016
Create Date: 2026-11-30 03:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '167c04786341'
down_revision = 'dd2ef7b74016'
branch_labels = None
depends_on = None

NETWORKS = ('government', 'civil_society', 'parliament')
STATUSES = (
    'requested', 'counter_proposed', 'accepted', 'declined', 'under_way', 'delivered', 'closed', 'withdrawn'
)


def _network(name):
    return sa.Enum(*NETWORKS, name=name, native_enum=False, create_constraint=True, length=24)


def upgrade():
    with op.batch_alter_table('capacity_submission', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('revises_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('replaced_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_capacity_submission_revises_id_capacity_submission'),
            'capacity_submission', ['revises_id'], ['id'], ondelete='SET NULL',
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_capacity_submission_replaced_by_id_capacity_submission'),
            'capacity_submission', ['replaced_by_id'], ['id'], ondelete='SET NULL',
        )
        batch_op.drop_constraint('uq_capacity_submission_country_iso3_network_cycle', type_='unique')
        batch_op.create_unique_constraint(
            batch_op.f('uq_capacity_submission_country_iso3_network_cycle_revision'),
            ['country_iso3', 'network', 'cycle', 'revision'],
        )

    with op.batch_alter_table('capacity_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_capacity_entry_origin_id_capacity_entry'),
            'capacity_entry', ['origin_id'], ['id'], ondelete='SET NULL',
        )

    op.create_table('assistance_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('requester_iso3', sa.String(length=3), nullable=False),
    sa.Column('requester_network', _network('assistance_requester_network'), nullable=False),
    sa.Column('provider_iso3', sa.String(length=3), nullable=False),
    sa.Column('provider_network', _network('assistance_provider_network'), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('need_entry_id', sa.Integer(), nullable=True),
    sa.Column('offer_entry_id', sa.Integer(), nullable=True),
    sa.Column('restricted', sa.Boolean(), nullable=False),
    sa.Column('what', sa.String(length=200), nullable=False),
    sa.Column('why', sa.Text(), nullable=False),
    sa.Column('timeframe', sa.String(length=120), nullable=False),
    sa.Column('status', sa.Enum(*STATUSES, name='assistance_status', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('response', sa.Text(), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('responded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['category_id'], ['capacity_category.id'], name=op.f('fk_assistance_request_category_id_capacity_category')),
    sa.ForeignKeyConstraint(['need_entry_id'], ['capacity_entry.id'], name=op.f('fk_assistance_request_need_entry_id_capacity_entry'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['offer_entry_id'], ['capacity_entry.id'], name=op.f('fk_assistance_request_offer_entry_id_capacity_entry'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['provider_iso3'], ['country.iso3'], name=op.f('fk_assistance_request_provider_iso3_country')),
    sa.ForeignKeyConstraint(['requester_iso3'], ['country.iso3'], name=op.f('fk_assistance_request_requester_iso3_country')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'], name=op.f('fk_assistance_request_requested_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['responded_by_id'], ['user_account.id'], name=op.f('fk_assistance_request_responded_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assistance_request'))
    )
    with op.batch_alter_table('assistance_request', schema=None) as batch_op:
        batch_op.create_index('ix_assistance_request_provider', ['provider_iso3', 'provider_network'], unique=False)
        batch_op.create_index('ix_assistance_request_requester', ['requester_iso3', 'requester_network'], unique=False)
        batch_op.create_index(batch_op.f('ix_assistance_request_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_assistance_request_created_at'), ['created_at'], unique=False)

    op.create_table('assistance_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_assistance_note_author_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['request_id'], ['assistance_request.id'], name=op.f('fk_assistance_note_request_id_assistance_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assistance_note'))
    )
    with op.batch_alter_table('assistance_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assistance_note_request_id'), ['request_id'], unique=False)


def downgrade():
    op.drop_table('assistance_note')
    op.drop_table('assistance_request')
    with op.batch_alter_table('capacity_entry', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_capacity_entry_origin_id_capacity_entry'), type_='foreignkey')
        batch_op.drop_column('origin_id')
    # Revisions cannot share a cycle under the old key: keep each team's latest of every cycle.
    op.execute(
        'DELETE FROM capacity_submission WHERE revision < (SELECT max(other.revision) FROM capacity_submission AS other'
        ' WHERE other.country_iso3 = capacity_submission.country_iso3'
        ' AND other.network = capacity_submission.network AND other.cycle = capacity_submission.cycle)'
    )
    with op.batch_alter_table('capacity_submission', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('uq_capacity_submission_country_iso3_network_cycle_revision'), type_='unique'
        )
        batch_op.create_unique_constraint(
            batch_op.f('uq_capacity_submission_country_iso3_network_cycle'), ['country_iso3', 'network', 'cycle']
        )
        batch_op.drop_constraint(batch_op.f('fk_capacity_submission_replaced_by_id_capacity_submission'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_capacity_submission_revises_id_capacity_submission'), type_='foreignkey')
        batch_op.drop_column('replaced_by_id')
        batch_op.drop_column('revises_id')
        batch_op.drop_column('revision')
