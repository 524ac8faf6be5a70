"""alice and bob linked (``linked`` in tests/web/conftest.py), charlie unrelated; here only the
unlink step, through the relationships app's own service."""

from __future__ import annotations

import pytest


@pytest.fixture()
def unlink():
    from safebase.web.relationships.services import unlink as do_unlink

    return do_unlink
