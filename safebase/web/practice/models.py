"""Daily practice: check-ins, journal, trigger and setback log, exercise records.

Every free-text field is encrypted at rest; chosen words (emotion, need) and numbers stay plain
so the weekly summary can count them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from safebase.web.fields import EncryptedJSONField, EncryptedTextField

OWNER = {"to": settings.AUTH_USER_MODEL, "on_delete": models.CASCADE}


class CheckIn(models.Model):
    owner = models.ForeignKey(**OWNER, related_name="checkins")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    emotion = models.CharField(max_length=40)
    family = models.CharField(max_length=40)
    intensity = models.PositiveSmallIntegerField()
    need = models.CharField(max_length=40)
    note = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["-created_at"]


class JournalEntry(models.Model):
    owner = models.ForeignKey(**OWNER, related_name="journal_entries")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    body = EncryptedTextField()

    class Meta:
        ordering = ["-created_at"]


class TriggerLog(models.Model):
    """A trigger or setback: situation, the pattern it set off, what I did, the repair made."""

    class Pattern(models.TextChoices):
        PROTEST = "protest", "Anxious protest (chasing, checking, demanding reassurance)"
        WITHDRAWAL = "withdrawal", "Avoidant withdrawal (shutting down, distancing)"
        PUSH_PULL = "push_pull", "Push–pull (wanting closeness and fleeing it)"
        OTHER = "other", "Something else"

    owner = models.ForeignKey(**OWNER, related_name="trigger_logs")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    situation = EncryptedTextField()
    pattern = models.CharField(max_length=20, choices=Pattern.choices)
    what_i_did = EncryptedTextField(blank=True, default="")
    repair = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["-created_at"]


class ExerciseRecord(models.Model):
    owner = models.ForeignKey(**OWNER, related_name="exercise_records")
    exercise_id = models.CharField(max_length=60, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    data = EncryptedJSONField()

    class Meta:
        ordering = ["-created_at"]


class PlanBasis(models.Model):
    """The result the person chose to base their plan on (default: the latest dimensional one).

    Deleting that result removes the choice, and the plan follows the latest again."""

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    assessment = models.ForeignKey("assessments.Assessment", on_delete=models.CASCADE)
