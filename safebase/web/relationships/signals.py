"""Deleting an item deletes its shares: no row may name an object that no longer exists."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db.models.signals import post_delete, pre_delete

from safebase.web.relationships.shareable import SHAREABLE


def _forget_shares(sender, instance, **kwargs) -> None:
    from safebase.web.relationships.models import Share
    from safebase.web.relationships.shareable import kind_of

    Share.objects.filter(kind=kind_of(sender), object_id=instance.pk).delete()


for _label in SHAREABLE.values():
    post_delete.connect(_forget_shares, sender=apps.get_model(_label), weak=False)


def _record_account_deletion(sender, instance, **kwargs) -> None:
    """A partner whose partner deletes their account keeps a record of the unlinking."""
    from safebase.web.relationships.models import LinkEvent, PartnerLink

    link = PartnerLink.objects.filter(person=instance).select_related("partner").first()
    if link is not None:
        LinkEvent.objects.create(
            owner=link.partner,
            event=LinkEvent.Event.UNLINKED,
            partner_name=instance.get_username(),
            by_name=instance.get_username(),
        )


pre_delete.connect(_record_account_deletion, sender=settings.AUTH_USER_MODEL, weak=False)
