"""Sign-in services: one-time links, a growing delay after failed log-ins, removing a person."""

from __future__ import annotations

import hashlib
import math
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from safebase.web.accounts.models import FailedLogin, Preferences, SignInToken
from safebase.web.storage import forget_deleted_pages

TOKEN_LIFETIME = timedelta(hours=12)

# Failed log-ins slow further attempts down with a delay that doubles per failure, for the
# account and for the client address separately. It is never a lock: after the delay the right
# password works, so an attacker cannot keep a person out, only wait longer between guesses.
FREE_FAILURES = {"account": 3, "address": 10}
MAX_DELAY = timedelta(minutes=2)
FAILURE_WINDOW = timedelta(minutes=15)
KEEP_FAILURES = timedelta(days=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_sign_in_token(*, user) -> str:
    """A fresh random token for ``user``; the plain token is returned once and never stored.

    Older unused links of the same person stop working: only the newest printed link counts."""
    now = timezone.now()
    SignInToken.objects.filter(user=user, used_at__isnull=True).update(expires_at=now)
    token = secrets.token_urlsafe(32)
    SignInToken.objects.create(user=user, token_hash=_hash(token), expires_at=now + TOKEN_LIFETIME)
    return token


def sign_in_token_is_valid(*, token: str) -> bool:
    """Whether the link may still be used; looking does not spend it (a link previewer's GET or
    HEAD must not)."""
    return SignInToken.objects.filter(
        token_hash=_hash(token), used_at__isnull=True, expires_at__gt=timezone.now()
    ).exists()


@transaction.atomic
def redeem_sign_in_token(*, token: str):
    """The token's user if the token is valid and unused; it is spent either way."""
    row = SignInToken.objects.select_for_update().filter(token_hash=_hash(token)).first()
    if row is None or row.used_at is not None or row.expires_at <= timezone.now():
        return None
    row.used_at = timezone.now()
    row.save(update_fields=["used_at"])
    return row.user


def _delay_after(failures: int, free: int) -> timedelta:
    if failures < free:
        return timedelta(0)
    return min(timedelta(seconds=2 ** (failures - free)), MAX_DELAY)


def login_wait(*, username: str, ip: str | None) -> int:
    """Seconds to wait before the next attempt for this account or address (0: go ahead)."""
    now = timezone.now()
    recent = FailedLogin.objects.filter(at__gte=now - FAILURE_WINDOW)
    waits = [0.0]
    for kind, rows in (
        ("account", recent.filter(username=username.lower())),
        ("address", recent.filter(ip=ip) if ip else recent.none()),
    ):
        count = rows.count()
        last = rows.order_by("-at").values_list("at", flat=True).first()
        if last is not None:
            until = last + _delay_after(count, FREE_FAILURES[kind])
            waits.append((until - now).total_seconds())
    return max(0, math.ceil(max(waits)))


def record_failed_login(*, username: str, ip: str | None) -> None:
    now = timezone.now()
    FailedLogin.objects.filter(at__lt=now - KEEP_FAILURES).delete()
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


def time_zone_of(user) -> str:
    """The person's chosen zone, or '' for the installation's default."""
    prefs = Preferences.objects.filter(user=user).values_list("time_zone", flat=True).first()
    return prefs or ""


def set_time_zone(*, user, name: str) -> None:
    Preferences.objects.update_or_create(user=user, defaults={"time_zone": name})


def chosen_reference_samples(user) -> dict[str, str]:
    """instrument id -> reference sample id the person chose (absent: the default)."""
    found = Preferences.objects.filter(user=user).values_list("reference_samples", flat=True)
    return dict(found.first() or {})


def choose_reference_samples(*, user, choices: dict[str, str]) -> None:
    Preferences.objects.update_or_create(user=user, defaults={"reference_samples": choices})
