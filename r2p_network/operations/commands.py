"""``flask maintenance prune`` and ``flask doctor``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from r2p_network.core.transaction import commit
from r2p_network.operations import doctor, maintenance

maintenance_cli = AppGroup("maintenance", help="Housekeeping for the maintenance timer.")


@maintenance_cli.command("prune")
def prune_command() -> None:
    """Delete expired sessions and rate-limit hits older than a day."""
    pruned = maintenance.prune()
    commit()
    click.echo(
        f"Deleted {pruned.sessions} expired sessions and {pruned.rate_limit_hits} rate-limit hits "
        "older than a day."
    )


@click.command("doctor")
def doctor_command() -> None:
    """Check this configuration: database, migrations, keys, base URL, mail and translations."""
    results = doctor.run()
    for result in results:
        click.echo(result.line())
    failed = sum(1 for result in results if not result.ok)
    if failed:
        raise SystemExit(f"{failed} of {len(results)} checks failed.")
    click.echo(f"All {len(results)} checks passed.")
