"""Single-person sign-in links, and the multi-account mode one setting away."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from safebase.web import settings as production_settings
from safebase.web.accounts import services
from safebase.web.accounts.services import issue_sign_in_token
from safebase.web.assessments.services import local_owner

pytestmark = pytest.mark.django_db


def test_sign_in_link_works_once_and_only_its_post_spends_it():
    token = issue_sign_in_token(user=local_owner())
    c = Client()
    assert c.get("/history/").status_code == 302
    # A link previewer (GET, HEAD) sees a button and spends nothing.
    assert c.head(f"/auth/token/{token}/").status_code == 200
    shown = c.get(f"/auth/token/{token}/")
    assert shown.status_code == 200 and b">Sign in</button>" in shown.content
    assert c.get("/history/").status_code == 302
    response = c.post(f"/auth/token/{token}/")
    assert response.status_code == 302
    assert c.get("/history/").status_code == 200
    other = Client()
    assert other.get(f"/auth/token/{token}/").status_code == 403
    assert other.post(f"/auth/token/{token}/").status_code == 403
    assert other.get("/history/").status_code == 302


def test_a_new_link_invalidates_older_unused_ones():
    old = issue_sign_in_token(user=local_owner())
    new = issue_sign_in_token(user=local_owner())
    assert Client().post(f"/auth/token/{old}/").status_code == 403
    assert Client().post(f"/auth/token/{new}/").status_code == 302


def test_sign_in_link_post_needs_csrf():
    token = issue_sign_in_token(user=local_owner())
    c = Client(enforce_csrf_checks=True)
    assert c.post(f"/auth/token/{token}/").status_code == 403
    c.get(f"/auth/token/{token}/")
    response = c.post(
        f"/auth/token/{token}/", {"csrfmiddlewaretoken": c.cookies["csrftoken"].value}
    )
    assert response.status_code == 302


def test_random_token_is_refused():
    issue_sign_in_token(user=local_owner())
    assert Client().get("/auth/token/guess/").status_code == 403
    assert Client().post("/auth/token/guess/").status_code == 403


def test_only_a_hash_of_the_token_is_stored():
    from safebase.web.accounts.models import SignInToken

    token = issue_sign_in_token(user=local_owner())
    row = SignInToken.objects.get()
    assert token not in row.token_hash and len(row.token_hash) == 64


def test_single_person_mode_has_no_login_or_signup():
    assert Client().get("/accounts/login/").status_code == 404
    assert Client().get("/accounts/signup/").status_code == 404


@pytest.fixture()
def multi(settings):
    settings.MULTI_USER = True
    settings.LOGIN_URL = "login"
    return settings


def test_signup_login_logout_password_change(multi, settings):
    # The production hashers (the suite puts a cheap one first: tests/conftest.py).
    settings.PASSWORD_HASHERS = production_settings.PASSWORD_HASHERS
    c = Client()
    response = c.post(
        "/accounts/signup/",
        {
            "username": "dana",
            "password1": "correct horse battery",
            "password2": "correct horse battery",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="dana")
    assert user.password.startswith("argon2$")
    assert c.get("/history/").status_code == 200
    c.post("/accounts/logout/")
    assert c.get("/history/").status_code == 302
    assert c.post("/accounts/login/", {"username": "dana", "password": "wrong"}).status_code == 200
    assert c.get("/history/").status_code == 302
    c.post("/accounts/login/", {"username": "dana", "password": "correct horse battery"})
    assert c.get("/history/").status_code == 200
    response = c.post(
        "/accounts/password/",
        {
            "old_password": "correct horse battery",
            "new_password1": "another long phrase 9",
            "new_password2": "another long phrase 9",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another long phrase 9")


def _fail(c: Client, username: str, times: int, **extra) -> None:
    for _ in range(times):
        c.post("/accounts/login/", {"username": username, "password": "nope"}, **extra)


def test_failures_bring_a_growing_delay_never_a_lock(multi, time_machine):
    get_user_model().objects.create_user("erin", password="right passphrase 1")
    time_machine.move_to("2026-11-29 12:00:00+00:00", tick=False)
    c = Client()
    _fail(c, "erin", 3)  # three free failures
    _fail(c, "erin", 1)  # the fourth asks for 1 s
    response = c.post("/accounts/login/", {"username": "erin", "password": "right passphrase 1"})
    assert "Please wait 1 second and try again" in response.content.decode()
    assert c.get("/history/").status_code == 302
    time_machine.shift(2)
    _fail(c, "erin", 1)  # the fifth asks for 2 s, the sixth would ask for 4 s
    time_machine.shift(3)
    _fail(c, "erin", 1)
    response = c.post("/accounts/login/", {"username": "erin", "password": "right passphrase 1"})
    assert "Please wait 4 seconds" in response.content.decode()
    # The delay is capped: after many failures the right password still works after a wait.
    for _ in range(20):
        time_machine.shift(services.MAX_DELAY.total_seconds() + 1)
        _fail(c, "erin", 1)
    time_machine.shift(services.MAX_DELAY.total_seconds() + 1)
    c.post("/accounts/login/", {"username": "erin", "password": "right passphrase 1"})
    assert c.get("/history/").status_code == 200


def test_one_address_failing_does_not_slow_other_addresses(multi, time_machine, settings):
    settings.SAFEBASE_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    time_machine.move_to("2026-11-29 12:00:00+00:00", tick=False)
    get_user_model().objects.create_user("frank", password="right passphrase 2")
    attacker = Client(HTTP_X_FORWARDED_FOR="203.0.113.9")
    for n in range(15):
        _fail(attacker, f"user{n}", 1)
        time_machine.shift(1)
    blocked = attacker.post("/accounts/login/", {"username": "frank", "password": "x"})
    assert "Please wait" in blocked.content.decode()
    # Another person behind the same proxy, from another address, signs in at once.
    friend = Client(HTTP_X_FORWARDED_FOR="198.51.100.7")
    friend.post("/accounts/login/", {"username": "frank", "password": "right passphrase 2"})
    assert friend.get("/history/").status_code == 200


def test_the_client_address_comes_only_from_the_configured_header(rf, settings):
    from safebase.web.client import client_address

    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.0.0.9", REMOTE_ADDR="10.0.0.1")
    settings.SAFEBASE_TRUSTED_PROXY_HEADER = ""
    assert client_address(request) == "10.0.0.1"  # a client-set header is ignored
    settings.SAFEBASE_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    assert client_address(request) == "10.0.0.9"  # the address the trusted proxy appended
    request = rf.get("/", HTTP_X_FORWARDED_FOR="not-an-address", REMOTE_ADDR="10.0.0.1")
    assert client_address(request) is None


def test_old_failure_rows_are_pruned(multi, time_machine):
    from safebase.web.accounts.models import FailedLogin

    time_machine.move_to("2026-11-01 12:00:00+00:00", tick=False)
    _fail(Client(), "gina", 2)
    time_machine.move_to("2026-11-03 12:00:00+00:00", tick=False)
    _fail(Client(), "gina", 1)
    assert FailedLogin.objects.count() == 1
