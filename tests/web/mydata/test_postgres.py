"""Backup and restore on PostgreSQL (pg_dump custom format), between two real databases made for
the test. Runs only with DATABASE_URL pointing at PostgreSQL, as in `make test`'s second pass."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.web.mydata.installs import safebase, world

URL = os.environ.get("DATABASE_URL", "")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not URL.startswith(("postgres://", "postgresql://")), reason="PostgreSQL"),
]


@contextmanager
def fresh_database() -> Iterator[str]:
    """A new, empty database on the test server; its URL. Dropped afterwards."""
    import psycopg

    base, _, _ = URL.rpartition("/")
    name = f"safebase_backup_{secrets.token_hex(4)}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump not installed")
def test_pg_backup_while_writing_restores_into_an_empty_database(tmp_path: Path):
    archive = tmp_path / "pg.backup"
    with fresh_database() as first, fresh_database() as second:
        made = world(tmp_path / "a", "backup-while-writing", str(archive), DATABASE_URL=first)
        assert made["written_during_backup"] > 0
        assert os.stat(archive).st_mode & 0o777 == 0o600
        restored = safebase(tmp_path / "b", "restore", str(archive), DATABASE_URL=second)
        assert restored.returncode == 0, restored.stderr
        assert "into the PostgreSQL database" in restored.stdout
        back = world(tmp_path / "b", "state", DATABASE_URL=second)
        before, after = made["before"], made["after"]
        for kind in ("results", "journal", "triggers", "exercises"):
            assert back[kind] == before[kind] == after[kind]
        k = len(back["checkins"])
        assert len(before["checkins"]) <= k <= len(after["checkins"])
        assert back["checkins"] == after["checkins"][:k]

        again = safebase(tmp_path / "b", "restore", str(archive), DATABASE_URL=second)
        assert again.returncode == 2 and "the PostgreSQL database already holds" in again.stderr
        # A PostgreSQL backup does not go into a SQLite installation.
        crossed = safebase(tmp_path / "c", "restore", str(archive))
        assert crossed.returncode == 2
        assert "a backup of a postgresql database" in crossed.stderr


def test_pg_backup_without_pg_dump_is_a_clear_error(tmp_path: Path):
    with fresh_database() as url:
        world(tmp_path / "a", "populate", DATABASE_URL=url)
        empty = tmp_path / "empty-path"
        empty.mkdir()
        done = safebase(
            tmp_path / "a",
            "backup",
            "--out",
            str(tmp_path / "x"),
            DATABASE_URL=url,
            PATH=str(empty),
        )
        assert done.returncode == 2
        assert done.stderr.strip().startswith("error: pg_dump is not on PATH")
        assert not (tmp_path / "x").exists()
