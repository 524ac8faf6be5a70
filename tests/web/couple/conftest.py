"""Personas for the couple tests: alice and bob linked, charlie unrelated (tests/web/conftest.py).

TEMPORARY shim until the relationships app lands on main: a fake partner registry."""

from __future__ import annotations

import sys
import types

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

LINKS: dict[int, object] = {}

try:
    import safebase.web.relationships.services  # noqa: F401
except ImportError:
    fake = types.ModuleType("safebase.web.relationships.services")
    fake.partner_of = lambda user: LINKS.get(user.pk)  # type: ignore[attr-defined]
    fake.is_shared = lambda obj: True  # type: ignore[attr-defined]
    pkg = types.ModuleType("safebase.web.relationships")
    pkg.services = fake  # type: ignore[attr-defined]
    sys.modules["safebase.web.relationships"] = pkg
    sys.modules["safebase.web.relationships.services"] = fake


@pytest.fixture()
def bob(db):
    return get_user_model().objects.create_user("bob", password="b-long-passphrase-2")


@pytest.fixture()
def linked(alice, bob):
    LINKS[alice.pk], LINKS[bob.pk] = bob, alice
    yield
    LINKS.clear()


@pytest.fixture()
def unlink():
    def do(user) -> None:
        LINKS.clear()

    return do


@pytest.fixture()
def as_bob(bob) -> Client:
    c = Client()
    c.force_login(bob)
    return c
