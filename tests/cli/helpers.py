"""Shared helpers for driving the CLI in-process."""

from __future__ import annotations

import io
import sys

from safebase.cli import app as cli


def run(argv: list[str]) -> int:
    """Run the CLI; the exit code (0 when main returns without sys.exit)."""
    try:
        cli.main(argv)
    except SystemExit as exc:
        code = exc.code
        return 0 if code is None else int(code)
    return 0


def keys(monkeypatch, *strokes: str) -> None:
    """Type these lines at the CLI's prompts."""
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(s + "\n" for s in strokes)))
