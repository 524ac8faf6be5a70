"""`safebase backup` and `safebase restore` between real installations (data directories with
their own SQLite file and key), each run as its own process."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest

from tests.web.mydata.installs import REPO, SAFEBASE, environment, safebase, world
from tests.web.mydata.live import start_signed_in, stop

pytestmark = pytest.mark.slow


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _holds_nothing(data_dir: Path) -> bool:
    """No key, and a database without a single table: as a new installation is."""
    db = sqlite3.connect(data_dir / "safebase.sqlite3")
    tables = db.execute("SELECT name FROM sqlite_master").fetchall()
    db.close()
    return not (data_dir / "fernet.key").exists() and tables == []


def test_backup_while_writing_restores_a_consistent_snapshot(tmp_path: Path):
    """A thread saves check-ins throughout the backup: the restored copy holds everything saved
    before the backup began, and its check-ins are exactly the first k ever saved — a snapshot of
    one moment, not a mixture."""
    original, copy, archive = tmp_path / "original", tmp_path / "copy", tmp_path / "all.backup"
    made = world(original, "backup-while-writing", str(archive))
    assert made["written_during_backup"] > 0
    assert _mode(archive) == 0o600

    restored = safebase(copy, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "Restored 1 person" in restored.stdout
    back = world(copy, "state")

    before, after = made["before"], made["after"]
    for kind in ("results", "journal", "triggers", "exercises"):
        assert back[kind] == before[kind] == after[kind]
    k = len(back["checkins"])
    assert len(before["checkins"]) <= k <= len(after["checkins"])
    assert back["checkins"] == after["checkins"][:k]
    assert (copy / "fernet.key").read_bytes() == (original / "fernet.key").read_bytes()
    assert _mode(copy / "fernet.key") == _mode(copy / "safebase.sqlite3") == 0o600


def test_restore_into_an_empty_directory_gives_back_every_record_and_the_plan(tmp_path: Path):
    original, copy, archive = tmp_path / "original", tmp_path / "copy", tmp_path / "b.backup"
    state = world(original, "populate")
    assert state["plan"] is not None and len(state["journal"]) == 2
    made = safebase(original, "backup", "--out", str(archive))
    assert made.returncode == 0, made.stderr
    assert f"Backup written to {archive}" in made.stdout
    assert _mode(archive) == 0o600

    assert safebase(copy, "restore", str(archive)).returncode == 0
    assert world(copy, "state") == state

    # Restoring again over the now-filled installation is refused, and changes nothing.
    again = safebase(copy, "restore", str(archive))
    assert again.returncode == 2
    assert again.stderr.strip().splitlines() == [
        f"error: {copy / 'safebase.sqlite3'} already holds 1 person and 10 records; "
        "use --force to replace it"
    ]
    forced = safebase(copy, "restore", "--force", str(archive))
    assert forced.returncode == 0, forced.stderr
    assert world(copy, "state") == state


def test_restore_refuses_while_a_server_has_the_database_open(tmp_path: Path):
    original, copy, archive = tmp_path / "original", tmp_path / "copy", tmp_path / "c.backup"
    world(original, "populate")
    assert safebase(original, "backup", "--out", str(archive)).returncode == 0
    server = start_signed_in(copy)  # signing in creates the local owner: data, in a sense
    try:
        refused = safebase(copy, "restore", "--force", str(archive))
        assert refused.returncode == 2
        assert "is open in another process" in refused.stderr
    finally:
        stop(server)
    assert safebase(copy, "restore", "--force", str(archive)).returncode == 0


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> bytes:
    home = tmp_path_factory.mktemp("original")
    world(home, "populate")
    out = home.parent / "made.backup"
    assert safebase(home, "backup", "--out", str(out)).returncode == 0
    return out.read_bytes()


def _flip(data: bytes, at: int) -> bytes:
    changed = bytearray(data)
    changed[at] ^= 0x20
    return bytes(changed)


DAMAGE = {
    "cut short": (lambda d: d[: len(d) - 1000], "is incomplete (cut short"),
    "cut inside the header": (lambda d: d[:30], "is incomplete: it ends inside its header"),
    "a byte changed in the data": (lambda d: _flip(d, len(d) // 2), "altered or damaged"),
    "a byte changed in the header": (lambda d: _flip(d, 40), ""),
    "extended": (lambda d: d + b"\0" * 5000, "altered"),
    "not a backup": (lambda d: b"SQLite format 3\0" + d[16:], "is not a safebase backup"),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_damaged_backups_are_refused_with_one_line_and_exit_2(damage, archive, tmp_path):
    change, expected = DAMAGE[damage]
    bad = tmp_path / "damaged.backup"
    bad.write_bytes(change(archive))
    target = tmp_path / "target"
    refused = safebase(target, "restore", str(bad))
    assert refused.returncode == 2, refused.stderr
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and expected in lines[0]
    assert _holds_nothing(target)
    assert [p.name for p in target.iterdir() if p.name.startswith(".restore")] == []


def test_a_wrong_passphrase_is_refused_with_one_line_and_exit_2(archive, tmp_path):
    good = tmp_path / "good.backup"
    good.write_bytes(archive)
    target = tmp_path / "target"
    refused = safebase(target, "restore", str(good), SAFEBASE_BACKUP_PASSPHRASE="not the one!")
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        "error: wrong passphrase for good.backup (or its header was altered)"
    ]
    assert _holds_nothing(target)


def test_backup_checks_the_folder_and_the_passphrase_before_starting(tmp_path: Path):
    home = tmp_path / "home"
    world(home, "populate")
    missing = safebase(home, "backup", "--out", str(tmp_path / "no such folder" / "x.backup"))
    assert missing.returncode == 2
    assert (
        missing.stderr.strip()
        == f"error: --out: the folder {tmp_path / 'no such folder'} does not exist"
    )
    short = safebase(
        home, "backup", "--out", str(tmp_path / "x.backup"), SAFEBASE_BACKUP_PASSPHRASE="short"
    )
    assert short.returncode == 2 and "at least 8 characters" in short.stderr
    assert not (tmp_path / "x.backup").exists()
    assert [p for p in tmp_path.iterdir() if "partial" in p.name] == []
    (tmp_path / "kept").write_text("not to be overwritten")
    exists = safebase(home, "backup", "--out", str(tmp_path / "kept"))
    assert exists.returncode == 2 and "use --force" in exists.stderr
    assert (tmp_path / "kept").read_text() == "not to be overwritten"


def test_the_passphrase_is_asked_twice_without_echo(tmp_path: Path):
    home = tmp_path / "home"
    world(home, "populate")
    env = {"SAFEBASE_BACKUP_PASSPHRASE": ""}
    asked = subprocess.run(
        [*SAFEBASE, "backup", "--out", str(tmp_path / "typed.backup")],
        env=environment(home, **env),
        input="typed passphrase 1\ntyped passphrase 1\n",
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        start_new_session=True,  # no controlling terminal: the prompt reads the piped input
    )
    assert asked.returncode == 0, asked.stderr
    assert "typed passphrase 1" not in asked.stdout + asked.stderr
    restored = safebase(
        tmp_path / "copy",
        "restore",
        str(tmp_path / "typed.backup"),
        SAFEBASE_BACKUP_PASSPHRASE="typed passphrase 1",
    )
    assert restored.returncode == 0, restored.stderr
    assert os.path.exists(tmp_path / "copy" / "fernet.key")


def test_a_key_from_the_environment_comes_back_as_a_key_file_to_point_at(tmp_path: Path):
    from cryptography.fernet import Fernet

    keys = f"{Fernet.generate_key().decode()},{Fernet.generate_key().decode()}"
    original, copy, archive = tmp_path / "original", tmp_path / "copy", tmp_path / "e.backup"
    state = world(original, "populate", SAFEBASE_ENCRYPTION_KEY=keys)
    assert not (original / "fernet.key").exists()
    assert (
        safebase(original, "backup", "--out", str(archive), SAFEBASE_ENCRYPTION_KEY=keys).returncode
        == 0
    )

    restored = safebase(copy, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    key_file = copy / "encryption.key"
    assert f"set SAFEBASE_ENCRYPTION_KEY_FILE={key_file}" in restored.stderr
    assert key_file.read_text() == keys and _mode(key_file) == 0o600
    assert world(copy, "state", SAFEBASE_ENCRYPTION_KEY_FILE=str(key_file)) == state


def test_a_passphrase_derived_key_needs_the_same_passphrase_after_restore(tmp_path: Path):
    phrase = "the installation's own passphrase"
    original, copy, archive = tmp_path / "original", tmp_path / "copy", tmp_path / "p.backup"
    state = world(original, "populate", SAFEBASE_PASSPHRASE=phrase)
    made = safebase(original, "backup", "--out", str(archive), SAFEBASE_PASSPHRASE=phrase)
    assert made.returncode == 0, made.stderr

    with_phrase = safebase(copy, "restore", str(archive), SAFEBASE_PASSPHRASE=phrase)
    assert with_phrase.returncode == 0 and with_phrase.stderr.strip() == ""
    assert world(copy, "state", SAFEBASE_PASSPHRASE=phrase) == state

    without = safebase(tmp_path / "other", "restore", str(archive))
    assert without.returncode == 0
    assert "set SAFEBASE_PASSPHRASE" in without.stderr
    assert not (tmp_path / "other" / "fernet.key").exists()  # no stray key made meanwhile


def test_text_that_does_not_decrypt_after_restore_is_an_error(tmp_path: Path):
    from cryptography.fernet import Fernet

    original, copy, archive = tmp_path / "original", tmp_path / "copy", tmp_path / "k.backup"
    world(original, "populate")
    assert safebase(original, "backup", "--out", str(archive)).returncode == 0
    other_key = Fernet.generate_key().decode()
    restored = safebase(copy, "restore", str(archive), SAFEBASE_ENCRYPTION_KEY=other_key)
    assert restored.returncode == 2
    assert "does not decrypt with this installation's key settings" in restored.stderr
