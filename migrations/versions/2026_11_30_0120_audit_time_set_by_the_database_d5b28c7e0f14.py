"""The audit time is set by the database: a server default, and on PostgreSQL a trigger that
stamps every new row with the database's clock whatever the application sent.

Written by hand. On SQLite the batch copy of audit_event drops its append-only triggers, so
they are created again afterwards.

Revision ID: d5b28c7e0f14
Revises: 8e4a1f6c2b93
Create Date: 2026-11-30 01:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'd5b28c7e0f14'
down_revision = '8e4a1f6c2b93'
branch_labels = None
depends_on = None


def _sqlite_append_only_triggers():
    for operation in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER IF NOT EXISTS audit_event_no_{operation.lower()} BEFORE {operation} ON audit_event "
            "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END"
        )


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE audit_event ALTER COLUMN created_at SET DEFAULT now()")
        op.execute(
            """
            CREATE FUNCTION audit_event_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.created_at := now();
                RETURN NEW;
            END;
            $$
            """
        )
        op.execute(
            "CREATE TRIGGER audit_event_stamp BEFORE INSERT ON audit_event "
            "FOR EACH ROW EXECUTE FUNCTION audit_event_stamp()"
        )
    else:
        with op.batch_alter_table('audit_event', schema=None) as batch_op:
            batch_op.alter_column('created_at', existing_type=sa.DateTime(timezone=True), existing_nullable=False,
                                  server_default=sa.text('CURRENT_TIMESTAMP'))
        _sqlite_append_only_triggers()


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_event_stamp ON audit_event")
        op.execute("DROP FUNCTION audit_event_stamp()")
        op.execute("ALTER TABLE audit_event ALTER COLUMN created_at DROP DEFAULT")
    else:
        with op.batch_alter_table('audit_event', schema=None) as batch_op:
            batch_op.alter_column('created_at', existing_type=sa.DateTime(timezone=True), existing_nullable=False,
                                  server_default=None)
        _sqlite_append_only_triggers()
