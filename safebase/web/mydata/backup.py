"""Backup and restore of a whole installation: a consistent snapshot of the database together
with the encryption key that opens its stored text, sealed with a passphrase the person chooses
(format in ``sealed``).

SQLite is copied with its online backup API while the app keeps running; PostgreSQL with
``pg_dump`` in its custom format. A restore goes into an installation without data (or replaces
one when forced), only after the whole file has been authenticated.

Call after Django is set up. ``progress(stage, done, total)`` is told about long work; ``total``
is None when it is not known in advance.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import BinaryIO

from django.db import connections
from django.utils import timezone

from safebase.web.config import data_dir, envsecret
from safebase.web.mydata.sealed import BLOCK, BackupError, SealedWriter, open_sealed, read_entries
from safebase.web.storage import sqlite_in_use

__all__ = [
    "BackupError",
    "Restored",
    "backup_bytes",
    "check_restore_target",
    "restore_backup",
    "write_backup",
]

Progress = Callable[[str, int, "int | None"], None]

# Entries of a backup, and the data-directory file each key entry is restored to.
MANIFEST = "manifest.json"
DATABASE = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
KEY_FILES = {"keys/fernet.key": "fernet.key", "keys/passphrase.salt": "passphrase.salt"}
ENVIRONMENT_KEYS = "keys/environment"
# Keys that came from SAFEBASE_ENCRYPTION_KEY are restored here when that variable is not set.
RESTORED_KEY_FILE = "encryption.key"
KNOWN = {MANIFEST, *DATABASE.values(), *KEY_FILES, ENVIRONMENT_KEYS}
# The passphrase is all that protects the key inside a backup.
MIN_PASSPHRASE = 8


def _quiet(stage: str, done: int, total: int | None) -> None:
    pass


def _safebase_version() -> str:
    try:
        return version("safebase")
    except PackageNotFoundError:
        return "unknown"


def _engine(using: str = "default") -> str:
    vendor = connections[using].vendor
    if vendor not in DATABASE:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def _sqlite_name(using: str = "default") -> str:
    return str(connections[using].settings_dict["NAME"])


# --- writing -----------------------------------------------------------------------------------


def _sqlite_snapshot(name: str) -> bytes:
    """One consistent copy, taken in a single step of SQLite's online backup: it reads one
    snapshot while writers go on (WAL), where a stepped copy would restart after every write by
    another connection and might never finish on a busy database. The copy is made in memory, so
    no second plain copy of the database is left on disk."""
    uri = name.startswith("file:")
    if not uri and not Path(name).is_file():
        raise BackupError(f"no database at {name}: nothing to back up")
    source = sqlite3.connect(name, uri=uri, timeout=20)
    copy = sqlite3.connect(":memory:")
    try:
        source.backup(copy)
        return copy.serialize()
    finally:
        copy.close()
        source.close()


def _pg_environment(settings_dict: dict) -> dict[str, str]:
    """libpq's variables for the configured database: the password stays out of the command
    line (and so out of the process list)."""
    env = {**os.environ}
    for key, var in (
        ("NAME", "PGDATABASE"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
    ):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    sslmode = (settings_dict.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not on PATH; it is needed for a PostgreSQL database "
            "(Debian/Ubuntu: apt-get install postgresql-client)"
        )
    return found


def _last_line(stream: BinaryIO) -> str:
    stream.seek(0)
    lines = stream.read().decode(errors="replace").strip().splitlines()
    return lines[-1] if lines else "no message"


def _pg_dump(using: str = "default") -> Iterator[bytes]:
    command = [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"]
    env = _pg_environment(connections[using].settings_dict)
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=errors)
        assert proc.stdout is not None
        try:
            while chunk := proc.stdout.read(BLOCK):
                yield chunk
        finally:
            proc.stdout.close()
            code = proc.wait()
        if code:
            raise BackupError(f"pg_dump failed: {_last_line(errors)}")


def _key_entries() -> tuple[str, dict[str, bytes]]:
    """Where the encryption key comes from (as ``crypto`` decides), and the key material to keep.
    A key file not yet made means nothing has been encrypted yet."""
    configured = envsecret("SAFEBASE_ENCRYPTION_KEY")
    if configured:
        return "environment", {ENVIRONMENT_KEYS: configured.encode()}
    entries = {
        entry: (data_dir() / filename).read_bytes()
        for entry, filename in KEY_FILES.items()
        if (data_dir() / filename).exists()
    }
    return ("passphrase" if os.environ.get("SAFEBASE_PASSPHRASE") else "file"), entries


def write_backup(
    target: str | os.PathLike | BinaryIO,
    passphrase: str,
    *,
    progress: Progress = _quiet,
    using: str = "default",
) -> int:
    """Write an encrypted backup of the database and its encryption key to ``target``: a path
    (written beside it, 0600, and moved into place when complete) or a writable binary stream.
    Returns the number of bytes written."""
    if not isinstance(target, str | os.PathLike):
        return _write(target, passphrase, progress, using)
    path = Path(target)
    if not path.parent.is_dir():
        raise BackupError(f"the folder {path.parent} does not exist")
    _check_passphrase(passphrase)
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            written = _write(out, passphrase, progress, using)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return written


def backup_bytes(passphrase: str, *, using: str = "default") -> bytes:
    """The backup as bytes, for a download."""
    buffer = io.BytesIO()
    write_backup(buffer, passphrase, using=using)
    return buffer.getvalue()


def _check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise BackupError(
            f"the backup passphrase is too short: use at least {MIN_PASSPHRASE} characters"
        )


def _write(out: BinaryIO, passphrase: str, progress: Progress, using: str) -> int:
    _check_passphrase(passphrase)
    engine = _engine(using)
    if _existing_data(using) is None:
        raise BackupError(
            "nothing to back up: the database holds no one's data yet "
            "(check SAFEBASE_DATA_DIR, SAFEBASE_SQLITE_PATH or DATABASE_URL)"
        )
    key_source, keys = _key_entries()
    created_at = timezone.now().isoformat()
    progress("Deriving the key from the passphrase", 0, None)
    # The header is readable without the passphrase: it carries no date, name or engine.
    sealed = SealedWriter(out, passphrase, {})
    manifest = {
        "format": 1,
        "engine": engine,
        "created_at": created_at,
        "safebase_version": _safebase_version(),
        "key_source": key_source,
    }
    sealed.write_entry(MANIFEST, [json.dumps(manifest).encode()])
    for entry, content in keys.items():
        sealed.write_entry(entry, [content])
    if engine == "sqlite":
        progress("Taking a snapshot of the database", 0, None)
        snapshot = _sqlite_snapshot(_sqlite_name(using))
        total = len(snapshot)
        pieces: Iterator[bytes] = (snapshot[i : i + BLOCK] for i in range(0, total, BLOCK))
    else:
        total, pieces = None, _pg_dump(using)

    def counted() -> Iterator[bytes]:
        done = 0
        for piece in pieces:
            done += len(piece)
            progress("Encrypting", done, total)
            yield piece

    sealed.write_entry(DATABASE[engine], counted())
    sealed.close()
    return sealed.written


# --- restoring ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Restored:
    engine: str
    created_at: str
    people: int
    records: int
    # What the person must still do before the restored text can be read, if anything.
    key_advice: str | None
    # Whether the restored text decrypts with this installation's key settings; None when that
    # cannot be checked until the person has followed the advice.
    readable: bool | None


def _records(using: str) -> tuple[int, int]:
    from django.contrib.auth import get_user_model

    from safebase.web.assessments.models import Assessment
    from safebase.web.practice.models import CheckIn, ExerciseRecord, JournalEntry, TriggerLog

    kinds = (Assessment, CheckIn, JournalEntry, TriggerLog, ExerciseRecord)
    people = get_user_model().objects.using(using).count()
    return people, sum(m.objects.using(using).count() for m in kinds)


def _existing_data(using: str) -> str | None:
    """What the target already holds that a restore would replace; None when it holds nobody."""
    connection = connections[using]
    try:
        if "auth_user" not in connection.introspection.table_names():
            return None
        people, records = _records(using)
    except Exception:  # not a database, or one safebase cannot read: never overwrite unasked
        return "a database safebase cannot read"
    if people == 0:
        return None
    return f"{people} {'person' if people == 1 else 'people'} and {records} records"


def _stage(source: BinaryIO, passphrase: str, staging: Path, name: str, progress: Progress) -> dict:
    """Authenticate and unpack every entry into ``staging``; the manifest."""
    total = None
    with suppress(AttributeError, OSError, io.UnsupportedOperation):
        total = os.fstat(source.fileno()).st_size
    progress("Deriving the key from the passphrase", 0, None)
    _, blocks = open_sealed(
        source, passphrase, name=name, progress=lambda done: progress("Decrypting", done, total)
    )
    seen: dict[str, Path] = {}
    for entry, pieces in read_entries(blocks, name=name):
        if entry not in KNOWN or entry in seen:
            raise BackupError(f"{name} holds an unexpected entry '{entry}' (a newer safebase?)")
        path = staging / entry.replace("/", "-")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            for piece in pieces:
                out.write(piece)
        seen[entry] = path
    if MANIFEST not in seen:
        raise BackupError(f"{name} has no manifest")
    manifest = json.loads(seen[MANIFEST].read_text(encoding="utf-8"))
    if DATABASE.get(manifest.get("engine", "")) not in seen:
        raise BackupError(f"{name} holds no database")
    return manifest


def _replace_sqlite(staged: Path, target: Path) -> None:
    check = sqlite3.connect(staged)
    try:
        verdict = check.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        check.close()
    if verdict != "ok":
        raise BackupError(f"the database in the backup fails SQLite's check: {verdict}")
    # Moved beside the target first: SAFEBASE_SQLITE_PATH may be on another file system.
    beside = target.with_name(f".{target.name}.restoring")
    shutil.move(staged, beside)
    for suffix in ("-wal", "-shm", "-journal"):  # they belong to the database being replaced
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(beside, target)


def _restore_pg(staged: Path, using: str) -> None:
    command = [
        _pg_tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        "--dbname",
        str(connections[using].settings_dict["NAME"]),
        str(staged),
    ]
    env = _pg_environment(connections[using].settings_dict)
    env.pop("PGDATABASE", None)
    with tempfile.TemporaryFile() as errors:
        code = subprocess.call(command, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        if code:
            raise BackupError(f"pg_restore failed: {_last_line(errors)}")


def _restore_keys(staging: Path, manifest: dict) -> str | None:
    """Put the key material in place; advice when the person must still do something."""
    for entry, filename in KEY_FILES.items():
        staged = staging / entry.replace("/", "-")
        if staged.exists():
            os.replace(staged, data_dir() / filename)
    source = manifest.get("key_source")
    if source == "passphrase" and not os.environ.get("SAFEBASE_PASSPHRASE"):
        return (
            "this installation derived its key from a passphrase: set SAFEBASE_PASSPHRASE to it "
            "before starting safebase"
        )
    staged = staging / ENVIRONMENT_KEYS.replace("/", "-")
    if source == "environment" and staged.exists():
        if envsecret("SAFEBASE_ENCRYPTION_KEY"):
            return None
        path = data_dir() / RESTORED_KEY_FILE
        os.replace(staged, path)
        return (
            "this installation's keys came from SAFEBASE_ENCRYPTION_KEY; they are restored to "
            f"{path}: set SAFEBASE_ENCRYPTION_KEY_FILE={path} (or the variable itself)"
        )
    return None


def _readable(using: str) -> bool:
    from safebase.web.practice.models import CheckIn, ExerciseRecord, JournalEntry, TriggerLog

    try:
        for model in (JournalEntry, CheckIn, TriggerLog, ExerciseRecord):
            model.objects.using(using).first()
    except ValueError:
        return False
    return True


def _sqlite_target(using: str) -> Path | None:
    if _engine(using) != "sqlite":
        return None
    name = _sqlite_name(using)
    if name.startswith("file:") or name == ":memory:":
        raise BackupError("cannot restore into an in-memory database")
    return Path(name)


def check_restore_target(*, force: bool = False, using: str = "default") -> None:
    """Raise BackupError when a restore must not go ahead: someone's data is already there (and
    not ``force``), or another process has the SQLite database open."""
    target = _sqlite_target(using)
    existing = _existing_data(using)
    if existing and not force:
        where = target or "the PostgreSQL database"
        raise BackupError(f"{where} already holds {existing}; use --force to replace it")
    connections[using].close()
    if target is not None and sqlite_in_use(target):
        raise BackupError(
            f"{target} is open in another process (is `safebase serve` running?); stop it first"
        )


def restore_backup(
    source: str | os.PathLike | BinaryIO,
    passphrase: str,
    *,
    force: bool = False,
    progress: Progress = _quiet,
    using: str = "default",
) -> Restored:
    """Restore a backup made by ``write_backup`` into this installation's database and data
    directory. Refuses (BackupError) when they already hold someone's data, unless ``force``;
    a wrong passphrase or a damaged, altered or cut-short file changes nothing."""
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as fh:
            return restore_backup(fh, passphrase, force=force, progress=progress, using=using)
    raw_name = getattr(source, "name", None)
    name = Path(raw_name).name if isinstance(raw_name, str) else "the backup"
    engine = _engine(using)
    target = _sqlite_target(using)
    check_restore_target(force=force, using=using)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=data_dir()))
    try:
        manifest = _stage(source, passphrase, staging, name, progress)
        if manifest["engine"] != engine:
            raise BackupError(
                f"{name} is a backup of a {manifest['engine']} database, and this installation "
                f"uses {engine}: restore it where DATABASE_URL is "
                + ("set" if manifest["engine"] == "postgresql" else "not set")
            )
        progress("Restoring", 0, None)
        staged = staging / DATABASE[engine]
        if target is not None:
            _replace_sqlite(staged, target)
        else:
            _restore_pg(staged, using)
        advice = _restore_keys(staging, manifest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    from django.core.management import call_command

    from safebase.web import crypto

    crypto.reset_key_cache()  # this process may have read the replaced key already

    # A backup from an older safebase is brought up to this version's schema.
    call_command("migrate", interactive=False, verbosity=0, database=using)
    people, records = _records(using)
    readable = None if advice else _readable(using)
    return Restored(engine, manifest.get("created_at", ""), people, records, advice, readable)
