"""Deleted means gone: after "delete everything" on a running server, nothing of the person's
records is left in the database file, its write-ahead log or its shared-memory index — neither
the plain words (emotion, pattern) nor the encrypted tokens, which the key beside them opens."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.web.mydata.live import start_signed_in, stop

pytestmark = pytest.mark.slow

JOURNAL_WORD = "quokkaparliament"
NOTE_WORD = "zeppelinmarmalade"
EMOTION, FAMILY, PATTERN = "smothered", "disconnection", "push_pull"


def _ciphertexts(db: sqlite3.Connection) -> list[str]:
    rows = db.execute("SELECT body FROM practice_journalentry").fetchall()
    rows += db.execute("SELECT note FROM practice_checkin").fetchall()
    rows += db.execute("SELECT situation, what_i_did, repair FROM practice_triggerlog").fetchall()
    return [token for row in rows for token in row if token]


def _raw_bytes(database: Path) -> dict[str, bytes]:
    files = [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
    return {p.name: p.read_bytes() for p in files if p.exists()}


def test_delete_everything_leaves_nothing_in_the_database_files(tmp_path: Path):
    server = start_signed_in(tmp_path)
    database = tmp_path / "safebase.sqlite3"
    try:
        assert server.post("/practice/journal/", {"body": f"I met a {JOURNAL_WORD}"}).status == 302
        saved = server.post(
            "/practice/checkin/",
            {"emotion": EMOTION, "intensity": "6", "need": "space", "note": NOTE_WORD},
        )
        assert saved.status == 302
        logged = server.post(
            "/practice/triggers/",
            {
                "situation": f"{JOURNAL_WORD} at dinner",
                "pattern": PATTERN,
                "what_i_did": "left the room",
                "repair": "came back and said so",
            },
        )
        assert logged.status == 302
        # A second live connection holds the database open throughout, as a backup or a second
        # server worker would; it reads the ciphertext the deletion must destroy.
        witness = sqlite3.connect(database)
        tokens = _ciphertexts(witness)
        assert len(tokens) == 5
        before = b"".join(_raw_bytes(database).values())
        assert EMOTION.encode() in before and PATTERN.encode() in before
        assert all(t.encode() in before for t in tokens)

        deleted = server.post("/delete/", {"confirm": "DELETE"})
        assert deleted.status == 200, deleted.body  # type: ignore[attr-defined]

        left = _raw_bytes(database)  # the server is still running
        assert database.name in left
        leaks = []
        for name, content in left.items():
            leaks += [
                (name, w)
                for w in (JOURNAL_WORD, NOTE_WORD, EMOTION, FAMILY, PATTERN)
                if w.encode() in content
            ]
            for n, token in enumerate(tokens):
                # The whole token, and any 24-character stretch of it, is gone.
                pieces = [token[i : i + 24] for i in range(0, len(token) - 24, 24)]
                if any(p.encode() in content for p in [token, *pieces]):
                    leaks.append((name, f"ciphertext #{n}"))
        assert leaks == []
        witness.close()
    finally:
        stop(server)


def test_every_sqlite_connection_turns_secure_delete_on(tmp_path: Path):
    """Set by safebase, not inherited from how the system's SQLite was compiled: a connection
    starting with secure_delete off has it on after the settings' init commands."""
    from django.conf import settings

    options = settings.DATABASES["default"].get("OPTIONS", {})
    if "init_command" not in options:
        pytest.skip("PostgreSQL run: no SQLite connection options")
    db = sqlite3.connect(tmp_path / "x.sqlite3")
    db.execute("PRAGMA secure_delete=OFF")
    for statement in options["init_command"].split(";"):
        if statement.strip():
            db.execute(statement)
    assert db.execute("PRAGMA secure_delete").fetchone() == (1,)
    db.close()


def test_delete_person_empties_the_log_once_its_transaction_commits(
    alice, django_capture_on_commit_callbacks
):
    """On PostgreSQL the callback does nothing; on SQLite it is the checkpoint above."""
    from safebase.web.accounts.services import delete_person
    from safebase.web.storage import forget_deleted_pages

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        delete_person(user=alice)
    assert callbacks == [forget_deleted_pages]
