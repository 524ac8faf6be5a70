"""Everything a person entered in practice, decrypted, for their own export."""

from __future__ import annotations

from safebase.web import access
from safebase.web.practice.models import CheckIn, ExerciseRecord, JournalEntry, TriggerLog


def practice_export(user) -> dict[str, list[dict]]:
    def when(obj) -> str:
        return obj.created_at.isoformat()

    return {
        "checkins": [
            {
                "id": c.pk,
                "created_at": when(c),
                "emotion": c.emotion,
                "family": c.family,
                "intensity": c.intensity,
                "need": c.need,
                "note": c.note,
            }
            for c in access.own(user, CheckIn).order_by("created_at")
        ],
        "journal": [
            {"id": e.pk, "created_at": when(e), "body": e.body}
            for e in access.own(user, JournalEntry).order_by("created_at")
        ],
        "triggers": [
            {
                "id": t.pk,
                "created_at": when(t),
                "situation": t.situation,
                "pattern": t.pattern,
                "what_i_did": t.what_i_did,
                "repair": t.repair,
            }
            for t in access.own(user, TriggerLog).order_by("created_at")
        ],
        "exercises": [
            {"id": r.pk, "created_at": when(r), "exercise": r.exercise_id, **r.data}
            for r in access.own(user, ExerciseRecord).order_by("created_at")
        ],
    }
