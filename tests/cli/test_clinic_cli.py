"""``safebase clinic add-therapist``: creates a therapist who can log in; bad input exits 2 with
one line."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate

from safebase.web.clinic import roles
from tests.cli.helpers import run


@pytest.fixture()
def multi_user(settings):
    settings.MULTI_USER = True


@pytest.mark.django_db(transaction=True)
def test_add_therapist_creates_an_account_that_can_log_in(multi_user, capsys):
    assert run(["clinic", "add-therapist", "Tess@Example.org"]) == 0
    out = capsys.readouterr().out
    password = out.rsplit(": ", 1)[1].strip()
    user = authenticate(username="tess@example.org", password=password)
    assert user is not None and roles.is_therapist(user) and not roles.is_practice_owner(user)
    assert run(["clinic", "add-therapist", "polly@example.org", "--practice-owner"]) == 0
    assert roles.is_practice_owner(roles.therapists().get(username="polly@example.org"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["clinic", "add-therapist", "not-an-email"], "not an email address"),
        (["clinic", "add-therapist", "tess@example.org"], "already exists"),
    ],
)
def test_bad_input_exits_2_with_one_line(multi_user, capsys, argv, message):
    roles.add_therapist("tess@example.org")
    assert run(argv) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err


@pytest.mark.django_db(transaction=True)
def test_single_person_mode_says_what_to_set(settings, capsys):
    settings.MULTI_USER = False
    assert run(["clinic", "add-therapist", "tess@example.org"]) == 2
    assert "SAFEBASE_MULTI_USER=1" in capsys.readouterr().err
