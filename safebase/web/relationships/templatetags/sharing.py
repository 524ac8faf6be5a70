"""``{% share_control obj %}``: on every shareable item, who can see it and a button to change
that. The owner always sees the truth about an item's audience, right where the item is."""

from __future__ import annotations

from django import template

from safebase.web.relationships import services, shareable

register = template.Library()


@register.inclusion_tag("relationships/_share_control.html", takes_context=True)
def share_control(context, obj) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    kind = shareable.kind_of(obj)
    audience = services.audience_of(obj) if kind else []
    partner = services.partner_of(user) if user is not None else None
    return {
        "obj": obj,
        "kind": kind,
        "audience": [u.get_username() for u in audience],
        "partner": partner,
        "with_partner": partner is not None and any(u.pk == partner.pk for u in audience),
        "shareable": kind is not None and shareable.can_be_shared(obj),
        "next": request.get_full_path() if request is not None else "",
        "csrf_token": context.get("csrf_token"),
    }
