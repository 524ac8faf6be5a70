"""Sign-in services: one-time links, log-in throttling, and removing a person's data."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from safebase.web.accounts.models import FailedLogin, SignInToken
from safebase.web.mydata.storage import forget_deleted_pages

TOKEN_LIFETIME = timedelta(hours=12)
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_sign_in_token(*, user) -> str:
    """A fresh random token for ``user``; the plain token is returned once and never stored."""
    token = secrets.token_urlsafe(32)
    SignInToken.objects.create(
        user=user, token_hash=_hash(token), expires_at=timezone.now() + TOKEN_LIFETIME
    )
    return token


@transaction.atomic
def redeem_sign_in_token(*, token: str):
    """The token's user if the token is valid and unused; it is spent either way."""
    row = SignInToken.objects.select_for_update().filter(token_hash=_hash(token)).first()
    if row is None or row.used_at is not None or row.expires_at < timezone.now():
        return None
    row.used_at = timezone.now()
    row.save(update_fields=["used_at"])
    return row.user


def login_is_throttled(*, username: str, ip: str | None) -> bool:
    since = timezone.now() - FAILURE_WINDOW
    recent = FailedLogin.objects.filter(at__gte=since)
    by_user = recent.filter(username=username.lower()).count()
    by_ip = recent.filter(ip=ip).count() if ip else 0
    return by_user >= MAX_FAILURES or by_ip >= 4 * MAX_FAILURES


def record_failed_login(*, username: str, ip: str | None) -> None:
    FailedLogin.objects.create(username=username.lower(), ip=ip)


def clear_failed_logins(*, username: str) -> None:
    FailedLogin.objects.filter(username=username.lower()).delete()


@transaction.atomic
def delete_person(*, user) -> None:
    """Remove the person and everything of theirs (cascades), including their failed log-ins;
    once that commits, no copy of the deleted rows stays in SQLite's write-ahead log."""
    FailedLogin.objects.filter(username=user.username.lower()).delete()
    get_user_model().objects.filter(pk=user.pk).delete()
    transaction.on_commit(forget_deleted_pages)
