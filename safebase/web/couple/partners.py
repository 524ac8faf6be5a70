"""The one question the couple app asks the relationships app: who is this person linked with?"""

from __future__ import annotations


def partner_of(user):
    """The currently linked partner, or None (the relationships app owns links and unlinking)."""
    if not getattr(user, "is_authenticated", False):
        return None
    from safebase.web.relationships.services import partner_of as linked

    return linked(user)


def name_of(user) -> str:
    full = (getattr(user, "first_name", "") or "").strip()
    return full or user.get_username()
