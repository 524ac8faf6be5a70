"""Sign-in links for single-person mode, and failed log-ins for throttling."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SignInToken(models.Model):
    """A one-time link printed by ``safebase serve`` (as Jupyter does): only its hash is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)


class FailedLogin(models.Model):
    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)


class Preferences(models.Model):
    """A person's settings. ``time_zone`` empty means the installation's default zone."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences"
    )
    time_zone = models.CharField(max_length=64, blank=True)
    # instrument id -> the reference sample id the person compares their results with (absent:
    # the instrument's default sample).
    reference_samples = models.JSONField(default=dict, blank=True)
