"""Everything a person entered, decrypted, for their own export.

Each bounded context lists its own records here; this module only gathers them, so the
dependencies run one way: mydata → assessments, practice, couple, clinic, family.
"""

from __future__ import annotations

from safebase.core.instrument import get_instrument
from safebase.web import access
from safebase.web.assessments.models import Assessment
from safebase.web.clinic.export import clinic_export
from safebase.web.couple.export import couple_export
from safebase.web.family.export import family_export
from safebase.web.practice.export import practice_export
from safebase.web.relationships.export import (
    relationship_export,
    relationship_shares,
    with_audiences,
)


def assessment_rows(user) -> list[dict]:
    return [
        {
            "id": a.pk,
            "instrument": a.instrument_id,
            "instrument_version": a.instrument_version,
            "status": a.status,
            "started_at": a.started_at.isoformat(),
            "updated_at": a.updated_at.isoformat(),
            "completed_at": a.completed_at.isoformat() if a.completed_at else None,
            "response_low": a.response_low,
            "response_high": a.response_high,
            "answers": a.answers,
            "scores": a.scores,
            "style": a.style,
        }
        for a in access.own(user, Assessment).order_by("started_at", "id")
    ]


def export_payload(user, exported_at: str) -> dict:
    return {
        "format": "safebase-export",
        "format_version": 1,
        "exported_at": exported_at,
        "username": user.get_username(),
        **with_audiences(user, {"assessments": assessment_rows(user), **practice_export(user)}),
        **relationship_export(user),
        **couple_export(user),
        **clinic_export(user),
        **family_export(user),
    }


def tidy_rows(user) -> list[tuple[object, ...]]:
    """The export as one long table: (kind, record_id, date, field, value).

    ``kind`` is assessment, checkins, journal, triggers, exercises, a ``couple_*`` section, or a
    family kind (children, five_conditions, signs, attuned_moments, repairs); an assessment gives
    one row per answer (field ``answer:<item>``), per score (``score:<scale>``) and for its
    instrument, status and style. Practice records give one row per field."""
    rows: list[tuple[object, ...]] = []
    for a in assessment_rows(user):
        when = a["completed_at"] or a["started_at"]

        def add(field: str, value: object, a=a, when=when) -> None:
            rows.append(("assessment", a["id"], when, field, "" if value is None else value))

        add("instrument", a["instrument"])
        add("instrument_version", a["instrument_version"])
        add("status", a["status"])
        for key, value in a["answers"].items():
            add(f"answer:{key}", value)
        for key, value in a["scores"].items():
            add(f"score:{key}", value)
        if a["style"]:
            add("style", a["style"])
        choice = get_instrument(a["instrument"]).choice_text(a["scores"].get("forced_choice"))
        if choice:
            add("choice", choice)  # the RQ's forced choice in words, beside its number
    for kind, records in {
        **practice_export(user),
        **couple_export(user),
        **family_export(user),
    }.items():
        for r in records:
            for field, value in r.items():
                if field not in ("id", "created_at"):
                    if isinstance(value, list):  # co-caregivers: one cell
                        value = ";".join(value)
                    rows.append((kind, r["id"], r["created_at"], field, value))
    for (kind, item_id), names in relationship_shares(user).items():
        rows.extend(("share", item_id, "", kind, name) for name in names)
    for event in relationship_export(user)["partner_events"]:
        rows.append(("partner_event", "", event["at"], event["event"], event["partner"]))
    for read in clinic_export(user)["therapist_reads"]:
        rows.append(("therapist_read", "", read["at"], read["therapist"], read["what"]))
    return rows
