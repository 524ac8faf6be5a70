"""Who is a practice owner or a therapist: Django's own groups, no role table of our own.

A practice owner creates therapist accounts (and is a therapist too); a therapist keeps a
caseload. Everyone else is a person using safebase for themselves, possibly a client.
"""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from safebase.core.errors import SafebaseError

PRACTICE_OWNER = "clinic: practice owner"
THERAPIST = "clinic: therapist"


def _in_group(user, name: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    # One query per request at most: the names are kept on the user object for the request.
    found = getattr(user, "_clinic_groups", None)
    if found is None:
        found = set(user.groups.values_list("name", flat=True))
        user._clinic_groups = found
    return name in found


def is_therapist(user) -> bool:
    return _in_group(user, THERAPIST)


def is_practice_owner(user) -> bool:
    return _in_group(user, PRACTICE_OWNER)


def _group(name: str) -> Group:
    return Group.objects.get_or_create(name=name)[0]


@transaction.atomic
def add_therapist(email: str, *, practice_owner: bool = False) -> tuple[object, str]:
    """A new therapist account named by its email, with a temporary password shown once (the
    therapist changes it on the Password page). Returns (user, temporary password)."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise SafebaseError(f"not an email address: {email!r}") from None
    users = get_user_model()
    if users.objects.filter(username__iexact=email).exists():
        raise SafebaseError(f"an account named {email} already exists")
    password = secrets.token_urlsafe(12)
    user = users.objects.create_user(email, email=email, password=password)
    user.groups.add(_group(THERAPIST))
    if practice_owner:
        user.groups.add(_group(PRACTICE_OWNER))
    return user, password


def therapists():
    """Every therapist account, for the practice owner's page."""
    return get_user_model().objects.filter(groups__name=THERAPIST).order_by("username")
