"""Forms kept across an expired session; optimistic locks per section of an assessment draft;
priority actions followed through (reviews and milestones).

Written by hand. Existing drafts start with no section saved (every section at lock 0). The
priority actions of the versions already submitted are read from their answers, so each team's
dashboard starts with its history.

Revision ID: 9c2e4b7a1f38
Revises: 4f1c9a7e2d60
Create Date: 2026-11-30 03:00:00

"""
from alembic import op
import sqlalchemy as sa

from r2p_network.models.tracking import action_key



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

    actions = op.create_table(
        'priority_action',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('assessment_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=32), nullable=False),
        sa.Column('action', sa.String(length=300), nullable=False),
        sa.Column('first_version', sa.Integer(), nullable=False),
        sa.Column('last_version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['assessment_id'], ['assessment.id'], name=op.f('fk_priority_action_assessment_id_assessment'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_priority_action')),
        sa.UniqueConstraint('assessment_id', 'key', name=op.f('uq_priority_action_assessment_id_key')),
    )
    with op.batch_alter_table('priority_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_priority_action_assessment_id'), ['assessment_id'], unique=False)
    op.create_table(
        'action_review',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('action_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.Enum('not_started', 'under_way', 'done', 'dropped', name='action_status', native_enum=False, create_constraint=True, length=24), nullable=False),
        sa.Column('reviewed_on', sa.Date(), nullable=False),
        sa.Column('note', sa.String(length=500), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ['action_id'], ['priority_action.id'], name=op.f('fk_action_review_action_id_priority_action'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['created_by_id'], ['user_account.id'], name=op.f('fk_action_review_created_by_id_user_account'), ondelete='SET NULL'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_action_review')),
    )
    with op.batch_alter_table('action_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_review_action_id'), ['action_id'], unique=False)
    op.create_table(
        'action_milestone',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('action_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=True),
        sa.Column('reached_on', sa.Date(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['action_id'], ['priority_action.id'], name=op.f('fk_action_milestone_action_id_priority_action'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_action_milestone')),
    )
    with op.batch_alter_table('action_milestone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_milestone_action_id'), ['action_id'], unique=False)

    # The actions of the versions already submitted, as submitting a version records them.
    versions = sa.table(
        'assessment_version', sa.column('assessment_id', sa.Integer), sa.column('number', sa.Integer), sa.column('answers', sa.JSON)
    )
    bind = op.get_bind()
    found: dict[tuple[int, str], dict] = {}
    rows = bind.execute(sa.select(versions.c.assessment_id, versions.c.number, versions.c.answers).order_by(versions.c.assessment_id, versions.c.number))
    for assessment_id, number, answers in rows:
        for line in (answers or {}).get('priority_actions') or []:
            text = ' '.join(str(line.get('action') or '').split())[:300]
            if not text:
                continue
            row = found.setdefault((assessment_id, action_key(text)), {'first_version': number})
            row.update(action=text, last_version=number)
    if found:
        bind.execute(
            actions.insert(),
            [{'assessment_id': a, 'key': k, **row} for (a, k), row in found.items()],
        )


def downgrade():
    op.drop_table('action_milestone')
    op.drop_table('action_review')
    op.drop_table('priority_action')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_column('section_locks')
    op.drop_table('form_recovery')
