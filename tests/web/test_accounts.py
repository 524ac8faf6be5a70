"""Single-person sign-in links, and the multi-account mode one setting away."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from safebase.web.accounts.services import issue_sign_in_token
from safebase.web.assessments.services import local_owner

pytestmark = pytest.mark.django_db


def test_sign_in_link_works_once():
    token = issue_sign_in_token(user=local_owner())
    c = Client()
    assert c.get("/history/").status_code == 302
    response = c.get(f"/auth/token/{token}/")
    assert response.status_code == 302
    assert c.get("/history/").status_code == 200
    other = Client()
    assert other.get(f"/auth/token/{token}/").status_code == 403
    assert other.get("/history/").status_code == 302


def test_random_token_is_refused():
    issue_sign_in_token(user=local_owner())
    assert Client().get("/auth/token/guess/").status_code == 403


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


def test_signup_login_logout_password_change(multi):
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


def test_login_is_throttled_after_five_failures(multi):
    get_user_model().objects.create_user("erin", password="right passphrase 1")
    c = Client()
    for _ in range(5):
        c.post("/accounts/login/", {"username": "erin", "password": "nope"})
    response = c.post("/accounts/login/", {"username": "erin", "password": "right passphrase 1"})
    assert "Too many failed attempts" in response.content.decode()
    assert c.get("/history/").status_code == 302
