"""A person's own words in the couple practices, decrypted, for their own export.

Only the person's own parts: their ritual answers, their repair steps (with the joint record's
dates), their twelve-signs reflections. Never the partner's words, even where they may read them.
"""

from __future__ import annotations

from safebase.web import access
from safebase.web.couple.models import RepairPart, RitualAnswer, SignsReflection


def couple_export(user) -> dict[str, list[dict]]:
    def when(obj) -> str:
        return obj.created_at.isoformat()

    return {
        "couple_rituals": [
            {
                "id": a.pk,
                "created_at": when(a),
                "ritual": a.joint.kind,
                "period": a.joint.period.isoformat(),
                **a.answers,
            }
            for a in access.own(user, RitualAnswer).select_related("joint").order_by("created_at")
        ],
        "couple_repairs": [
            {
                "id": p.pk,
                "created_at": when(p),
                "repair": p.joint_id,
                "started_by_me": p.joint.owner_id == user.pk,
                "ruptured_at": p.joint.ruptured_at.isoformat(),
                "repaired_at": p.joint.repaired_at.isoformat() if p.joint.repaired_at else "",
                "about": p.about,
                "own_part": p.own_part,
                "acknowledge": p.acknowledge,
                "path_forward": p.path_forward,
                "marked_repaired_at": (
                    p.marked_repaired_at.isoformat() if p.marked_repaired_at else ""
                ),
            }
            for p in access.own(user, RepairPart).select_related("joint").order_by("created_at")
        ],
        "couple_signs": [
            {
                "id": r.pk,
                "created_at": when(r),
                "about": r.about,
                "signs_ticked": ",".join(str(n) for n in r.checked),
                "note": r.note,
            }
            for r in access.own(user, SignsReflection).order_by("created_at")
        ],
    }
