"""``safebase report``: the person's own PDF report, a thin shell over ``safebase.web.reports``.

Bad dates and a path that cannot be written raise a SafebaseError, which ``app.main`` prints as
one line with exit code 2. Django, matplotlib and ReportLab load inside the command only, so the
other commands start as fast as before.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from safebase.core.errors import SafebaseError

console = Console(highlight=False, soft_wrap=True)  # paths stay on one line


def parse_day(value: str | None, option: str) -> date | None:
    """A calendar day written YYYY-MM-DD, or None when the option was not given."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise SafebaseError(f"{option}: '{value}' is not a date; write it as YYYY-MM-DD") from None


def _check_out(out: Path) -> None:
    """Fail before any work when the file could not be written."""
    if out.is_dir():
        raise SafebaseError(f"--out: {out} is a folder; name a file")
    if not out.parent.is_dir():
        raise SafebaseError(f"--out: the folder {out.parent} does not exist")


def report(
    start: Annotated[
        str | None,
        typer.Option("--from", help="First day, YYYY-MM-DD (default: your first result)."),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option("--to", help="Last day, YYYY-MM-DD (default: your latest result)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="The PDF to write (default: safebase-report-TODAY.pdf here)."),
    ] = None,
    practice: Annotated[
        bool,
        typer.Option(
            "--practice/--no-practice",
            help="Add counts of check-ins, exercises and journal entries (never their text).",
        ),
    ] = True,
) -> None:
    """Write a PDF report of your results in a period (charts, scores, bands, reliable change)."""
    first, last = parse_day(start, "--from"), parse_day(end, "--to")
    if first and last and first > last:
        raise SafebaseError(f"--from {first} is after --to {last}")
    from safebase.cli.people import current_person

    owner = current_person()  # sets Django up; --user / SAFEBASE_USER in multi-account mode
    from safebase.web.reports import services

    target = out if out is not None else Path(services.filename())
    _check_out(target)
    body = services.own_report(owner=owner, start=first, end=last, include_practice=practice)
    try:
        target.write_bytes(body)
    except OSError as exc:
        raise SafebaseError(f"--out: cannot write {target} ({exc.strerror or exc})") from None
    count = services.own_results(owner, first, last).count()
    console.print(
        f"Report written to {target} ({count} result{'s' if count != 1 else ''}, "
        f"{len(body):,} bytes)."
    )


def register(app: typer.Typer) -> None:
    app.command()(report)
