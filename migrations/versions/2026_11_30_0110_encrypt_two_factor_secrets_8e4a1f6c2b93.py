"""Two-factor secrets encrypted at rest with the keys of TOTP_ENCRYPTION_KEYS.

Written by hand. The column widens to hold a Fernet token, and every secret still in clear
(base32, upper case; a Fernet token starts with "gAAAAA") is encrypted with the first key.
The downgrade decrypts them again. The keys come from the application's settings, so run
it as ``flask --app app db upgrade`` with the production environment.

Revision ID: 8e4a1f6c2b93
Revises: 3c7d2e91a4b0
Create Date: 2026-11-30 00:40:00

"""
from alembic import op
import sqlalchemy as sa
from cryptography.fernet import Fernet, MultiFernet
from flask import current_app


revision = '8e4a1f6c2b93'
down_revision = '3c7d2e91a4b0'
branch_labels = None
depends_on = None

accounts = sa.table('user_account', sa.column('id', sa.Integer), sa.column('totp_secret', sa.String))


def _keys() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in current_app.config["TOTP_ENCRYPTION_KEYS"]])


def _rewrite(change) -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(accounts.c.id, accounts.c.totp_secret).where(accounts.c.totp_secret.is_not(None)))
    for row_id, value in rows.all():
        new = change(value)
        if new != value:
            bind.execute(accounts.update().where(accounts.c.id == row_id).values(totp_secret=new))


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=64), type_=sa.String(length=255),
                              existing_nullable=True)
    keys = _keys()
    _rewrite(lambda value: value if value.startswith("gAAAAA") else keys.encrypt(value.encode()).decode())


def downgrade():
    keys = _keys()
    _rewrite(lambda value: keys.decrypt(value.encode()).decode() if value.startswith("gAAAAA") else value)
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=255), type_=sa.String(length=64),
                              existing_nullable=True)
