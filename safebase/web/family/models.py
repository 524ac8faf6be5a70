"""Children and the caregiver's own observations of their care.

Minimal data about a child: a first name or nickname (encrypted) and a birth year, nothing else;
no child ever signs in or enters anything. Everything else here is one caregiver's reflection,
owned by that caregiver (``owner``, so the site's owner rule in ``access`` applies unchanged):
a co-caregiver shares the child's name and birth year, never the other's observations.
Free text is encrypted at rest; ratings, dates and minutes stay plain so trends can be counted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from safebase.web.fields import EncryptedJSONField, EncryptedTextField

MAX_NAME = 40


class Child(models.Model):
    """A child in a caregiver's care. ``created_by`` is kept for the record only (set to null
    when that person deletes their account); access follows ``caregivers``."""

    name = EncryptedTextField()
    birth_year = models.PositiveSmallIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="children_added",
    )
    caregivers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="children")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["birth_year", "id"]
        verbose_name_plural = "children"

    def __str__(self) -> str:
        return f"child {self.pk}"


OWNER = {"to": settings.AUTH_USER_MODEL, "on_delete": models.CASCADE}
CHILD = {"to": Child, "on_delete": models.CASCADE}


class FiveConditionsCheck(models.Model):
    """One caregiver's weekly self-check of the five conditions for one child (1-5 each)."""

    owner = models.ForeignKey(**OWNER, related_name="five_conditions_checks")
    child = models.ForeignKey(**CHILD, related_name="five_conditions_checks")
    week = models.DateField(help_text="the Monday of the week the check is about")
    safe = models.PositiveSmallIntegerField()
    seen = models.PositiveSmallIntegerField()
    soothed = models.PositiveSmallIntegerField()
    valued = models.PositiveSmallIntegerField()
    explore = models.PositiveSmallIntegerField()
    note = EncryptedTextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-week"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "child", "week"], name="one_five_conditions_check_per_week"
            )
        ]

    def ratings(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in ("safe", "seen", "soothed", "valued", "explore")}


class SignsObservation(models.Model):
    """Which signs of a secure bond the caregiver noticed, from one age band's checklist."""

    owner = models.ForeignKey(**OWNER, related_name="signs_observations")
    child = models.ForeignKey(**CHILD, related_name="signs_observations")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    age_band = models.CharField(max_length=20)
    noticed = EncryptedJSONField()  # list of sign ids
    note = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["-created_at"]


class AttunedMoment(models.Model):
    """A reflection on one real moment, through the three steps of an attuned response."""

    owner = models.ForeignKey(**OWNER, related_name="attuned_moments")
    child = models.ForeignKey(**CHILD, related_name="attuned_moments")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read = EncryptedTextField(blank=True, default="")
    respond = EncryptedTextField(blank=True, default="")
    received = EncryptedTextField(blank=True, default="")
    next_time = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["-created_at"]


class RuptureRepair(models.Model):
    """A rupture with a child and the repair the caregiver made, with the time it took."""

    owner = models.ForeignKey(**OWNER, related_name="rupture_repairs")
    child = models.ForeignKey(**CHILD, related_name="rupture_repairs")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    happened_on = models.DateField(db_index=True)
    what_happened = EncryptedTextField()
    reconnect = EncryptedTextField()
    minutes_to_repair = models.PositiveIntegerField()

    class Meta:
        ordering = ["-happened_on", "-created_at"]
