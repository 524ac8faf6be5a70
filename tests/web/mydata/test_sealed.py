"""The sealed-file format under every kind of damage: each changed byte, each cut-off length,
dropped, swapped and extra blocks and a wrong passphrase are refused with one line, and nothing
unauthenticated is handed out. Small blocks and a cheap argon2 cost keep it fast."""

from __future__ import annotations

import io
import os

import pytest

from safebase.web.mydata import sealed
from safebase.web.mydata.sealed import BackupError, SealedWriter, open_sealed, read_entries

PASSPHRASE = "a long backup passphrase"
BLOCK = 32
STEP = 4 + BLOCK + 16  # length, ciphertext, tag


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch):
    monkeypatch.setattr(sealed, "ARGON2_TIME", 1)
    monkeypatch.setattr(sealed, "ARGON2_MEMORY_KIB", 64)
    monkeypatch.setattr(sealed, "ARGON2_LANES", 1)


ENTRIES = {"manifest.json": [b'{"format": 1}'], "database": [os.urandom(100), b"", b"tail"]}


def _seal(entries=ENTRIES, passphrase=PASSPHRASE) -> bytes:
    out = io.BytesIO()
    writer = SealedWriter(out, passphrase, {"note": "caller's"}, block=BLOCK)
    for name, pieces in entries.items():
        writer.write_entry(name, pieces)
    writer.close()
    assert writer.written == len(out.getvalue())
    return out.getvalue()


def _open(data: bytes, passphrase=PASSPHRASE) -> dict[str, bytes]:
    header, blocks = open_sealed(io.BytesIO(data), passphrase, name="x.backup")
    assert header["note"] == "caller's"
    return {name: b"".join(pieces) for name, pieces in read_entries(blocks, name="x.backup")}


def _refused(data: bytes, passphrase=PASSPHRASE) -> str:
    with pytest.raises(BackupError) as info:
        _open(data, passphrase)
    message = str(info.value)
    assert "\n" not in message and "x.backup" in message
    return message


def test_round_trip_across_many_blocks():
    data = _seal()
    assert _open(data) == {name: b"".join(p) for name, p in ENTRIES.items()}
    assert ENTRIES["database"][0] not in data


def test_an_empty_entry_and_an_exact_multiple_of_the_block_size_round_trip():
    for size in (0, BLOCK, 3 * BLOCK, 3 * BLOCK - 6):
        entries = {"e": [b"z" * size]}
        assert _open(_seal(entries)) == {"e": b"z" * size}


def test_a_wrong_passphrase_is_named_as_such():
    assert "wrong passphrase" in _refused(_seal(), "another passphrase")


def test_every_changed_byte_is_refused():
    data = _seal()
    start = _blocks_start(data)
    for i in range(len(data)):
        changed = bytearray(data)
        changed[i] ^= 0x01
        message = _refused(bytes(changed))
        if i >= start and (i - start) % STEP >= 4:  # inside a block, not its length
            assert "altered or damaged" in message, (i, message)


def test_every_cut_off_length_is_refused_as_incomplete():
    data = _seal()
    for length in range(len(data)):
        message = _refused(data[:length])
        expected = "incomplete" if length >= len(sealed.MAGIC) else "not a safebase backup"
        assert expected in message, (length, message)


def _blocks_start(data: bytes) -> int:
    """Where the data blocks begin: after the magic, the header and the check block."""
    return len(sealed.MAGIC) + 4 + int.from_bytes(data[16:20], "big") + sealed.TAG


def test_a_cut_at_a_block_boundary_is_called_incomplete():
    data = _seal()
    boundary = _blocks_start(data) + 2 * STEP
    assert boundary < len(data)
    assert "incomplete" in _refused(data[:boundary])


def test_dropped_swapped_and_extra_blocks_are_refused():
    data = _seal()
    start = _blocks_start(data)
    step = STEP
    blocks = [data[i : i + step] for i in range(start, len(data), step)]
    head = data[:start]
    assert len(blocks) > 3
    dropped = head + b"".join(blocks[:1] + blocks[2:])
    swapped = head + b"".join([blocks[1], blocks[0], *blocks[2:]])
    extended = data + blocks[0]
    for damaged in (dropped, swapped):
        assert "altered or damaged" in _refused(damaged)
    assert "altered" in _refused(extended)


def test_another_files_blocks_do_not_fit():
    one, other = _seal(), _seal()
    # Same passphrase and contents, but another salt, key and nonce prefix.
    start = _blocks_start(one)
    assert "altered or damaged" in _refused(one[:start] + other[start:])


def test_not_a_backup_and_absurd_costs_are_refused_before_any_work():
    assert "not a safebase backup" in _refused(b"PK\x03\x04 a zip file")
    data = bytearray(_seal())
    size = int.from_bytes(data[16:20], "big")
    forged = bytes(data[20 : 20 + size]).replace(b'"memory_kib": 64', b'"memory_kib": 99999999')
    forged_file = bytes(data[:16]) + len(forged).to_bytes(4, "big") + forged
    assert "unsupported or damaged backup header" in _refused(forged_file)
