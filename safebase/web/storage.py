"""Storage hygiene for the embedded database: deleted rows leave no copy behind in SQLite's files,
and safebase's files can be opened by their owner only.

No Django import at module level: ``config`` (read while the settings load) calls in here.
"""

from __future__ import annotations

import logging
import os
import shlex
import stat
from pathlib import Path

logger = logging.getLogger("safebase.storage")

# The shared-memory index's "dead man switch" byte: every SQLite connection to a WAL database holds
# a shared lock on it while open (SQLite's os_unix.c: UNIX_SHM_DMS = (22 + 8) * 4 + 8).
_SHM_DMS_BYTE = 128
_warned: set[Path] = set()


def create_private_file(path: str | os.PathLike) -> None:
    """Create ``path`` empty and 0600 unless it exists. An empty file is an empty SQLite database;
    SQLite gives the ``-wal``, ``-shm`` and ``-journal`` files it makes beside a database the
    database file's own permissions, so creating the database first keeps all of them private
    without changing the process umask (which would also make exported files and collected
    static files owner-only)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except (FileExistsError, FileNotFoundError):
        return  # exists already, or its folder does not: SQLite will name the problem
    os.close(fd)


def sqlite_file(name: str) -> str:
    """The database path from settings, created private when it is a plain file path."""
    if name and name != ":memory:" and not name.startswith("file:"):
        create_private_file(name)
    return name


def warn_if_shared(directory: Path) -> None:
    """Say once per process, with the command that fixes it, when other users can open the data
    directory (one made by an older safebase, or by hand)."""
    if directory in _warned:
        return
    _warned.add(directory)
    mode = stat.S_IMODE(directory.stat().st_mode)
    if mode & 0o077:
        logger.warning(
            "safebase: other users can open the data directory %s (permissions %s); "
            "make it private with: chmod 700 %s",
            directory,
            oct(mode)[2:],
            shlex.quote(str(directory)),
        )


def forget_deleted_pages(using: str = "default") -> None:
    """Move the write-ahead log into the database file and cut the log to zero bytes.

    With ``secure_delete`` (set on every connection in settings) SQLite zeroes the space a deleted
    row used, but the log still holds earlier copies of those pages — encrypted tokens next to
    their key, chosen words in plain text — until a checkpoint; TRUNCATE waits for readers (up to
    the busy timeout) and then empties it. PostgreSQL keeps no such file of ours: nothing to do.
    """
    from django.db import DatabaseError, connections

    connection = connections[using]
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy, _, _ = cursor.fetchone()
    except DatabaseError:  # the deletion has committed: report, do not fail the request
        busy = True
    if busy:
        logger.warning(
            "safebase: the write-ahead log could not be emptied after a deletion (another "
            "connection was reading or locking it); the next checkpoint empties it"
        )


def sqlite_in_use(database: Path) -> bool:
    """Whether another process has this SQLite database open (a server still running), judged by
    the lock each open connection holds in the ``-shm`` file. This process's own connections
    must be closed first: closing any descriptor of a file drops this process's locks on it."""
    shm = Path(f"{database}-shm")
    if not shm.exists():
        return False
    try:
        import fcntl
    except ImportError:  # not a POSIX system: no way to tell
        return False
    fd = os.open(shm, os.O_RDWR)
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, _SHM_DMS_BYTE)
    except OSError:
        return True
    else:
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, _SHM_DMS_BYTE)
        return False
    finally:
        os.close(fd)
