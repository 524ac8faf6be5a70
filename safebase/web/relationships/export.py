"""The relationship part of a person's export: who each item is shared with, and the record of
linking and unlinking (who did it, when)."""

from __future__ import annotations

from safebase.web.relationships import services
from safebase.web.relationships.models import LinkEvent

# export section -> share kind
SECTION_KINDS = {
    "assessments": "result",
    "checkins": "checkin",
    "journal": "journal",
    "triggers": "trigger",
    "exercises": "exercise",
}


def relationship_shares(user) -> dict[tuple[str, int], list[str]]:
    return services.shares_by(user)


def with_audiences(user, sections: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Each exported record gains ``shared_with``: the names of who can see it (empty: only
    the person)."""
    shares = services.shares_by(user)
    for section, records in sections.items():
        kind = SECTION_KINDS.get(section)
        for record in records:
            record["shared_with"] = shares.get((kind, record["id"]), [])
    return sections


def relationship_export(user) -> dict:
    partner = services.partner_of(user)
    return {
        "partner": partner.get_username() if partner else None,
        "partner_events": [
            {"event": e.event, "partner": e.partner_name, "by": e.by_name, "at": e.at.isoformat()}
            for e in LinkEvent.objects.filter(owner=user)
        ],
    }
