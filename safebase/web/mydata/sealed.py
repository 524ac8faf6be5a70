"""A passphrase-sealed file of named entries: the format of safebase backups. Pure Python over
``cryptography`` and ``argon2-cffi``; nothing here knows about Django.

Layout (integers big-endian)::

    MAGIC | header length (4) | header (JSON: cipher, argon2id salt and cost, nonce prefix,
    block size, and anything the caller adds — readable without the passphrase)
    check block: AES-256-GCM of no bytes — a wrong passphrase fails here, before any work
    data blocks: length (4) + AES-256-GCM of up to ``block`` plaintext bytes (+16-byte tag); the
    last, marked as last in its nonce, may be short or empty

The key is argon2id(passphrase, salt) with the cost stored in the header, so backups made with
stronger settings later still open. Every block authenticates the whole header as associated
data, and its nonce is the header's 7-byte random prefix, a 4-byte block counter and a last-block
flag (the STREAM construction: Hoang, Reyhanitabar, Rogaway & Vizár, "Online Authenticated-
Encryption and its Nonce-Reuse Misuse-Resistance", CRYPTO 2015). So a block cannot be altered,
dropped, reordered or cut off unnoticed, and nothing unauthenticated is handed to the caller. The
length before each block (itself covered by the tag, which fails on any other split) lets a file
that is merely cut short be told from one that was changed.

The plaintext is a sequence of entries: name length (2), name (UTF-8), then the data as pieces of
length (4) + bytes, ended by an empty piece; an empty name ends the sequence.
"""

from __future__ import annotations

import base64
import json
import os
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from safebase.core.errors import SafebaseError
from safebase.web.crypto import ARGON2_LANES, ARGON2_MEMORY_KIB, ARGON2_TIME

MAGIC = b"SAFEBASE-BACKUP\n"
FORMAT = 1
BLOCK = 1 << 20
TAG = 16
MAX_HEADER = 4096
MAX_PIECE = 1 << 24
# A stored cost above these is refused rather than run: a forged header must not make the
# reader allocate gigabytes or spin for minutes before the passphrase is even checked.
LIMITS = {"time_cost": 16, "memory_kib": 1 << 20, "parallelism": 16, "block": 1 << 24}

Progress = Callable[[int], None]


class BackupError(SafebaseError):
    """A backup cannot be written or read; the message is one line a person can act on."""


def _key(passphrase: str, kdf: dict) -> bytes:
    return hash_secret_raw(
        unicodedata.normalize("NFC", passphrase).encode("utf-8"),
        base64.b64decode(kdf["salt"]),
        time_cost=kdf["time_cost"],
        memory_cost=kdf["memory_kib"],
        parallelism=kdf["parallelism"],
        hash_len=32,
        type=Type.ID,
    )


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + counter.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


class SealedWriter:
    """Encrypts what is written to it, block by block, into ``out``; ``close`` seals the end."""

    def __init__(self, out: BinaryIO, passphrase: str, meta: dict, block: int = BLOCK) -> None:
        kdf = {
            "name": "argon2id",
            "salt": base64.b64encode(os.urandom(16)).decode(),
            "time_cost": ARGON2_TIME,
            "memory_kib": ARGON2_MEMORY_KIB,
            "parallelism": ARGON2_LANES,
        }
        self._prefix = os.urandom(7)
        header = {
            "format": FORMAT,
            "cipher": "AES-256-GCM",
            "kdf": kdf,
            "nonce_prefix": base64.b64encode(self._prefix).decode(),
            "block": block,
            **meta,
        }
        raw = json.dumps(header, sort_keys=True).encode()
        self._header = MAGIC + len(raw).to_bytes(4, "big") + raw
        self._aead = AESGCM(_key(passphrase, kdf))
        self._out, self._block = out, block
        self._buffer = bytearray()
        self._counter = 1
        self.written = 0
        self._emit(self._header)
        self._emit(self._aead.encrypt(_nonce(self._prefix, 0, False), b"", self._header))

    def _emit(self, data: bytes) -> None:
        self._out.write(data)
        self.written += len(data)

    def _seal(self, plain: bytes, last: bool) -> None:
        nonce = _nonce(self._prefix, self._counter, last)
        sealed = self._aead.encrypt(nonce, bytes(plain), self._header)
        self._emit(len(sealed).to_bytes(4, "big") + sealed)
        self._counter += 1

    def write(self, data: bytes) -> None:
        self._buffer += data
        # Strictly more than a block: the last block is written by close(), marked as last.
        while len(self._buffer) > self._block:
            self._seal(self._buffer[: self._block], last=False)
            del self._buffer[: self._block]

    def write_entry(self, name: str, pieces: Iterable[bytes]) -> None:
        encoded = name.encode()
        self.write(len(encoded).to_bytes(2, "big") + encoded)
        for piece in pieces:
            for start in range(0, len(piece), MAX_PIECE):
                part = piece[start : start + MAX_PIECE]
                self.write(len(part).to_bytes(4, "big"))
                self.write(part)
        self.write(b"\0\0\0\0")

    def close(self) -> None:
        self.write(b"\0\0")  # no more entries
        self._seal(self._buffer, last=True)
        self._buffer.clear()


def _read_exact(source: BinaryIO, n: int) -> bytes:
    parts, left = [], n
    while left:
        part = source.read(left)
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def _header(source: BinaryIO, name: str) -> tuple[bytes, dict]:
    magic = _read_exact(source, len(MAGIC))
    if magic != MAGIC:
        raise BackupError(f"{name} is not a safebase backup")
    length = _read_exact(source, 4)
    if len(length) < 4:
        raise BackupError(f"{name} is incomplete: it ends inside its header")
    size = int.from_bytes(length, "big")
    if size > MAX_HEADER:
        raise BackupError(f"{name} is not a safebase backup (its header is damaged)")
    raw = _read_exact(source, size)
    if len(raw) < size:
        raise BackupError(f"{name} is incomplete: it ends inside its header")

    def bounded(value: object, limit: int) -> bool:
        return type(value) is int and 1 <= value <= limit

    try:
        header = json.loads(raw)
        kdf = header["kdf"]
        supported = (
            header["format"] == FORMAT
            and header["cipher"] == "AES-256-GCM"
            and kdf["name"] == "argon2id"
            and len(base64.b64decode(kdf["salt"], validate=True)) >= 16
            and len(base64.b64decode(header["nonce_prefix"], validate=True)) == 7
            and all(bounded(kdf[k], LIMITS[k]) for k in ("time_cost", "memory_kib", "parallelism"))
            and bounded(header["block"], LIMITS["block"])
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        supported = False
    if not supported:
        raise BackupError(f"{name}: unsupported or damaged backup header")
    return MAGIC + size.to_bytes(4, "big") + raw, header


def open_sealed(
    source: BinaryIO, passphrase: str, *, name: str, progress: Progress | None = None
) -> tuple[dict, Iterator[bytes]]:
    """The header and an iterator of authenticated plaintext blocks. The passphrase is checked at
    once; a damaged, altered or cut-short file raises BackupError while iterating, before the
    block concerned (or anything after it) is returned."""
    aad, header = _header(source, name)
    aead = AESGCM(_key(passphrase, header["kdf"]))
    prefix = base64.b64decode(header["nonce_prefix"])
    check = _read_exact(source, TAG)
    if len(check) < TAG:
        raise BackupError(f"{name} is incomplete: it ends after its header")
    try:
        aead.decrypt(_nonce(prefix, 0, False), check, aad)
    except InvalidTag:
        raise BackupError(f"wrong passphrase for {name} (or its header was altered)") from None
    largest = header["block"] + TAG

    def blocks() -> Iterator[bytes]:
        consumed, counter = len(aad) + TAG, 1
        while True:
            length = _read_exact(source, 4)
            if len(length) < 4:
                raise BackupError(f"{name} is incomplete (cut short after {consumed} bytes)")
            size = int.from_bytes(length, "big")
            if not TAG <= size <= largest:
                raise BackupError(f"{name} has been altered or damaged (at block {counter})")
            data = _read_exact(source, size)
            if len(data) < size:
                raise BackupError(f"{name} is incomplete (cut short inside block {counter})")
            last = False
            try:
                plain = aead.decrypt(_nonce(prefix, counter, False), data, aad)
            except InvalidTag:
                try:
                    plain = aead.decrypt(_nonce(prefix, counter, True), data, aad)
                    last = True
                except InvalidTag:
                    raise BackupError(
                        f"{name} has been altered or damaged (block {counter} fails its check)"
                    ) from None
            consumed += 4 + size
            if progress:
                progress(consumed)
            yield plain
            if last:
                if source.read(1):
                    raise BackupError(f"{name} has been altered: data follows its last block")
                return
            counter += 1

    return header, blocks()


class _Plain:
    """Reads exact byte counts across block boundaries."""

    def __init__(self, blocks: Iterator[bytes], name: str) -> None:
        self._blocks, self._name = blocks, name
        self._buffer = bytearray()

    def read(self, n: int) -> bytes:
        while len(self._buffer) < n:
            block = next(self._blocks, None)
            if block is None:
                raise BackupError(f"{self._name} is damaged: its contents end unexpectedly")
            self._buffer += block
        out = bytes(self._buffer[:n])
        del self._buffer[:n]
        return out

    def at_end(self) -> bool:
        return not self._buffer and next(self._blocks, None) is None


def read_entries(blocks: Iterator[bytes], *, name: str) -> Iterator[tuple[str, Iterator[bytes]]]:
    """(entry name, its pieces) in order; each entry's pieces must be consumed before the next."""
    plain = _Plain(blocks, name)
    while True:
        length = int.from_bytes(plain.read(2), "big")
        if length == 0:
            if not plain.at_end():
                raise BackupError(f"{name} is damaged: data follows its last entry")
            return

        def pieces() -> Iterator[bytes]:
            while size := int.from_bytes(plain.read(4), "big"):
                if size > MAX_PIECE:
                    raise BackupError(f"{name} is damaged: an entry is malformed")
                yield plain.read(size)

        entry = plain.read(length).decode("utf-8", errors="replace")
        yield entry, pieces()
