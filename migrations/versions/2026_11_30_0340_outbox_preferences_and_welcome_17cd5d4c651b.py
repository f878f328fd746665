"""The mail outbox and its attempts, the worker's job runs, notification preferences, single-use
tokens, private feed tokens, and when a member was welcomed.

Reviewed by hand. Members approved before this revision count as welcomed, so only new members
see the welcome page.

Revision ID: 17cd5d4c651b
Revises: 167c04786341
Create Date: 2026-11-30 03:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = "17cd5d4c651b"
down_revision = "167c04786341"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("queued", "sent", "failed", name="outbox_status", native_enum=False, create_constraint=True, length=24),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
    )
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_message_due", ["status", "next_attempt_at"], unique=False)
    op.create_table(
        "outbox_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["message_id"], ["outbox_message.id"],
            name=op.f("fk_outbox_attempt_message_id_outbox_message"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_attempt")),
    )
    with op.batch_alter_table("outbox_attempt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_attempt_message_id"), ["message_id"], unique=False)
    op.create_table(
        "job_run",
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("last_run_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("result", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_run")),
    )
    op.create_table(
        "notification_preference",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column(
            "frequency",
            sa.Enum("immediate", "daily", "weekly", "off", name="frequency", native_enum=False, create_constraint=True, length=24),
            nullable=False,
        ),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("digested_until", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"],
            name=op.f("fk_notification_preference_user_id_user_account"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "kind", name=op.f("pk_notification_preference")),
    )
    op.create_table(
        "used_token",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("digest", name=op.f("pk_used_token")),
    )
    op.create_table(
        "feed_token",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_feed_token_user_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_feed_token")),
        sa.UniqueConstraint("digest", name=op.f("uq_feed_token_digest")),
    )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("welcomed_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE user_account SET welcomed_at = approved_at WHERE approved_at IS NOT NULL")


def downgrade():
    # A plain DROP COLUMN (SQLite 3.35+): a batch copy of user_account would touch the rows that
    # the append-only audit log refers to, and its trigger refuses that.
    op.drop_column("user_account", "welcomed_at")
    op.drop_table("feed_token")
    op.drop_table("used_token")
    op.drop_table("notification_preference")
    op.drop_table("job_run")
    with op.batch_alter_table("outbox_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_attempt_message_id"))
    op.drop_table("outbox_attempt")
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_message_due")
    op.drop_table("outbox_message")
