"""Encryption keys live outside the database: a 0600 key file, an environment key, or a key
derived from a passphrase with argon2id. Stored text cannot be read with another key."""

from __future__ import annotations

import base64
import os
import stat

import pytest
from cryptography.fernet import Fernet

from safebase.web import crypto


@pytest.fixture()
def fresh_keys(tmp_path, monkeypatch):
    monkeypatch.setenv("SAFEBASE_DATA_DIR", str(tmp_path))
    for name in ("SAFEBASE_ENCRYPTION_KEY", "SAFEBASE_ENCRYPTION_KEY_FILE", "SAFEBASE_PASSPHRASE"):
        monkeypatch.delenv(name, raising=False)
    crypto.reset_key_cache()
    yield tmp_path
    crypto.reset_key_cache()


def test_key_file_is_created_private_and_round_trips(fresh_keys):
    token = crypto.encrypt("a secret about my mother")
    key_file = fresh_keys / "fernet.key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert "mother" not in token
    assert crypto.decrypt(token) == "a secret about my mother"
    # The key is a real Fernet key, and the token is not readable with any other key.
    Fernet(key_file.read_bytes())
    crypto.reset_key_cache()
    key_file.write_text(Fernet.generate_key().decode())
    with pytest.raises(ValueError, match="wrong key or passphrase"):
        crypto.decrypt(token)


def test_passphrase_derives_a_stable_key_with_argon2id(fresh_keys, monkeypatch):
    monkeypatch.setenv("SAFEBASE_PASSPHRASE", "correct horse battery staple")
    crypto.reset_key_cache()
    token = crypto.encrypt("entry")
    assert not (fresh_keys / "fernet.key").exists()
    salt = base64.b64decode((fresh_keys / "passphrase.salt").read_text())
    assert len(salt) == 16
    key = crypto.derive_key("correct horse battery staple", salt)
    assert Fernet(key).decrypt(token.encode()) == b"entry"
    monkeypatch.setenv("SAFEBASE_PASSPHRASE", "wrong phrase")
    crypto.reset_key_cache()
    with pytest.raises(ValueError):
        crypto.decrypt(token)


def test_environment_keys_rotate(fresh_keys, monkeypatch):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("SAFEBASE_ENCRYPTION_KEY", old)
    crypto.reset_key_cache()
    token = crypto.encrypt("kept across rotation")
    monkeypatch.setenv("SAFEBASE_ENCRYPTION_KEY", f"{new},{old}")
    crypto.reset_key_cache()
    assert crypto.decrypt(token) == "kept across rotation"
    assert Fernet(new.encode()).decrypt(crypto.encrypt("x").encode()) == b"x"
