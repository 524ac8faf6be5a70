"""The Makefile reads the PostgreSQL URL from scripts/test-services.sh's stdout.

Two CI failures came from that contract: `pg_ctlcluster` printed "Removed stale pid file." onto
stdout and the message became part of DATABASE_URL; and a descriptor kept open for the URL was
inherited by the PostgreSQL daemon, so the caller's `$(...)` never saw end-of-file. Here the
service commands are stand-ins on PATH that do both things (print noise, leave a background
process holding every inherited descriptor); the script must still print just the URL, promptly.
"""

import os
import stat
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "test-services.sh"

STAND_INS = {
    "id": "echo 0",
    "apt-get": "exit 1",
    "pg_lsclusters": "echo '15 main 5433 down postgres /nowhere /nowhere.log'",
    # Like pg_ctl: chatter on stdout, and a daemon that logs to a file but keeps any other
    # descriptor it inherited.
    "pg_ctlcluster": "echo 'Removed stale pid file.'; sleep 30 >/dev/null 2>&1 & exit 0",
    "su": "echo 1",
}


def _run(tmp_path: Path, extra_env: dict[str, str]) -> subprocess.CompletedProcess:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, body in STAND_INS.items():
        path = bin_dir / name
        path.write_text(f"#!/bin/sh\n{body}\n")
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "SAFEBASE_TEST_DATABASE_URL")}
    env.update(extra_env, PATH=f"{bin_dir}:{os.environ['PATH']}")
    # The same shape as the Makefile: the URL is read through a command substitution.
    return subprocess.run(
        ["bash", "-c", f'url=$(bash {SCRIPT}); printf "%s" "$url"'],
        env=env,
        capture_output=True,
        text=True,
        timeout=20,
        check=True,
    )


def test_stdout_is_only_the_url_despite_a_chatty_daemon(tmp_path):
    done = _run(tmp_path, {})
    assert done.stdout == "postgres://safebase:safebase@127.0.0.1:5433/safebase"
    assert "Removed stale pid file." in done.stderr


def test_a_given_database_url_is_passed_through(tmp_path):
    url = "postgres://someone:secret@127.0.0.1:5999/somewhere"
    done = _run(tmp_path, {"SAFEBASE_TEST_DATABASE_URL": url})
    assert done.stdout == url
