"""Clinic personas: tess (a therapist), otto (another therapist), polly (the practice owner);
alice is tess's client once ``consented`` links them, by invitation as in the app; nora is a
no-login client of tess's."""

from __future__ import annotations

import pytest
from django.test import Client

from safebase.web.clinic import roles, services


@pytest.fixture()
def tess(db):
    return roles.add_therapist("tess@example.org")[0]


@pytest.fixture()
def otto(db):
    return roles.add_therapist("otto@example.org")[0]


@pytest.fixture()
def polly(db):
    return roles.add_therapist("polly@example.org", practice_owner=True)[0]


@pytest.fixture()
def consented(alice, tess):
    """alice joined tess by an invitation link; nothing shared yet."""
    return services.accept_invitation(alice, services.invite_client(tess).token)


@pytest.fixture()
def nora(tess):
    """A no-login client record of tess's."""
    return services.add_no_login_client(tess, name="Nora P.")


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c
