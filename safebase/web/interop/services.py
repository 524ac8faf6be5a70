"""FHIR export and import as named service functions over the pure conversions.

The export takes a queryset of results rather than a person, so the clinic side can pass a
client's consented results (its access rule decides which) and get the same Bundle; the person's
own export passes ``completed_for(user)``, which asks ``access.own``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet

from safebase.core.errors import SafebaseError
from safebase.interop import fhir
from safebase.web import access
from safebase.web.assessments import services
from safebase.web.assessments.models import Assessment


@dataclass(frozen=True)
class Exported:
    bundle: dict
    results: int
    observations: int
    # Results scored on a re-defined response range (``--range``): their numbers are not the
    # questionnaire's options, so they are left out rather than written as wrong codes.
    left_out: int


def _as_result(a: Assessment) -> fhir.Result:
    return fhir.Result(
        key=fhir.result_key("assessment", a.pk, a.started_at.isoformat()),
        instrument_id=a.instrument_id,
        answers=a.answers,
        scores=a.scores,
        completed_at=a.completed_at or a.updated_at,
        instrument_version=a.instrument_version,
    )


def fhir_bundle(*, results: QuerySet[Assessment], exported_at: datetime) -> Exported:
    """The completed results in ``results`` as one FHIR Bundle (the caller chose whose)."""
    chosen, left_out = [], 0
    for a in results.filter(status=Assessment.Status.COMPLETE).order_by("completed_at", "id"):
        if fhir.exportable(a.instrument, a.response_low, a.response_high):
            chosen.append(_as_result(a))
        else:
            left_out += 1
    bundle = fhir.bundle(chosen, exported_at)
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    return Exported(bundle, len(chosen), kinds.count("Observation"), left_out)


def person_bundle(*, user, exported_at: datetime) -> Exported:
    """The person's own results, never another's however shared."""
    return fhir_bundle(results=services.completed_for(user), exported_at=exported_at)


@dataclass(frozen=True)
class Imported:
    added: list[Assessment] = field(default_factory=list)
    already_here: int = 0
    notes: list[str] = field(default_factory=list)


def _parse_all(payload) -> list[fhir.ParsedResponse]:
    """Every response parsed and checked before the database is touched: all or nothing."""
    parsed = []
    for where, resource in fhir.responses_in(payload):
        try:
            parsed.append(fhir.parse_response(resource))
        except SafebaseError as exc:
            raise fhir.FhirError(f"{where}{exc}") from None
    return parsed


def import_fhir(*, owner, payload) -> Imported:
    """Store each QuestionnaireResponse (alone or in a Bundle) as a completed result of
    ``owner``'s, through the same start–answer–complete services as the web flow, so it is scored
    by the same scorer; dated when it was authored. One already present (same questionnaire,
    same moment) is skipped, so importing a file twice adds nothing."""
    parsed = _parse_all(payload)
    added: list[Assessment] = []
    already, notes = 0, []
    with transaction.atomic():
        for p in parsed:
            notes += p.notes
            mine = access.own(owner, Assessment).filter(
                instrument_id=p.instrument.id, status=Assessment.Status.COMPLETE
            )
            if p.authored is not None and mine.filter(completed_at=p.authored).exists():
                already += 1
                continue
            a = services.start_assessment(owner=owner, instrument_id=p.instrument.id)
            services.save_answers(assessment=a, answers=p.answers)
            a = services.complete_assessment(assessment=a)
            if p.authored is not None:
                # ``update`` leaves auto_now alone, so the result keeps the response's date.
                Assessment.objects.filter(pk=a.pk).update(
                    started_at=p.authored, completed_at=p.authored
                )
                a.refresh_from_db()
            added.append(a)
    return Imported(added, already, notes)
