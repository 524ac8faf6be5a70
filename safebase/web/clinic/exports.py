"""What a therapist takes away about one client: the PDF report and the FHIR Bundle.

Both are built from what the client shared with this therapist while the link is active
(``services.consented_results`` / ``consented_items``), never from anything else of theirs, and
each download is written into the client's audit log like every other read.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from safebase.reports.pdf import PracticeCounts
from safebase.web.clinic import services
from safebase.web.clinic.models import ClientRecord
from safebase.web.interop.services import Exported, fhir_bundle
from safebase.web.reports.services import in_period, report_pdf


def shared_practice_counts(
    therapist, record: ClientRecord, start: date | None, end: date | None
) -> PracticeCounts:
    """Counts of the check-ins, exercise records and journal entries the client *shared* in the
    period (the practice summary "if shared"): nothing unshared is counted."""

    def count(kind: str) -> int:
        dates = services.consented_items(therapist, record, kind).values_list(
            "created_at", flat=True
        )
        return sum(1 for when in dates if in_period(when, start, end))

    return PracticeCounts(
        checkins=count("checkin"), exercises=count("exercise"), journal_entries=count("journal")
    )


def client_report(
    therapist, record: ClientRecord, *, start: date | None, end: date | None, practice: bool
) -> bytes:
    results = services.consented_results(therapist, record)
    counts = shared_practice_counts(therapist, record, start, end) if practice else None
    from safebase.web.accounts.services import chosen_reference_samples

    choices = services.clinic_choices(chosen_reference_samples(record.person))
    body = report_pdf(
        person=record.person,
        results=results,
        start=start,
        end=end,
        practice=counts,
        choices=choices,
    )
    services.log_reads(therapist, [(record.person_id, "PDF report of shared results")])
    return body


def client_bundle(therapist, record: ClientRecord) -> Exported:
    done = fhir_bundle(
        results=services.consented_results(therapist, record), exported_at=timezone.now()
    )
    services.log_reads(therapist, [(record.person_id, "FHIR export of shared results")])
    return done


def report_filename(record: ClientRecord, today: date | None = None) -> str:
    """No client name in a file name: file names travel further than files' contents."""
    return f"safebase-client-{record.pk}-report-{(today or timezone.localdate()).isoformat()}.pdf"
