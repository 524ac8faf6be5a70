"""The clinic part of a person's export: their therapist links (consent given and ended), every
read of their data by a therapist (who, what, when), and notes a therapist shared with them; for
a therapist, their own session notes."""

from __future__ import annotations

from safebase.web import access
from safebase.web.clinic.models import ClientRecord, SessionNote
from safebase.web.clinic.services import reads_of


def clinic_export(user) -> dict:
    links = ClientRecord.objects.filter(person=user).select_related("owner").order_by("id")
    shared_notes = SessionNote.objects.filter(
        record__person=user, record__ended_at=None, shared_with_client=True
    ).select_related("record__owner")
    return {
        "therapist_links": [
            {
                "therapist": r.owner.get_username(),
                "since": r.created_at.isoformat(),
                "ended_at": r.ended_at.isoformat() if r.ended_at else None,
                "questionnaires_shared_in_full": r.shared_instruments,
            }
            for r in links
        ],
        "therapist_reads": [
            {"therapist": e.therapist_name, "what": e.what, "at": e.at.isoformat()}
            for e in reads_of(user).order_by("at", "id")
        ],
        "notes_shared_by_therapists": [
            {
                "therapist": n.record.owner.get_username(),
                "session_date": n.session_date.isoformat(),
                "body": n.body,
            }
            for n in shared_notes
        ],
        "my_session_notes": [
            {
                "client": n.record.display_name,
                "session_date": n.session_date.isoformat(),
                "body": n.body,
                "shared_with_client": n.shared_with_client,
            }
            for n in access.own(user, SessionNote).select_related("record")
        ],
    }
