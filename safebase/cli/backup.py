"""``safebase backup``, ``restore`` and ``import``: thin shells over ``safebase.web.mydata``.

Problems a person can fix (a wrong passphrase, a damaged file, data already there) raise a
SafebaseError, which ``app.main`` prints as one line with exit code 2. The web and crypto modules
are imported inside the commands, so other commands start as fast as before.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from safebase.core.errors import SafebaseError

PASSPHRASE_VARIABLE = "SAFEBASE_BACKUP_PASSPHRASE"

console = Console(highlight=False, soft_wrap=True)  # paths stay on one line
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _passphrase(confirm: bool) -> str:
    """From SAFEBASE_BACKUP_PASSPHRASE (scripts), else asked without echo (twice for a new one)."""
    given = os.environ.get(PASSPHRASE_VARIABLE)
    if given:
        return given
    try:
        return typer.prompt(
            "Passphrase for the backup",
            hide_input=True,
            confirmation_prompt="Repeat the passphrase" if confirm else False,
        )
    except (typer.Abort, EOFError):
        raise SafebaseError(
            f"no passphrase given (type it when asked, or set {PASSPHRASE_VARIABLE})"
        ) from None


@contextmanager
def _progress() -> Iterator:
    if not err.is_terminal:  # scripts and logs get the result line only
        yield lambda stage, done, total: None
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        tasks: dict[str, object] = {}

        def report(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)  # type: ignore[arg-type]

        yield report


def _django() -> None:
    from safebase.web.bootstrap import setup_django

    # No migration: a backup copies the database as it is, a restore replaces it.
    setup_django(migrate=False)


def backup(
    out: Annotated[
        Path, typer.Option("--out", help="The backup file to write (readable by you only).")
    ],
    force: Annotated[bool, typer.Option("--force", help="Replace --out if it exists.")] = False,
) -> None:
    """Write an encrypted backup: a consistent snapshot of the database and its key."""
    if not out.parent.is_dir():
        raise SafebaseError(f"--out: the folder {out.parent} does not exist")
    if out.is_dir():
        raise SafebaseError(f"--out: {out} is a folder; name a file")
    if out.exists() and not force:
        raise SafebaseError(f"--out: {out} exists; use --force to replace it")
    passphrase = _passphrase(confirm=True)
    _django()
    from safebase.web.mydata.backup import write_backup

    with _progress() as report:
        size = write_backup(out, passphrase, progress=report)
    console.print(f"Backup written to {out} ({size:,} bytes).")
    console.print("Keep the passphrase safe: without it the backup cannot be opened.")


def restore(
    file: Annotated[
        Path,
        typer.Argument(
            exists=True, dir_okay=False, readable=True, help="A file made by `safebase backup`."
        ),
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Replace the data already in this installation.")
    ] = False,
) -> None:
    """Restore a backup into an installation without data (--force replaces data)."""
    _django()
    from safebase.web.mydata.backup import check_restore_target, restore_backup

    check_restore_target(force=force)  # before asking for the passphrase
    passphrase = _passphrase(confirm=False)
    with _progress() as report:
        done = restore_backup(file, passphrase, force=force, progress=report)
    from safebase.web.config import data_dir

    where = data_dir() if done.engine == "sqlite" else "the PostgreSQL database"
    console.print(
        f"Restored {done.people} {'person' if done.people == 1 else 'people'} and "
        f"{done.records} records from the backup of {done.created_at[:16].replace('T', ' ')} "
        f"into {where}."
    )
    if done.key_advice:
        err.print(f"note: {done.key_advice}", style="yellow", markup=False)
    if done.readable is False:
        raise SafebaseError(
            "restored, but its text does not decrypt with this installation's key settings "
            "(SAFEBASE_ENCRYPTION_KEY, SAFEBASE_PASSPHRASE): set them as when the backup was made"
        )


def import_file(
    file: Annotated[
        Path,
        typer.Argument(
            exists=True, dir_okay=False, readable=True, help="A safebase export (export.json)."
        ),
    ],
) -> None:
    """Import a safebase JSON export (every result and practice record) into this installation,
    for the local person or, in multi-account mode, for ``--user NAME``."""
    from safebase.cli.people import current_person

    person = current_person()
    from safebase.web.mydata.importer import import_export

    done = import_export(person, file.read_bytes())
    added = ", ".join(f"{n} {kind}" for kind, n in done.added.items())
    console.print(f"Imported for {person.get_username()}: {added}.")
    skipped = sum(done.skipped.values())
    if skipped:
        console.print(f"{skipped} records were already here and were skipped.")


def register(app: typer.Typer) -> None:
    app.command()(backup)
    app.command()(restore)
    app.command("import")(import_file)
