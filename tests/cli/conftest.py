from __future__ import annotations

import pytest

from safebase.cli import app as cli


@pytest.fixture(autouse=True)
def wide_consoles(monkeypatch):
    """Rich wraps at 80 columns off a terminal; a wide console keeps each table row on one line."""
    monkeypatch.setattr(cli.console, "_width", 400)
    monkeypatch.setattr(cli.err, "_width", 400)
