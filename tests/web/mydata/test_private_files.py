"""Files only for their owner: the database and the files SQLite makes beside it, the key and the
secret key are 0600 even under the usual 022 umask, and a data directory others can open is named
once, with the command that fixes it."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from safebase.web import storage

REPO = Path(__file__).resolve().parents[3]

# While its connection is still open (so -wal and -shm exist), report each file's permissions.
WRITE_AND_STAT = """
import json, os, stat, sys
from safebase.web.bootstrap import setup_django
setup_django()
from django.db import connection
from safebase.web.assessments.services import local_owner
from safebase.web.practice.services import add_journal_entry
add_journal_entry(owner=local_owner(), body="written under umask 022")
data = os.environ["SAFEBASE_DATA_DIR"]
names = ["", "safebase.sqlite3", "safebase.sqlite3-wal", "safebase.sqlite3-shm", "fernet.key",
         "secret_key"]
modes = {n: oct(stat.S_IMODE(os.stat(os.path.join(data, n)).st_mode)) for n in names}
connection.close()
print(json.dumps(modes))
"""


def _python(code: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "SAFEBASE_DATA_DIR": str(data_dir), **env}
    environment.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=lambda: os.umask(0o022),  # what a login shell usually has
    )


def test_database_wal_shm_and_keys_are_created_owner_only(tmp_path: Path):
    data = tmp_path / "fresh"
    done = _python(WRITE_AND_STAT, data)
    assert done.returncode == 0, done.stderr
    modes = json.loads(done.stdout.strip().splitlines()[-1])
    assert modes.pop("") == "0o700"
    assert modes == dict.fromkeys(modes, "0o600")
    assert set(modes) == {
        "safebase.sqlite3",
        "safebase.sqlite3-wal",
        "safebase.sqlite3-shm",
        "fernet.key",
        "secret_key",
    }


def test_a_data_directory_others_can_open_is_named_once_with_the_fix(tmp_path: Path):
    shared = tmp_path / "shared data"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    done = _python(WRITE_AND_STAT, shared)
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if "other users" in line]
    assert len(warnings) == 1, done.stderr
    assert f"chmod 700 '{shared}'" in warnings[0]
    # The advice works: after it, nothing more is said.
    subprocess.run(["chmod", "700", str(shared)], check=True)
    again = _python(WRITE_AND_STAT, shared)
    assert again.returncode == 0 and "other users" not in again.stderr


def test_warn_if_shared_is_silent_for_a_private_directory(tmp_path: Path, caplog):
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    with caplog.at_level("WARNING", logger="safebase.storage"):
        storage.warn_if_shared(private)
    assert caplog.records == []


@pytest.mark.parametrize("name", [":memory:", "file:memorydb_default?mode=memory&cache=shared"])
def test_in_memory_databases_are_left_alone(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert storage.sqlite_file(name) == name
    assert list(tmp_path.iterdir()) == []


def test_an_existing_database_is_not_touched(tmp_path: Path):
    db = tmp_path / "kept.sqlite3"
    db.write_bytes(b"")
    os.chmod(db, 0o640)
    storage.sqlite_file(str(db))
    assert stat.S_IMODE(db.stat().st_mode) == 0o640
