"""Production settings pass Django's deployment checks, and refuse to start without secrets."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **env}
    full_env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "safebase.web.manage", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
    )


@pytest.fixture()
def production_env(tmp_path) -> dict[str, str]:
    return {
        "SAFEBASE_ENV": "production",
        "SAFEBASE_SECRET_KEY": secrets.token_urlsafe(60),
        "SAFEBASE_ALLOWED_HOSTS": "safebase.example.org",
        "SAFEBASE_DATA_DIR": str(tmp_path),
    }


def test_check_deploy_is_clean(production_env):
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **production_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_a_missing_secret_key(production_env):
    production_env["SAFEBASE_SECRET_KEY"] = ""
    result = _manage("check", **production_env)
    assert result.returncode != 0
    assert "SAFEBASE_SECRET_KEY" in result.stderr


def test_local_settings_would_fail_deploy_checks(tmp_path):
    """The check is real: the local (non-production) settings do not pass it."""
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", SAFEBASE_DATA_DIR=str(tmp_path)
    )
    assert result.returncode != 0


def test_sqlite_default_runs_in_wal_mode_in_the_data_directory(tmp_path):
    code = (
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]); "
        "print(connection.settings_dict['NAME'])"
    )
    result = _manage("shell", "-c", code, SAFEBASE_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    mode, name = result.stdout.split()[-2:]
    assert mode == "wal"
    assert name == str(tmp_path / "safebase.sqlite3")


def test_a_home_server_adds_its_own_address_to_the_local_hosts(tmp_path):
    code = "from django.conf import settings; print(','.join(settings.ALLOWED_HOSTS))"
    result = _manage(
        "shell", "-c", code, SAFEBASE_ALLOWED_HOSTS="192.168.1.20", SAFEBASE_DATA_DIR=str(tmp_path)
    )
    hosts = result.stdout.strip().split(",")
    assert "192.168.1.20" in hosts and "localhost" in hosts, result.stderr
