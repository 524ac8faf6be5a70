"""Joint records of two linked partners, and each person's own part in them.

A joint record (``Ritual``: one day's check-in for two, one week's relationship time, ...;
``Repair``: one repair of one moment) holds no words, only who takes part and when: ``owner``
started it, ``partner`` was invited. Every word belongs to one person's *part* (``RitualAnswer``,
``RepairPart``), encrypted at rest. The access policy (``safebase.web.access``, the joint rules)
says who sees what: each their own part always; the other's part only while the two are linked
(and, for rituals, only after answering themselves).

Deleting an account deletes that person's parts and nobody else's: the joint record stays for the
other partner (its ``owner`` or ``partner`` becomes empty) until nobody is left in it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from safebase.core.couple.rituals import Kind
from safebase.web.fields import EncryptedJSONField, EncryptedTextField

USER = settings.AUTH_USER_MODEL


def pair_key(a, b) -> str:
    """The same key for (a, b) and (b, a): one ritual per pair and period, whoever starts it."""
    lo, hi = sorted((a.pk, b.pk))
    return f"{lo}:{hi}"


class JointRecord(models.Model):
    """Who takes part: the access policy reads ``JOINT`` and the ``parts`` of these models."""

    JOINT = True

    owner = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    partner = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        abstract = True


class Ritual(JointRecord):
    kind = models.CharField(max_length=20, choices=[(k.value, k.value) for k in Kind])
    period = models.DateField()  # the day, the week's Monday or 1 January
    pair = models.CharField(max_length=50)

    class Meta:
        ordering = ["-period", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["pair", "kind", "period"], name="one_ritual_per_period")
        ]


class RitualAnswer(models.Model):
    JOINT_PART = True
    REVEAL_AFTER_OWN_PART = True  # each sees the other's answer only after giving their own

    joint = models.ForeignKey(Ritual, on_delete=models.CASCADE, related_name="parts")
    owner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    answers = EncryptedJSONField()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["joint", "owner"], name="one_answer_per_ritual")
        ]


class Repair(JointRecord):
    ruptured_at = models.DateTimeField()  # when the moment happened, as the starter gave it
    repaired_at = models.DateTimeField(null=True, blank=True)  # when the second one marked it

    class Meta:
        ordering = ["-ruptured_at", "-id"]


class RepairPart(models.Model):
    """One partner's three steps; the starter's part also says what moment it is about."""

    JOINT_PART = True
    REVEAL_AFTER_OWN_PART = False  # the partner must read the starter's steps to respond

    joint = models.ForeignKey(Repair, on_delete=models.CASCADE, related_name="parts")
    owner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    about = EncryptedTextField(blank=True, default="")
    own_part = EncryptedTextField()
    acknowledge = EncryptedTextField()
    path_forward = EncryptedTextField()
    marked_repaired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["joint", "owner"], name="one_part_per_repair")
        ]


class SignsReflection(models.Model):
    """The twelve-signs checklist, about oneself or about a partner. Never shared."""

    class About(models.TextChoices):
        SELF = "self", "About me"
        PARTNER = "partner", "About my partner"

    owner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    about = models.CharField(max_length=10, choices=About.choices)
    checked = EncryptedJSONField()  # sign numbers ticked
    note = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
