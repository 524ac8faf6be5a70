"""Storage hygiene for the embedded database: deleted rows leave no copy in SQLite's files."""

from __future__ import annotations

import logging

logger = logging.getLogger("safebase.storage")


def forget_deleted_pages(using: str = "default") -> None:
    """Move the write-ahead log into the database file and cut the log to zero bytes.

    With ``secure_delete`` (set on every connection in settings) SQLite zeroes the space a deleted
    row used, but the log still holds earlier copies of those pages — encrypted tokens next to
    their key, chosen words in plain text — until a checkpoint; TRUNCATE waits for readers (up to
    the busy timeout) and then empties it. PostgreSQL keeps no such file of ours: nothing to do.
    """
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        busy, _, _ = cursor.fetchone()
    if busy:
        logger.warning(
            "safebase: a long-running reader kept the write-ahead log from being emptied after a "
            "deletion; it is emptied at the next checkpoint once that reader finishes"
        )
