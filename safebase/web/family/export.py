"""Everything a caregiver entered about the children in their care, decrypted, for their own
export: each child they care for (name, birth year — shared with any co-caregiver) and their own
observations only, never a co-caregiver's."""

from __future__ import annotations

from safebase.web import access
from safebase.web.family.models import (
    AttunedMoment,
    Child,
    FiveConditionsCheck,
    RuptureRepair,
    SignsObservation,
)


def family_export(user) -> dict[str, list[dict]]:
    def when(obj) -> str:
        return obj.created_at.isoformat()

    return {
        "children": [
            {
                "id": c.pk,
                "created_at": when(c),
                "name": c.name,
                "birth_year": c.birth_year,
                "added_by_me": c.created_by_id == user.pk,
                "co_caregivers": sorted(
                    u.get_username() for u in c.caregivers.all() if u.pk != user.pk
                ),
            }
            for c in access.scope(user, Child).distinct().order_by("id")
        ],
        "five_conditions": [
            {"id": x.pk, "created_at": when(x), "child": x.child_id, "week": x.week.isoformat()}
            | x.ratings()
            | {"note": x.note}
            for x in access.own(user, FiveConditionsCheck).order_by("week", "id")
        ],
        "signs": [
            {
                "id": x.pk,
                "created_at": when(x),
                "child": x.child_id,
                "age_band": x.age_band,
                "noticed": ";".join(x.noticed),
                "note": x.note,
            }
            for x in access.own(user, SignsObservation).order_by("created_at", "id")
        ],
        "attuned_moments": [
            {
                "id": x.pk,
                "created_at": when(x),
                "child": x.child_id,
                "read": x.read,
                "respond": x.respond,
                "received": x.received,
                "next_time": x.next_time,
            }
            for x in access.own(user, AttunedMoment).order_by("created_at", "id")
        ],
        "repairs": [
            {
                "id": x.pk,
                "created_at": when(x),
                "child": x.child_id,
                "happened_on": x.happened_on.isoformat(),
                "what_happened": x.what_happened,
                "reconnect": x.reconnect,
                "minutes_to_repair": x.minutes_to_repair,
            }
            for x in access.own(user, RuptureRepair).order_by("happened_on", "id")
        ],
    }
