"""Test-wide set-up: a private data directory, and the paths of shared reference material."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Before Django reads its settings: never touch the real user's data directory.
os.environ["SAFEBASE_DATA_DIR"] = tempfile.mkdtemp(prefix="safebase-test-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safebase.web.settings")

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SAFEBASE_SHARED_DIR", REPO.parent / "shared"))
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def shared_path(*parts: str) -> Path:
    """A file under ../shared; skips the test outside CI when absent, fails in CI."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if IN_CI:
            pytest.fail(f"required reference file missing in CI: {path}")
        pytest.skip(f"reference file not present: {path}")
    return path


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """A cheap password hasher first, as Django advises for test suites ("Speeding up the
    tests"): Argon2 costs about 0.17 s a hash on a two-core machine and the suite makes some
    550 of them (every persona's account, every log-in form), a minute and a half of CPU.
    Passwords stored before stay checkable (the production hashers follow). The test that
    signs up through the form asserts Argon2 under the production setting
    (``tests/web/test_accounts.py``)."""
    from django.conf import settings
    from django.test.utils import override_settings

    cheap = "django.contrib.auth.hashers.MD5PasswordHasher"
    with override_settings(PASSWORD_HASHERS=[cheap, *settings.PASSWORD_HASHERS]):
        yield
