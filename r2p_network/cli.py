"""Command-line tasks: ``flask --app app reference load | reference check | create-admin | seed-demo |
cache renew | search rebuild | i18n ... | security ... | maintenance prune | doctor``."""

from __future__ import annotations

import re
import secrets
from datetime import date

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import Integer, String, column, func, select, table, text, update

from r2p_network.auth.passwords import password_problems
from r2p_network.auth.services import create_admin
from r2p_network.core import catalogues, fragments
from r2p_network.core.transaction import commit
from r2p_network.extensions import db
from r2p_network.lessons.services import rebuild_search_index
from r2p_network.models import User
from r2p_network.reference import (
    load_reference_data,
    missing_translations_by_language,
    stale_records,
    twelve_months_before,
)

reference_cli = AppGroup("reference", help="Reference data (countries, regions, groups, organisations).")


@reference_cli.command("load")
def reference_load() -> None:
    """Add any missing reference data; safe to run again."""
    added = load_reference_data(db.session)
    commit()
    click.echo(
        "Reference data loaded: " + ", ".join(f"{count} {kind}" for kind, count in added.items()) + " added."
    )


@reference_cli.command("check")
def reference_check() -> None:
    """List memberships and treaty records not checked in the last 12 months, and reference
    texts without a translation in one of the UN languages; exit 1 if there are any."""
    untranslated = missing_translations_by_language(db.session)
    for lang, rows in untranslated.items():
        click.echo(f"{lang}: {len(rows)} reference texts without a translation: " + ", ".join(rows))
    if untranslated:
        click.echo("Add the translations in the reference editors; until then readers see the English text.")
    cutoff = twelve_months_before(date.today())
    stale = stale_records(db.session, cutoff)
    for record in stale:
        click.echo(
            f"{record.kind:<10}  {record.what:<32}  {record.status:<20}  as of {record.as_of.isoformat()}"
            f"  source: {record.source}"
        )
    memberships = sum(1 for r in stale if r.kind == "membership")
    treaties = len(stale) - memberships
    if stale:
        click.echo(
            f"{len(stale)} records older than 12 months (as of before {cutoff.isoformat()}): "
            f"{memberships} memberships, {treaties} treaty records. Check them and update their as-of dates."
        )
        raise SystemExit(1)
    click.echo(f"Every membership and treaty record was checked on or after {cutoff.isoformat()}.")
    if untranslated:
        raise SystemExit(1)
    click.echo("Every reference text is translated into the six UN languages.")


def _checked_password(password: str, email: str) -> str:
    problems = password_problems(password, email=email)
    if problems:
        raise click.BadParameter(" ".join(problems), param_hint="--password")
    return password


@click.command("create-admin")
@click.argument("email")
@click.option("--name", default="Network administrator", show_default=True)
@click.option("--password", help="Asked for when not given.")
def create_admin_command(email: str, name: str, password: str | None) -> None:
    """Create an administrator (or promote an existing account)."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = create_admin(email, name, _checked_password(password, email))
    commit()
    click.echo(f"Administrator {user.email} is ready.")


@click.command("seed-demo")
@click.option("--password", help="Password for every demo account; generated and printed when not given.")
def seed_demo_command(password: str | None) -> None:
    """Fill the database with a demo network (idempotent); refused with production settings."""
    if current_app.config.get("PRODUCTION"):
        raise click.ClickException(
            "seed-demo refuses to run with production settings: demo accounts share one password."
        )
    from r2p_network.demo import seed_demo

    generated = password is None
    password = password or secrets.token_urlsafe(12)
    _checked_password(password, "admin@example.org")
    load_reference_data(db.session)
    accounts_before = db.session.scalar(select(func.count(User.id)))
    summary = seed_demo(password)
    created = db.session.scalar(select(func.count(User.id))) != accounts_before
    commit()
    click.echo(summary)
    if not created:
        click.echo("No account was created, so no password was set: existing accounts keep theirs.")
        return
    click.echo("Demo logins: admin@example.org, fp.<iso3>@example.org (e.g. fp.gha@example.org),")
    click.echo("             cs.<iso3>@example.org, mp.<iso3>@example.org")
    click.echo(f"Password for every demo account: {password}" + ("  (generated)" if generated else ""))


@click.command("seed-scale")
@click.option("--password", default="scale network password", show_default=True)
def seed_scale_command(password: str) -> None:
    """Build the large benchmark network in an empty database."""
    # The benchmark data lives beside the benchmarks, outside the package; imported only here.
    from bench.scale import seed_scale

    load_reference_data(db.session)
    click.echo(seed_scale(password))
    commit()
    # Fresh statistics after a bulk load, as autovacuum would gather later: plans depend on them.
    db.session.execute(text("ANALYZE"))
    commit()


cache_cli = AppGroup("cache", help="The cached page parts.")


@cache_cli.command("renew")
def cache_renew() -> None:
    """Give the data a new token, so every worker rebuilds its cached parts (after hand edits)."""
    fragments.renew(db.session)
    commit()
    click.echo("Data token renewed: cached page parts will be rebuilt.")


search_cli = AppGroup("search", help="The full-text search index.")


@search_cli.command("rebuild")
def search_rebuild() -> None:
    """Rebuild the lessons' full-text index from the database."""
    count = rebuild_search_index()
    commit()
    click.echo(f"Search index rebuilt: {count} published lessons.")


i18n_cli = AppGroup("i18n", help="The interface's translation catalogues.")


@i18n_cli.command("update")
def i18n_update() -> None:
    """Extract the messages from the code and merge them into every catalogue."""
    for lang, missing in catalogues.update(catalogues.extract()).items():
        click.echo(f"{lang}: {missing} messages to translate")


@i18n_cli.command("compile")
def i18n_compile() -> None:
    """Write the compiled catalogues (.mo) that the site reads."""
    written = catalogues.compile_all()
    click.echo(f"Compiled {len(written)} catalogues.")


@i18n_cli.command("check")
def i18n_check() -> None:
    """Fail when a message is missing, untranslated or fuzzy, or its placeholders differ."""
    found = list(catalogues.problems())
    for problem in found:
        click.echo(problem)
    if found:
        raise SystemExit(f"{len(found)} translation problems.")
    click.echo("Every message is translated in every language.")


security_cli = AppGroup("security", help="Keys and secrets at rest.")


@security_cli.command("rotate-keys")
def rotate_keys_command() -> None:
    """Re-encrypt every two-factor secret with the first key of TOTP_ENCRYPTION_KEYS."""
    from r2p_network.models.encryption import UnreadableSecret, rotate

    # The raw column, not the model's attribute: the values stay encrypted throughout.
    accounts = table("user_account", column("id", Integer), column("totp_secret", String))
    rows = db.session.execute(
        select(accounts.c.id, accounts.c.totp_secret).where(accounts.c.totp_secret.is_not(None))
    ).all()
    try:
        for row_id, token in rows:
            db.session.execute(
                update(accounts).where(accounts.c.id == row_id).values(totp_secret=rotate(token))
            )
    except UnreadableSecret as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    commit()
    click.echo(f"{len(rows)} two-factor secrets re-encrypted with the first key.")


ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def app_role_grants(role: str) -> list[str]:
    """SQL that lets *role* (the application's login, owning nothing) read and write the data,
    but only add to the audit trail and leave the migration record alone. Run by the owner."""
    if not ROLE_NAME.match(role):
        raise click.BadParameter(
            "a role name of lower-case letters, digits and underscores", param_hint="ROLE"
        )
    return [
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        # Tables and sequences that later migrations create get the same rights.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {role}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_event FROM {role}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {role}",
    ]


@security_cli.command("grant-app-role")
@click.argument("role")
def grant_app_role_command(role: str) -> None:
    """Give the application's database role its rights (PostgreSQL; run as the owning role)."""
    if db.engine.dialect.name != "postgresql":
        raise click.ClickException("Database roles are a PostgreSQL feature; SQLite has none.")
    for statement in app_role_grants(role):
        db.session.execute(text(statement))
    commit()
    click.echo(f"{role} may read and change the data and only add to the audit trail.")


def init_app(app: Flask) -> None:
    from r2p_network.operations.commands import doctor_command, maintenance_cli, worker_command

    app.cli.add_command(maintenance_cli)
    app.cli.add_command(worker_command)
    app.cli.add_command(doctor_command)
    app.cli.add_command(i18n_cli)
    app.cli.add_command(cache_cli)
    app.cli.add_command(search_cli)
    app.cli.add_command(reference_cli)
    app.cli.add_command(security_cli)
    app.cli.add_command(create_admin_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(seed_scale_command)
