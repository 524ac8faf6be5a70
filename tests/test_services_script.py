"""The Makefile reads the PostgreSQL URL from scripts/test-services.sh's stdout.

A CI run once failed because `pg_ctlcluster` printed "Removed stale pid file." onto that
stdout and the message became part of DATABASE_URL. The script now sends everything except the
URL to stderr; this checks the contract with a chatty command standing in for the services.
"""

import os
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "test-services.sh"


def test_stdout_is_only_the_url():
    url = "postgres://someone:secret@127.0.0.1:5999/somewhere"
    env = {**os.environ, "SAFEBASE_TEST_DATABASE_URL": url}
    done = subprocess.run(
        ["bash", str(SCRIPT)], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout == url + "\n"
