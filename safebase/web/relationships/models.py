"""Two people linked as partners, the invitations that link them, and what each shares.

A link is stored as one row per person (``PartnerLink.person`` is unique), so the database
itself guarantees "one partner link per person". Sharing is item by item: a ``Share`` row names
one object (by kind and id) and the person who may see it; the access policy honours it only
while the two are still linked, and unlinking deletes the rows as well.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

USER = settings.AUTH_USER_MODEL


class PartnerLink(models.Model):
    person = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="partner_link")
    partner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    since = models.DateTimeField(auto_now_add=True)


class PartnerInvitation(models.Model):
    """A short code (and link) one partner gives the other; only its hash is stored."""

    inviter = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)


class Share(models.Model):
    """``owner`` lets ``audience`` see one object of a shareable kind (see ``shareable``), as
    their partner or as their therapist: the two are granted, shown and ended separately, even
    when one account is both."""

    class Purpose(models.TextChoices):
        PARTNER = "partner", "Partner"
        THERAPIST = "therapist", "Therapist"

    owner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="shares_given")
    audience = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="shares_received")
    kind = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField()
    purpose = models.CharField(max_length=10, choices=Purpose.choices, default=Purpose.PARTNER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "audience", "purpose"],
                name="one_share_per_item_person_and_purpose",
            )
        ]
        indexes = [models.Index(fields=["audience", "kind"])]


class LinkEvent(models.Model):
    """Each person's own record of linking and unlinking (who did it, when): part of their
    export. Names are copied, so the record survives the other account's deletion."""

    class Event(models.TextChoices):
        LINKED = "linked", "Linked"
        UNLINKED = "unlinked", "Unlinked"

    owner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="link_events")
    event = models.CharField(max_length=10, choices=Event.choices)
    partner_name = models.CharField(max_length=150)
    by_name = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
