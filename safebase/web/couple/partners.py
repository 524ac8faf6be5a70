"""How the couple pages name a person: their first name if they gave one, else their user name.

Who is linked with whom is the relationships app's (``relationships.services.partner_of``)."""

from __future__ import annotations


def name_of(user) -> str:
    full = (getattr(user, "first_name", "") or "").strip()
    return full or user.get_username()
