"""``flask maintenance prune`` and ``flask doctor``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from r2p_network.core.transaction import commit
from r2p_network.operations import doctor, maintenance, worker

maintenance_cli = AppGroup("maintenance", help="Housekeeping for the maintenance timer.")


@maintenance_cli.command("prune")
def prune_command() -> None:
    """Delete expired sessions and rate-limit hits older than a day."""
    pruned = maintenance.prune()
    worker.record(worker.HOUSEKEEPING, pruned.summary())
    commit()
    click.echo(
        f"Deleted {pruned.sessions} expired sessions and {pruned.rate_limit_hits} rate-limit hits "
        f"older than a day; {pruned.used_tokens} used tokens and {pruned.sent_mail} old sent messages."
    )


@click.command("worker")
@click.option("--once", is_flag=True, help="Run one round (deliver due mail, run due jobs) and stop.")
def worker_command(once: bool) -> None:
    """Deliver the outbox and run the scheduled jobs (news and digests, housekeeping)."""
    if once:
        sent, done = worker.run_once()
        click.echo(f"{sent} messages tried; jobs run: {', '.join(done) or 'none due'}.")
        for name, result in done.items():
            click.echo(f"  {name}: {result}")
        return
    click.echo("Worker started: delivering mail and running scheduled jobs (Ctrl+C to stop).")
    worker.run_forever()


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
