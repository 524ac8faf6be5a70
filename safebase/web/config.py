"""Where safebase keeps its data, and small typed helpers for reading the environment.

Settings come from environment variables with safe local defaults, so the same code runs as a
single-person local app (SQLite in the user's data directory) and as a multi-user deployment
(``DATABASE_URL`` pointing at PostgreSQL).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import platformdirs


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def envsecret(name: str) -> str | None:
    """A secret from ``NAME`` or from the file named by ``NAME_FILE`` (Docker/K8s secrets)."""
    if os.environ.get(name):
        return os.environ[name]
    file = os.environ.get(f"{name}_FILE")
    if file:
        return Path(file).read_text(encoding="utf-8").strip()
    return None


def local_crisis_line() -> tuple[str, str]:
    """(number, label) of a crisis line configured for this installation, shown first in every
    list of resources (SAFEBASE_CRISIS_NUMBER, SAFEBASE_CRISIS_LABEL; empty when unset)."""
    return (
        os.environ.get("SAFEBASE_CRISIS_NUMBER", "").strip(),
        os.environ.get("SAFEBASE_CRISIS_LABEL", "").strip(),
    )


def data_dir() -> Path:
    """``SAFEBASE_DATA_DIR`` when set, else the platform's user data directory."""
    configured = os.environ.get("SAFEBASE_DATA_DIR")
    path = Path(configured) if configured else Path(platformdirs.user_data_dir("safebase"))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    from safebase.web.storage import warn_if_shared

    warn_if_shared(path)
    return path


def private_file(name: str, make: callable) -> str:  # type: ignore[valid-type]
    """Read a per-installation secret from the data directory, creating it 0600 on first use."""
    path = data_dir() / name
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(make())
    return path.read_text(encoding="utf-8").strip()


def local_secret_key() -> str:
    return private_file("secret_key", lambda: secrets.token_urlsafe(50))
