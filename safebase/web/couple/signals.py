"""When an account is deleted its parts go with it (cascade) and its place in joint records is
emptied (SET_NULL); a joint record left with nobody in it holds nothing anyone can see, so it
goes too."""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_delete
from django.dispatch import receiver

from safebase.web.couple.models import Repair, Ritual


@receiver(post_delete, sender=settings.AUTH_USER_MODEL)
def remove_empty_joint_records(sender, instance, **kwargs) -> None:
    for model in (Ritual, Repair):
        model.objects.filter(owner=None, partner=None).delete()
