"""What deleting an account does to the children in that person's care.

Each person's observations go with their account (``owner`` cascades). A child is shared by its
caregivers, so it is deleted only when the person leaving was its last caregiver; a co-caregiver
keeps the child (name and birth year) and their own observations. ``created_by`` becomes null.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from safebase.web.family.models import Child


@receiver(pre_delete, sender=get_user_model(), dispatch_uid="family-children-of-deleted-user")
def delete_children_left_without_caregiver(sender, instance, **kwargs) -> None:
    for child in Child.objects.filter(caregivers=instance):
        if not child.caregivers.exclude(pk=instance.pk).exists():
            child.delete()
