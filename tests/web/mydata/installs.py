"""Separate installations for tests: each a data directory driven by subprocesses, so settings,
database file and key are those of that directory (and of no test database)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
PASSPHRASE = "a long backup passphrase"
SAFEBASE = [sys.executable, "-c", "from safebase.cli.app import main; main()"]
# Settings a test's own environment might carry that would point an installation elsewhere.
FOREIGN = (
    "DATABASE_URL",
    "SAFEBASE_SQLITE_PATH",
    "SAFEBASE_ENCRYPTION_KEY",
    "SAFEBASE_ENCRYPTION_KEY_FILE",
    "SAFEBASE_PASSPHRASE",
)


def environment(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in FOREIGN}
    return {
        **env,
        "SAFEBASE_DATA_DIR": str(data_dir),
        "SAFEBASE_BACKUP_PASSPHRASE": PASSPHRASE,
        **extra,
    }


def world(data_dir: Path, *args: str, **extra: str) -> dict:
    """Run tests/web/mydata/world.py in that installation; its JSON answer."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.web.mydata.world", *args],
        env=environment(data_dir, **extra),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def safebase(data_dir: Path, *args: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*SAFEBASE, *args],
        env=environment(data_dir, **extra),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
