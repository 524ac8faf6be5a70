"""Encryption at rest for free text (journal, notes, records).

Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``) with a key kept *outside* the database:
``SAFEBASE_ENCRYPTION_KEY`` (or ``…_FILE``) when set, else a key file ``fernet.key`` in the data
directory created with 0600 permissions, or — when ``SAFEBASE_PASSPHRASE`` is set — a key derived
from the passphrase with argon2id and a random salt kept beside the database. A copy of the
database file alone therefore reveals none of the text. Several comma-separated keys may be given
(newest first) to rotate keys: MultiFernet decrypts with any and encrypts with the first.
"""

from __future__ import annotations

import base64
import os
from functools import cache

from argon2.low_level import Type, hash_secret_raw
from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from safebase.web.config import data_dir, envsecret, private_file

# argon2id parameters for the passphrase path (RFC 9106's second recommended option).
ARGON2_TIME, ARGON2_MEMORY_KIB, ARGON2_LANES = 3, 64 * 1024, 4


def derive_key(passphrase: str, salt: bytes) -> bytes:
    raw = hash_secret_raw(
        passphrase.encode(),
        salt,
        time_cost=ARGON2_TIME,
        memory_cost=ARGON2_MEMORY_KIB,
        parallelism=ARGON2_LANES,
        hash_len=32,
        type=Type.ID,
    )
    return base64.urlsafe_b64encode(raw)


@cache
def _fernet() -> MultiFernet:
    configured = envsecret("SAFEBASE_ENCRYPTION_KEY")
    if configured:
        keys = [k.strip().encode() for k in configured.split(",") if k.strip()]
    elif os.environ.get("SAFEBASE_PASSPHRASE"):
        salt = private_file("passphrase.salt", lambda: base64.b64encode(os.urandom(16)).decode())
        keys = [derive_key(os.environ["SAFEBASE_PASSPHRASE"], base64.b64decode(salt))]
    else:
        keys = [private_file("fernet.key", lambda: Fernet.generate_key().decode()).encode()]
    return MultiFernet([Fernet(k) for k in keys])


def reset_key_cache() -> None:
    """For tests and key rotation: read the key configuration again."""
    _fernet.cache_clear()


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise ValueError(
            f"cannot decrypt stored text with the key in {data_dir()}: wrong key or passphrase"
        ) from None
