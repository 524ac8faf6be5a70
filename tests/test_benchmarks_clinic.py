"""benchmarks/clinic_load.py runs end to end on tiny numbers and reports the caseload p99.

Needs PostgreSQL (the benchmark creates and drops a database of its own): skipped outside CI
when none answers, a failure in CI."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.conftest import IN_CI, REPO

pytestmark = pytest.mark.slow

SERVER = os.environ.get("SAFEBASE_TEST_DATABASE_URL") or (
    "postgres://safebase:safebase@127.0.0.1:5432/postgres"
)


def _postgres_answers() -> bool:
    # In a child process: this test process keeps sockets closed (pytest-socket).
    probe = (
        "import sys, psycopg\n"
        "from urllib.parse import urlsplit, urlunsplit\n"
        "u = urlsplit(sys.argv[1])\n"
        "psycopg.connect(urlunsplit(u._replace(path='/postgres')), connect_timeout=3).close()\n"
    )
    done = subprocess.run([sys.executable, "-c", probe, SERVER], capture_output=True, timeout=30)
    return done.returncode == 0


def test_clinic_load_runs_and_reports_the_caseload_p99():
    if not _postgres_answers():
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI: nothing answers at {SERVER}")
        pytest.skip(f"no PostgreSQL at {SERVER} (bash scripts/test-services.sh starts one)")
    args = ["--therapists", "2", "--per-therapist", "5", "--results", "2", "--clients", "2"]
    args += ["--seconds", "2", "--warmup", "0.5", "--workers", "2", "--think", "0.05"]
    args += ["--database-url", SERVER]
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "clinic_load.py"), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "seeded 2 therapists, 10 clients, 20 shared results" in out
    m = re.search(r"caseload page: p99 ([\d.]+) ms at 2 concurrent therapist sessions", out)
    assert m and float(m.group(1)) > 0, out
    # Every page answered 200 and listed (or named) the right clients.
    assert "errors: baseline 0, clinic 0" in out, out
    assert re.search(r"GET /clinic/ \(caseload\)\s+[1-9]", out), out
