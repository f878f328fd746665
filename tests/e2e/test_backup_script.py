"""deploy/backup.sh and deploy/restore.sh against the machine's PostgreSQL, on databases of their own."""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT, _prepare_database

pytestmark = pytest.mark.live

SERVER = "postgresql://postgres@127.0.0.1:5432"


def _psql(database: str, sql: str) -> str:
    done = subprocess.run(  # noqa: S603
        ["psql", "-X", "-At", "-d", f"{SERVER}/{database}", "-c", sql],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout.strip()


@pytest.fixture
def databases():
    names = [f"r2p_backup_{uuid.uuid4().hex[:8]}", f"r2p_restored_{uuid.uuid4().hex[:8]}"]
    for name in names:
        _psql("postgres", f"CREATE DATABASE {name}")
    try:
        yield names
    finally:
        for name in names:
            _psql("postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_backup_keeps_n_days_and_restore_rebuilds_the_database(databases, tmp_path):
    source, target = databases
    _prepare_database(f"{SERVER}/{source}")
    backups = tmp_path / "backups"
    backups.mkdir()
    old = backups / "r2p-2026-01-01T023000Z.dump"
    old.write_bytes(b"an old dump")
    ten_days_ago = time.time() - 10 * 86400
    os.utime(old, (ten_days_ago, ten_days_ago))
    recent = backups / "r2p-2026-11-28T023000Z.dump"
    recent.write_bytes(b"a recent dump")
    documents = tmp_path / "documents"
    (documents / "ab").mkdir(parents=True)
    (documents / "ab" / "abcdef0123").write_bytes(b"%PDF-1.4 an uploaded file")
    env = {
        "PATH": os.environ["PATH"],
        "DATABASE_URL": f"postgresql+psycopg2://postgres@127.0.0.1:5432/{source}",
        "BACKUP_DIR": str(backups),
        "BACKUP_KEEP_DAYS": "7",
        "DOCUMENT_STORAGE_PATH": str(documents),
    }

    done = subprocess.run(  # noqa: S603
        [str(ROOT / "deploy" / "backup.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert not old.exists() and recent.exists()
    (dump,) = [path for path in backups.glob("r2p-*.dump") if path != recent]
    assert oct(dump.stat().st_mode)[-3:] == "600"
    assert "backup: wrote" in done.stdout and "(1 files)" in done.stdout
    archive = dump.with_name(dump.name.replace(".dump", ".documents.tar"))
    assert oct(archive.stat().st_mode)[-3:] == "600"

    restored = subprocess.run(  # noqa: S603
        [str(ROOT / "deploy" / "restore.sh"), str(dump), f"{SERVER}/{target}", str(tmp_path / "restored")],
        env={"PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert restored.returncode == 0, restored.stderr
    accounts = _psql(source, "SELECT count(*) FROM user_account")
    version = _psql(source, "SELECT version_num FROM alembic_version")
    assert restored.stdout.strip().splitlines() == [
        f"restore: 1 documents in {tmp_path / 'restored'}",
        f"restore: {accounts} accounts, schema version {version}",
    ]
    assert (tmp_path / "restored" / "ab" / "abcdef0123").read_bytes() == b"%PDF-1.4 an uploaded file"
    assert _psql(target, "SELECT count(*) FROM country") == _psql(source, "SELECT count(*) FROM country")

    again = subprocess.run(  # noqa: S603
        [str(ROOT / "deploy" / "restore.sh"), str(dump), f"{SERVER}/{target}"],
        env={"PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert again.returncode == 1
    assert "restore into an empty database" in again.stderr


def test_backup_refuses_a_retention_that_is_not_a_number(tmp_path):
    done = subprocess.run(  # noqa: S603
        [str(Path(ROOT) / "deploy" / "backup.sh")],
        env={"PATH": os.environ["PATH"], "DATABASE_URL": f"{SERVER}/x", "BACKUP_KEEP_DAYS": "two weeks"},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 2
    assert "BACKUP_KEEP_DAYS must be a number of days" in done.stderr
