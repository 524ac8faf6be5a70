"""Consent between a client and a therapist, and the writes of the therapist's day.

Consent is the ``ClientRecord``: a client joins a therapist by an invitation link (7 days,
single use) and then shares, per measure or per entry, what the therapist may see (``Share``
rows, audience = the therapist). Revoking ends the record and deletes those rows at once; the
access policy also requires an active record, so no read outlives consent even by a moment.
A no-login client's record owns an inactive placeholder person (see ``models``).

Tokens (invitations, answer links) are random, shown once and stored only as a SHA-256 hash,
as the sign-in links of ``accounts`` are.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from safebase.core.errors import SafebaseError
from safebase.core.instrument import get_instrument
from safebase.core.practice import safety
from safebase.web import access
from safebase.web.assessments import services as assessments
from safebase.web.assessments.models import Assessment
from safebase.web.clinic import roles
from safebase.web.clinic.models import (
    AccessEvent,
    AnswerLink,
    Assignment,
    ClientInvitation,
    ClientRecord,
    PracticeReference,
    SessionNote,
)
from safebase.web.relationships import shareable
from safebase.web.relationships.models import Share

THERAPIST = Share.Purpose.THERAPIST

INVITATION_LIFETIME = timedelta(days=7)
MAX_NAME = 80
MAX_NOTE = 20_000


@dataclass(frozen=True)
class Token:
    token: str  # shown once, never stored
    expires_at: datetime


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _require_therapist(user) -> None:
    if not roles.is_therapist(user):
        raise SafebaseError("only a therapist account can do this")


# --- the client record: invitation, no-login clients, revoking ----------------------------


@transaction.atomic
def invite_client(therapist) -> Token:
    """A new invitation link; earlier unused ones keep working until they expire (a therapist
    invites several clients at once)."""
    _require_therapist(therapist)
    token = secrets.token_urlsafe(32)
    expires = timezone.now() + INVITATION_LIFETIME
    ClientInvitation.objects.create(owner=therapist, token_hash=_hash(token), expires_at=expires)
    return Token(token, expires)


def therapist_for_invitation(token: str):
    """Who issued a still-valid invitation (looking does not spend it), or None."""
    row = (
        ClientInvitation.objects.select_related("owner")
        .filter(token_hash=_hash(token), used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    return row.owner if row else None


@transaction.atomic
def accept_invitation(person, token: str) -> ClientRecord:
    """``person`` becomes the issuing therapist's client; the link is spent. Nothing is shared
    by joining: the client chooses afterwards."""
    row = (
        ClientInvitation.objects.select_for_update()
        .select_related("owner")
        .filter(token_hash=_hash(token))
        .first()
    )
    if row is None or row.used_at is not None or row.expires_at <= timezone.now():
        raise SafebaseError("that invitation link is not valid: it may have expired or been used")
    if row.owner == person:
        raise SafebaseError("that is your own invitation: give the link to your client")
    if ClientRecord.objects.filter(owner=row.owner, person=person, ended_at=None).exists():
        raise SafebaseError("you are already this therapist's client")
    row.used_at = timezone.now()
    row.save(update_fields=["used_at"])
    try:
        with transaction.atomic():
            return ClientRecord.objects.create(
                owner=row.owner,
                person=person,
                kind=ClientRecord.Kind.FULL,
                display_name=person.get_username(),
            )
    except IntegrityError:  # the same person accepted two links at the same moment
        raise SafebaseError("you are already this therapist's client") from None


def clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise SafebaseError("name: a name or pseudonym is needed")
    if len(name) > MAX_NAME:
        raise SafebaseError(f"name: at most {MAX_NAME} characters")
    return name


@transaction.atomic
def add_no_login_client(therapist, *, name: str) -> ClientRecord:
    """A client record without an account. Its placeholder person can never sign in (inactive,
    unusable password) and exists so every result is an ordinary ``Assessment``."""
    _require_therapist(therapist)
    name = clean_name(name)
    placeholder = get_user_model()(username=f"no-login-{secrets.token_hex(8)}", is_active=False)
    placeholder.set_unusable_password()
    placeholder.save()
    return ClientRecord.objects.create(
        owner=therapist, person=placeholder, kind=ClientRecord.Kind.NO_LOGIN, display_name=name
    )


def records_of(person):
    """The client's own active consent links (one per therapist)."""
    if not getattr(person, "is_authenticated", False):
        return ClientRecord.objects.none()
    return ClientRecord.objects.filter(person=person, ended_at=None).select_related("owner")


def record_of(person, pk: int) -> ClientRecord:
    """One of the client's own active links, or SafebaseError (the view answers 404)."""
    found = records_of(person).filter(pk=pk).first()
    if found is None:
        raise SafebaseError("no such therapist link")
    return found


@transaction.atomic
def revoke(person, record: ClientRecord) -> None:
    """The client ends consent: from this moment the therapist sees nothing of theirs."""
    if record.person_id != person.pk:
        raise SafebaseError("only the client can revoke their consent")
    ClientRecord.objects.filter(pk=record.pk).update(ended_at=timezone.now(), caseload_cells={})
    Share.objects.filter(owner=person, audience_id=record.owner_id, purpose=THERAPIST).delete()
    Assignment.objects.filter(record=record).update(next_due=None)


# --- sharing with the therapist, per entry and per measure ---------------------------------


def _shareable_item(person, obj) -> str:
    kind = shareable.kind_of(obj)
    if kind is None:
        raise SafebaseError("this kind of item cannot be shared")
    if obj.owner_id != person.pk:
        raise SafebaseError("only the owner can share or unshare an item")
    if not shareable.can_be_shared(obj):
        raise SafebaseError("only a finished result can be shared")
    return kind


@transaction.atomic
def share_with_therapist(person, record: ClientRecord, obj) -> None:
    kind = _shareable_item(person, obj)
    if not record.active or record.person_id != person.pk:
        raise SafebaseError("that therapist link has ended")
    Share.objects.get_or_create(
        kind=kind, object_id=obj.pk, audience_id=record.owner_id, owner=person, purpose=THERAPIST
    )


@transaction.atomic
def unshare_from_therapist(person, record: ClientRecord, obj) -> None:
    kind = shareable.kind_of(obj)
    Share.objects.filter(
        owner=person, audience_id=record.owner_id, kind=kind, object_id=obj.pk, purpose=THERAPIST
    ).delete()


def shared_ids(person, record: ClientRecord) -> set[tuple[str, int]]:
    """(kind, id) of everything the client shares with this therapist, in one query."""
    rows = Share.objects.filter(owner=person, audience_id=record.owner_id, purpose=THERAPIST)
    return set(rows.values_list("kind", "object_id"))


@transaction.atomic
def set_measure_shared(person, record: ClientRecord, instrument_id: str, shared: bool) -> int:
    """Share (or stop sharing) every finished result of one questionnaire, now and to come.
    Returns how many results that covers now."""
    get_instrument(instrument_id)  # unknown ids fail here
    if record.person_id != person.pk or not record.active:
        raise SafebaseError("that therapist link has ended")
    chosen = set(record.shared_instruments)
    results = assessments.completed_for(person, instrument_id)
    if shared:
        chosen.add(instrument_id)
        for a in results:
            share_with_therapist(person, record, a)
    else:
        chosen.discard(instrument_id)
        Share.objects.filter(
            owner=person,
            audience_id=record.owner_id,
            purpose=THERAPIST,
            kind="result",
            object_id__in=results.values("pk"),
        ).delete()
    record.shared_instruments = sorted(chosen)
    record.save(update_fields=["shared_instruments"])
    return results.count()


def result_completed(assessment: Assessment) -> None:
    """A finished result: shared with each therapist the client chose it for, and counted
    against any questionnaire assigned to them."""
    if assessment.status != Assessment.Status.COMPLETE:
        return
    records = ClientRecord.objects.filter(person_id=assessment.owner_id, ended_at=None)
    for record in records:
        if assessment.instrument_id in record.shared_instruments:
            Share.objects.get_or_create(
                kind="result",
                object_id=assessment.pk,
                audience_id=record.owner_id,
                owner_id=assessment.owner_id,
                purpose=THERAPIST,
            )
    done_on = timezone.localdate(assessment.completed_at)
    for a in Assignment.objects.filter(
        record__in=records, instrument_id=assessment.instrument_id, next_due__isnull=False
    ):
        if done_on >= a.next_due - timedelta(days=a.window_days):
            a.next_due = next_due_after(a, done_on)
            a.save(update_fields=["next_due"])


def next_due_after(a: Assignment, done_on: date) -> date | None:
    """The next date an assignment is due once answered on ``done_on``: None for a one-off;
    otherwise the first date of the series after ``done_on``."""
    if not a.every_weeks:
        return None
    due = a.next_due
    step = timedelta(weeks=a.every_weeks)
    while due <= done_on:
        due += step
    return due


# --- what the therapist reads -------------------------------------------------------------


def practice_references() -> dict[str, str]:
    """instrument id -> the sample the practice chose (absent: each client's own choice)."""
    return dict(PracticeReference.objects.values_list("instrument_id", "sample_id"))


def clinic_choices(client_choices: dict[str, str]) -> dict[str, str]:
    """The choices the clinic's pages compare a client's results with: the practice's, where
    it chose, over the client's own."""
    return {**client_choices, **practice_references()}


@transaction.atomic
def choose_practice_reference(owner, instrument_id: str, sample_id: str) -> None:
    """The practice owner picks a sample for an instrument ("" goes back to each client's own
    choice)."""
    from safebase.core.norms import reference_samples_for

    if not roles.is_practice_owner(owner):
        raise SafebaseError("only the practice owner chooses the practice's reference samples")
    get_instrument(instrument_id)
    if not sample_id:
        PracticeReference.objects.filter(instrument_id=instrument_id).delete()
        return
    if sample_id not in {s.id for s in reference_samples_for(instrument_id)}:
        raise SafebaseError(f"'{sample_id}' is not a reference sample of {instrument_id}")
    PracticeReference.objects.update_or_create(
        instrument_id=instrument_id, defaults={"sample_id": sample_id, "chosen_by": owner}
    )


def as_therapist(therapist, model):
    """What the access policy lets ``therapist`` see of ``model``, narrowed to what clients
    shared with them *as their therapist* (an account that is also someone's partner never
    brings partner shares into clinic pages, reports or exports)."""
    return access.shared_with_therapist(therapist, model).exclude(owner=therapist)


def consented_results(therapist, client):
    """The finished results ``client`` (a person or their ``ClientRecord``) shared with this
    therapist while their link is active, oldest first; empty otherwise. For reports and FHIR."""
    person_id = client.person_id if isinstance(client, ClientRecord) else client.pk
    return (
        as_therapist(therapist, Assessment)
        .filter(owner_id=person_id, status=Assessment.Status.COMPLETE)
        .order_by("completed_at", "id")
    )


def consented_items(therapist, client, kind: str):
    """Items of ``kind`` (``shareable.SHAREABLE``) the client shared with this therapist."""
    model = shareable.model_for(kind)
    if model is None:
        raise SafebaseError(f"unknown kind: {kind}")
    person_id = client.person_id if isinstance(client, ClientRecord) else client.pk
    return as_therapist(therapist, model).filter(owner_id=person_id)


def caseload_records(therapist):
    """The therapist's active client records (never another therapist's)."""
    return access.own(therapist, ClientRecord).filter(ended_at=None).select_related("person")


def client_record(therapist, pk: int) -> ClientRecord:
    """One of the therapist's active records, or 404 (through the access policy)."""
    record = access.get_or_404(therapist, ClientRecord, pk)
    if not record.active:
        from django.http import Http404

        raise Http404("Not found")
    return record


def log_reads(therapist, persons_and_what: list[tuple[int, str]]) -> None:
    """One audit row per client read, written in one statement."""
    name = therapist.get_username()
    AccessEvent.objects.bulk_create(
        AccessEvent(owner_id=pid, therapist=therapist, therapist_name=name, what=what[:200])
        for pid, what in persons_and_what
    )


def reads_of(person):
    """The client's own audit log, newest first."""
    return access.own(person, AccessEvent)


# --- recurring measures and no-login answer links ------------------------------------------


@transaction.atomic
def assign(
    therapist,
    record: ClientRecord,
    *,
    instrument_id: str,
    every_weeks: int | None,
    window_days: int = 7,
    first_due: date | None = None,
) -> Assignment:
    _require_therapist(therapist)
    get_instrument(instrument_id)
    if record.owner_id != therapist.pk or not record.active:
        raise SafebaseError("not your client")
    return Assignment.objects.create(
        owner=therapist,
        record=record,
        instrument_id=instrument_id,
        every_weeks=every_weeks or None,
        window_days=window_days,
        next_due=first_due or timezone.localdate(),
    )


def assignment_state(a: Assignment, today: date | None = None) -> str:
    """'done', 'upcoming', 'due' (answer window open) or 'overdue' — from the row alone."""
    today = today or timezone.localdate()
    if a.next_due is None:
        return "done"
    if today < a.next_due:
        return "upcoming"
    if today > a.next_due + timedelta(days=a.window_days):
        return "overdue"
    return "due"


def due_for(person):
    """The questionnaires the client's therapists asked for, with their due dates."""
    return (
        Assignment.objects.filter(record__in=records_of(person), next_due__isnull=False)
        .select_related("record__owner")
        .order_by("next_due", "id")
    )


@transaction.atomic
def issue_answer_link(therapist, assignment: Assignment) -> Token:
    """A link for a no-login client to answer one assigned questionnaire, within the answer
    window; an earlier unused link for the same assignment stops working."""
    if assignment.owner_id != therapist.pk or not assignment.record.active:
        raise SafebaseError("not your client")
    if assignment.record.kind != ClientRecord.Kind.NO_LOGIN:
        raise SafebaseError("clients with an account answer in their own safebase")
    if assignment.next_due is None:
        raise SafebaseError("this questionnaire has been answered; assign it again")
    now = timezone.now()
    AnswerLink.objects.filter(assignment=assignment, used_at=None).update(expires_at=now)
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(days=assignment.window_days)
    AnswerLink.objects.create(
        owner=therapist, assignment=assignment, token_hash=_hash(token), expires_at=expires
    )
    return Token(token, expires)


def answer_link(token: str) -> AnswerLink | None:
    """The still-valid link for this token (looking does not spend it), or None."""
    return (
        AnswerLink.objects.select_related("assignment__record")
        .filter(
            token_hash=_hash(token),
            used_at=None,
            expires_at__gt=timezone.now(),
            assignment__record__ended_at=None,
        )
        .first()
    )


@transaction.atomic
def submit_answers(token: str, answers: Mapping[str, object]) -> Assessment:
    """Score a no-login client's answers as their result, shared with the therapist; the link is
    spent."""
    link = (
        AnswerLink.objects.select_for_update()
        .select_related("assignment__record")
        .filter(token_hash=_hash(token))
        .first()
    )
    if (
        link is None
        or link.used_at is not None
        or link.expires_at <= timezone.now()
        or not link.assignment.record.active
    ):
        raise SafebaseError("this link is not valid: it may have expired or been used")
    record = link.assignment.record
    result = assessments.record_assessment(
        owner=record.person, instrument_id=link.assignment.instrument_id, answers=answers
    )
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    Share.objects.get_or_create(
        kind="result",
        object_id=result.pk,
        audience_id=record.owner_id,
        owner_id=record.person_id,
        purpose=THERAPIST,
    )
    return result


# --- session notes -------------------------------------------------------------------------


@transaction.atomic
def add_note(
    therapist, record: ClientRecord, *, session_date: date, body: str
) -> tuple[SessionNote, safety.SafetyResult]:
    """The therapist's own note, encrypted at rest; screened like every free text."""
    if record.owner_id != therapist.pk or not record.active:
        raise SafebaseError("not your client")
    body = (body or "").strip()
    if not body:
        raise SafebaseError("note: please write something")
    if len(body) > MAX_NOTE:
        raise SafebaseError(f"note: at most {MAX_NOTE:,} characters")
    note = SessionNote.objects.create(
        owner=therapist, record=record, session_date=session_date, body=body
    )
    return note, safety.screen_text(body)


def set_note_shared(therapist, note: SessionNote, shared: bool) -> None:
    if note.owner_id != therapist.pk:
        raise SafebaseError("not your note")
    note.shared_with_client = shared
    note.save(update_fields=["shared_with_client"])


def notes_shared_with(person):
    """Notes a therapist chose to show this client (while their link is active)."""
    return SessionNote.objects.filter(
        record__in=records_of(person), shared_with_client=True
    ).select_related("record__owner")


@transaction.atomic
def set_last_session(therapist, record: ClientRecord, when: date) -> None:
    if record.owner_id != therapist.pk:
        raise SafebaseError("not your client")
    record.last_session = when
    record.save(update_fields=["last_session"])
