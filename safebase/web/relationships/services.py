"""Linking partners by invitation, unlinking, and sharing items one by one.

Consent on both sides: one person creates an invitation (a short code, 48 hours, single use),
the other accepts it while signed in. Either can unlink at any time; unlinking removes every
share between the two at once, so from that moment neither sees anything of the other's.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from safebase.core.errors import SafebaseError
from safebase.web.relationships import shareable
from safebase.web.relationships.models import LinkEvent, PartnerInvitation, PartnerLink, Share

PARTNER = Share.Purpose.PARTNER
INVITATION_LIFETIME = timedelta(hours=48)
# No 0/O, 1/I/L: a code read aloud or copied from a phone is typed right the first time.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10  # 31^10 ≈ 8e14 codes, valid for 48 hours: guessing one is hopeless


@dataclass(frozen=True)
class Invitation:
    code: str  # shown once, never stored
    expires_at: datetime


def normalise_code(code: str) -> str:
    """What a person types, as the code was issued: case, spaces and dashes do not matter."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def display_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def _hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def partner_of(user):
    """The person ``user`` is linked with now, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    link = PartnerLink.objects.select_related("partner").filter(person=user).first()
    return link.partner if link else None


def are_partners(a, b) -> bool:
    return PartnerLink.objects.filter(person=a, partner=b).exists()


@transaction.atomic
def invite(inviter) -> Invitation:
    """A new invitation; the person's earlier unused ones stop working."""
    if partner_of(inviter) is not None:
        raise SafebaseError("you are already linked with a partner; unlink first")
    now = timezone.now()
    PartnerInvitation.objects.filter(inviter=inviter, used_at__isnull=True).update(expires_at=now)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    expires = now + INVITATION_LIFETIME
    PartnerInvitation.objects.create(inviter=inviter, code_hash=_hash(code), expires_at=expires)
    return Invitation(code=display_code(code), expires_at=expires)


def pending_invitation_expiry(inviter) -> datetime | None:
    row = (
        PartnerInvitation.objects.filter(
            inviter=inviter, used_at__isnull=True, expires_at__gt=timezone.now()
        )
        .order_by("-expires_at")
        .first()
    )
    return row.expires_at if row else None


def inviter_for(code: str):
    """Who issued a still-valid code (looking does not spend it), or None."""
    row = (
        PartnerInvitation.objects.select_related("inviter")
        .filter(code_hash=_hash(code), used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    return row.inviter if row else None


@transaction.atomic
def accept(person, code: str):
    """Link ``person`` with the code's inviter; the code is spent. Returns the new partner."""
    row = (
        PartnerInvitation.objects.select_for_update()
        .select_related("inviter")
        .filter(code_hash=_hash(code))
        .first()
    )
    if row is None or row.used_at is not None or row.expires_at <= timezone.now():
        raise SafebaseError("that invitation code is not valid: it may have expired or been used")
    inviter = row.inviter
    if inviter == person:
        raise SafebaseError("that is your own invitation: give the code to your partner")
    if partner_of(person) is not None:
        raise SafebaseError("you are already linked with a partner; unlink first")
    if partner_of(inviter) is not None:
        raise SafebaseError("the person who invited you is now linked with someone else")
    row.used_at = timezone.now()
    row.save(update_fields=["used_at"])
    try:
        with transaction.atomic():
            PartnerLink.objects.create(person=person, partner=inviter)
            PartnerLink.objects.create(person=inviter, partner=person)
    except IntegrityError:  # the other accepted another code at the same moment
        raise SafebaseError("one of you was just linked with someone else") from None
    for owner, other in ((person, inviter), (inviter, person)):
        LinkEvent.objects.create(
            owner=owner,
            event=LinkEvent.Event.LINKED,
            partner_name=other.get_username(),
            by_name=person.get_username(),
        )
    return inviter


@transaction.atomic
def unlink(person) -> None:
    """End the link for both; every share between them goes with it."""
    partner = partner_of(person)
    if partner is None:
        raise SafebaseError("you are not linked with a partner")
    PartnerLink.objects.filter(person__in=[person, partner]).delete()
    Share.objects.filter(owner=person, audience=partner, purpose=PARTNER).delete()
    Share.objects.filter(owner=partner, audience=person, purpose=PARTNER).delete()
    for owner, other in ((person, partner), (partner, person)):
        LinkEvent.objects.create(
            owner=owner,
            event=LinkEvent.Event.UNLINKED,
            partner_name=other.get_username(),
            by_name=person.get_username(),
        )


def _check_owner(owner, obj) -> str:
    kind = shareable.kind_of(obj)
    if kind is None:
        raise SafebaseError("this kind of item cannot be shared")
    if obj.owner_id != owner.pk:
        raise SafebaseError("only the owner can share or unshare an item")
    return kind


@transaction.atomic
def share(owner, obj) -> None:
    """Let ``owner``'s linked partner see ``obj`` (read-only)."""
    kind = _check_owner(owner, obj)
    if not shareable.can_be_shared(obj):
        raise SafebaseError("only a finished result can be shared")
    partner = partner_of(owner)
    if partner is None:
        raise SafebaseError("link with a partner first: nothing is shared with anyone yet")
    Share.objects.get_or_create(
        kind=kind, object_id=obj.pk, audience=partner, owner=owner, purpose=PARTNER
    )


@transaction.atomic
def unshare(owner, obj) -> None:
    """Stop sharing ``obj`` with the partner. What the owner shares with a therapist is
    changed on the therapist page, not here."""
    kind = _check_owner(owner, obj)
    partner = partner_of(owner)
    if partner is not None:
        Share.objects.filter(
            owner=owner, kind=kind, object_id=obj.pk, audience=partner, purpose=PARTNER
        ).delete()


def audience_of(obj) -> list:
    """Everyone who can see ``obj`` besides its owner, as the owner is shown it."""
    kind = shareable.kind_of(obj)
    if kind is None:
        return []
    rows = Share.objects.filter(kind=kind, object_id=obj.pk).select_related("audience")
    return list({row.audience_id: row.audience for row in rows}.values())


def is_shared(obj) -> bool:
    return bool(audience_of(obj))


def as_partner(viewer, model):
    """What the access policy lets ``viewer`` see of ``model``, narrowed to what their current
    partner shared with them *as their partner* (never what a client shared with them as
    their therapist, should one account be both)."""
    from safebase.web import access

    partner = partner_of(viewer)
    if partner is None:
        return model._default_manager.none()
    shared = Share.objects.filter(
        audience=viewer, owner=partner, purpose=PARTNER, kind=shareable.kind_of(model)
    )
    return access.scope(viewer, model).filter(owner=partner, pk__in=shared.values("object_id"))


def shared_with(viewer, kind: str):
    """Items of ``kind`` the viewer's current partner has shared with them (newest first)."""
    model = shareable.model_for(kind)
    if model is None:
        return []
    items = as_partner(viewer, model)
    if kind == "result":
        return items.order_by("-completed_at", "-id")
    return items.order_by("-created_at", "-id")


def shares_by(owner) -> dict[tuple[str, int], list[str]]:
    """(kind, id) -> names of who can see it, for the owner's export."""
    found: dict[tuple[str, int], list[str]] = {}
    for row in Share.objects.filter(owner=owner).select_related("audience"):
        found.setdefault((row.kind, row.object_id), []).append(row.audience.get_username())
    return found
