"""``flask doctor``: check a running configuration, one line per check."""

from __future__ import annotations

import os
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import Migrate
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

import config as settings
from r2p_network.core import catalogues
from r2p_network.extensions import db
from r2p_network.mail.queries import outbox_health

MIN_SECRET_KEY = 32
MAIL_TIMEOUT_SECONDS = 5


@dataclass(frozen=True)
class Result:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'OK  ' if self.ok else 'FAIL'}  {self.name}: {self.detail}"


def _short(error: BaseException) -> str:
    """The first line of an error's message, without SQLAlchemy's background links."""
    text = str(getattr(error, "orig", None) or error).strip().splitlines()
    return text[0] if text else type(error).__name__


def check_database() -> Result:
    where = db.engine.url.render_as_string(hide_password=True)
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        db.session.rollback()
        return Result("database", False, f"cannot connect to {where}: {_short(error)}")
    return Result("database", True, f"connected to {where}")


def check_migrations() -> Result:
    migrate: Migrate = current_app.extensions["migrate"]
    script = ScriptDirectory(migrate.directory)
    heads = set(script.get_heads())
    try:
        current = set(MigrationContext.configure(db.session.connection()).get_current_heads())
    except SQLAlchemyError as error:
        db.session.rollback()
        return Result("migrations", False, f"cannot read the schema version: {_short(error)}")
    if current == heads:
        return Result("migrations", True, f"at head {', '.join(sorted(heads))}")
    at = ", ".join(sorted(current)) or "an empty database"
    return Result(
        "migrations", False, f"at {at}, head is {', '.join(sorted(heads))}: run flask --app app db upgrade"
    )


def check_secret_key() -> Result:
    key = current_app.config.get("SECRET_KEY") or ""
    production = current_app.config["PRODUCTION"]
    if production and key == settings.DEVELOPMENT_SECRET_KEY:
        return Result("secret key", False, "the development value: set SECRET_KEY")
    if production and len(key) < MIN_SECRET_KEY:
        return Result(
            "secret key", False, f"{len(key)} characters; production needs at least {MIN_SECRET_KEY}"
        )
    if not production:
        return Result(
            "secret key", True, f"{len(key)} characters (production needs its own, {MIN_SECRET_KEY}+)"
        )
    return Result("secret key", True, f"{len(key)} characters")


def check_base_url() -> Result:
    value = current_app.config.get("BASE_URL") or ""
    try:
        settings.check_base_url(value)
    except settings.ConfigurationError as error:
        return Result("base URL", False, str(error))
    if current_app.config["PRODUCTION"] and urlsplit(value).scheme != "https":
        return Result("base URL", False, f"{value} must start with https:// in production")
    return Result("base URL", True, value)


def check_totp_keys() -> Result:
    keys = current_app.config.get("TOTP_ENCRYPTION_KEYS") or []
    if not keys:
        return Result("two-factor keys", False, "TOTP_ENCRYPTION_KEYS is empty")
    bad = [str(number) for number, key in enumerate(keys, start=1) if not settings.valid_fernet_key(key)]
    if bad:
        return Result("two-factor keys", False, f"key {', '.join(bad)} of {len(keys)} is not a Fernet key")
    if current_app.config["PRODUCTION"] and settings.DEVELOPMENT_TOTP_KEY in keys:
        return Result("two-factor keys", False, "the development key is used: set TOTP_ENCRYPTION_KEYS")
    return Result("two-factor keys", True, f"{len(keys)} valid key{'s' if len(keys) > 1 else ''}")


def check_mail() -> Result:
    cfg = current_app.config
    backend = cfg.get("MAIL_BACKEND")
    if backend != "smtp":
        return Result("mail", True, f"backend {backend}: no server to reach")
    host, port = cfg.get("MAIL_SERVER") or "localhost", int(cfg.get("MAIL_PORT") or 25)
    if cfg["PRODUCTION"] and host == "localhost" and not os.environ.get("MAIL_SERVER"):
        return Result("mail", False, "MAIL_SERVER is not set: mail would go to localhost:25")
    try:
        server = smtplib.SMTP(host, port, timeout=MAIL_TIMEOUT_SECONDS)
    except (OSError, smtplib.SMTPException) as error:
        reason = str(error) or type(error).__name__
        return Result("mail", False, f"mail server {host}:{port} unreachable: {reason}")
    try:
        server.quit()
    except (OSError, smtplib.SMTPException):
        server.close()
    return Result("mail", True, f"mail server {host}:{port} answers")


def check_outbox() -> Result:
    minutes = int(current_app.config["MAIL_STUCK_MINUTES"])
    try:
        health = outbox_health(timedelta(minutes=minutes))
    except SQLAlchemyError as error:
        db.session.rollback()
        return Result("outbox", False, f"cannot read the outbox: {_short(error)}")
    failed = f"; {health.failed} failed (see /admin/outbox)" if health.failed else ""
    if health.stuck and health.oldest_queued_at is not None:
        return Result(
            "outbox",
            False,
            f"stuck: {health.queued} queued, the oldest since {health.oldest_queued_at:%Y-%m-%d %H:%M} UTC "
            f"(more than {minutes} minutes): is flask worker running?{failed}",
        )
    return Result("outbox", not health.failed, f"{health.queued} queued{failed}")


def check_translations() -> Result:
    missing = []
    for lang in catalogues.TRANSLATED:
        source = catalogues.path(lang)
        compiled = source.with_suffix(".mo")
        if not compiled.exists() or compiled.stat().st_mtime < source.stat().st_mtime:
            missing.append(lang)
    if missing:
        return Result(
            "translations",
            False,
            f"not compiled or older than the catalogue: {', '.join(missing)}; "
            "run flask --app app i18n compile",
        )
    return Result("translations", True, f"{len(catalogues.TRANSLATED)} catalogues compiled")


def check_production_settings() -> Result:
    """Production's own start-up checks (required variables), as the site runs them."""
    try:
        settings.ProductionConfig.validate()
    except settings.ConfigurationError as error:
        return Result("production settings", False, str(error))
    return Result("production settings", True, "every required variable is set")


def run() -> list[Result]:
    checks: list[Callable[[], Result]] = []
    if current_app.config["PRODUCTION"]:
        checks.append(check_production_settings)
    checks += [
        check_database,
        check_migrations,
        check_secret_key,
        check_base_url,
        check_totp_keys,
        check_mail,
        check_outbox,
        check_translations,
    ]
    results: list[Result] = []
    for check in checks:
        database_down = any(r.name in ("database", "migrations") and not r.ok for r in results)
        if check in (check_migrations, check_outbox) and database_down:
            if check is check_migrations:
                results.append(Result("migrations", False, "not checked: no database"))
            else:
                results.append(Result("outbox", False, "not checked: the database is not at head"))
            continue
        results.append(check())
    return results
