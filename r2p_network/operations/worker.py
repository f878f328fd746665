"""``flask worker``: deliver the outbox and run the scheduled jobs, on any number of hosts.

Each round sends what is due (row locks keep two workers from sending one message), then runs
every job whose period has passed. A job is claimed by moving its ``last_run_at`` forward in one
UPDATE, so of several workers only one runs it per period; the row then records what it did.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, update
from sqlalchemy.exc import IntegrityError

from r2p_network.core import outbox
from r2p_network.core.transaction import commit
from r2p_network.extensions import db
from r2p_network.mail import digests
from r2p_network.models import JobRun, utcnow
from r2p_network.operations import maintenance

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: Callable[[datetime], str]  # does the work (without committing) and says what it did


HOUSEKEEPING = "housekeeping"


def _prune(now: datetime) -> str:
    return maintenance.prune(now).summary()


def _digests(now: datetime) -> str:
    return f"{digests.send_due(now)} news messages queued"


# Immediate news is gathered by the same job as digests, every few minutes, so that it too is
# checked against what the reader may read when it is sent.
JOBS: list[Job] = [
    Job("news-and-digests", timedelta(minutes=5), _digests),
    Job(HOUSEKEEPING, timedelta(hours=1), _prune),
]


def _claim(job: Job, now: datetime) -> bool:
    claimed = cast(
        CursorResult[Any],
        db.session.execute(
            update(JobRun)
            .where(JobRun.name == job.name, JobRun.last_run_at <= now - job.every)
            .values(last_run_at=now)
        ),
    )
    if claimed.rowcount:
        return True
    if db.session.get(JobRun, job.name) is not None:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(JobRun(name=job.name, last_run_at=now, result=""))
    except IntegrityError:
        return False  # another worker created it first and runs the job
    return True


def record(name: str, result: str, now: datetime | None = None) -> None:
    """Record a run of job *name* done outside the worker (``flask maintenance prune``)."""
    run = db.session.get(JobRun, name) or JobRun(name=name)
    run.last_run_at, run.result = now or utcnow(), result[:300]
    db.session.add(run)
    db.session.flush()


def run_jobs(now: datetime | None = None, jobs: list[Job] | None = None) -> dict[str, str]:
    """Run every job whose period has passed, each in its own transaction; returns what each did."""
    done: dict[str, str] = {}
    for job in jobs if jobs is not None else JOBS:
        moment = now or utcnow()
        if not _claim(job, moment):
            db.session.commit()
            continue
        result = job.run(moment)
        run = db.session.get(JobRun, job.name)
        if run is not None:
            run.result = result[:300]
        commit()  # the mail a job queued goes with its commit (sent at once with MAIL_SEND_IN_APP)
        done[job.name] = result
    return done


def run_once(now: datetime | None = None) -> tuple[int, dict[str, str]]:
    """One round: deliver due mail, then the due jobs."""
    return outbox.deliver_due(now=now), run_jobs(now)


def run_forever(stop: threading.Event | None = None) -> None:
    """Rounds until stopped, sleeping ``WORKER_INTERVAL_SECONDS`` between them; an error in one
    round is logged and the next round tries again.

    SIGTERM (``systemctl stop``) and Ctrl+C let the current round finish, so a message handed
    to the mail server is also marked sent before the worker exits.
    """
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
    interval = int(current_app.config["WORKER_INTERVAL_SECONDS"])
    while not stop.is_set():
        try:
            sent, done = run_once()
            if sent or done:
                log.info("worker round: %s messages tried, jobs run: %s", sent, done or "none")
        except Exception:
            db.session.rollback()
            log.exception("worker round failed")
        finally:
            db.session.remove()
        stop.wait(interval)
    log.info("worker stopped")
