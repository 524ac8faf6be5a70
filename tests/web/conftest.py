"""Personas for privacy tests: alice owns data; bob is her partner once ``linked`` links them
(he sees only what she shares, while linked); charlie is another account and must see nothing
of hers.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from safebase.web.assessments import services

ECR_S_ANSWERS = {str(n): 5 for n in range(1, 13)}


@pytest.fixture()
def alice(db):
    return get_user_model().objects.create_user("alice", password="a-long-passphrase-1")


@pytest.fixture()
def bob(db):
    return get_user_model().objects.create_user("bob", password="b-long-passphrase-2")


@pytest.fixture()
def linked(alice, bob):
    """alice and bob linked as partners, by invitation and acceptance as in the app."""
    from safebase.web.relationships import services as relationships

    relationships.accept(bob, relationships.invite(alice).code)
    return alice, bob


@pytest.fixture()
def as_bob(bob) -> Client:
    c = Client()
    c.force_login(bob)
    return c


@pytest.fixture()
def charlie(db):
    return get_user_model().objects.create_user("charlie", password="c-long-passphrase-3")


@pytest.fixture()
def alice_result(alice):
    return services.record_assessment(owner=alice, instrument_id="ecr-s", answers=ECR_S_ANSWERS)


@pytest.fixture()
def as_alice(alice) -> Client:
    c = Client()
    c.force_login(alice)
    return c


@pytest.fixture()
def as_charlie(charlie) -> Client:
    c = Client()
    c.force_login(charlie)
    return c
