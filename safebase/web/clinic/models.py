"""A therapist's caseload, the client's consent, what the therapist read, and session notes.

Roles are Django groups (``roles``): a practice owner creates therapist accounts; a therapist
keeps one ``ClientRecord`` per client. The record is the consent link: while it is active
(``ended_at`` empty) the therapist may view the items the client shared with them (``Share``
rows of the relationships app, audience = the therapist); revoking ends it at once.

A no-login client has no account of their own, yet their answers must go through the same
scoring, history and change code as everyone's. So the record creates a *placeholder person*: an
inactive ``User`` with an unusable password, who can never sign in. Their results are ordinary
``Assessment`` rows owned by that person and shared with the therapist like a full client's;
deleting the record deletes the placeholder and every answer with it.

``owner`` on the therapist-side models is the therapist (the access policy's owner rule then
lets them, and only them, work on their caseload); on ``AccessEvent`` it is the client, whose
log it is.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from safebase.web.fields import EncryptedTextField

USER = settings.AUTH_USER_MODEL


class ClientRecord(models.Model):
    class Kind(models.TextChoices):
        FULL = "full", "Has an account"
        NO_LOGIN = "no_login", "No-login client"

    owner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="caseload")
    person = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="clinic_records")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # A name or pseudonym the therapist chose (no-login) or the client's user name (full).
    display_name = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)
    last_session = models.DateField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # Instruments whose every finished result the client shares with this therapist.
    shared_instruments = models.JSONField(default=list, blank=True)
    # The caseload row's result cells (last result, trend, reliable change) as drawn, with the key
    # of what they were drawn from (the shares, the last session, the reference samples): kept
    # with the record like a result's charts, and redrawn when the key no longer matches. Holds
    # scores and dates only, never the client's name. Not user input.
    caseload_cells = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "person"],
                condition=models.Q(ended_at__isnull=True),
                name="one_active_record_per_therapist_and_client",
            )
        ]

    @property
    def active(self) -> bool:
        return self.ended_at is None


class PracticeReference(models.Model):
    """The reference sample the practice compares its clients' results with, per instrument
    (issue: "the user, or a practice for its own clients, picks"). On the clinic's pages and
    reports it takes the place of each client's own choice; the client's own pages keep theirs.
    None for an instrument: each client's own choice, else the instrument's default."""

    instrument_id = models.CharField(max_length=40, unique=True)
    sample_id = models.CharField(max_length=120)
    chosen_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    chosen_at = models.DateTimeField(auto_now=True)


class ClientInvitation(models.Model):
    """A link a therapist gives a client (7 days, single use); only its hash is stored."""

    owner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)


class Assignment(models.Model):
    """A questionnaire the therapist asks the client to answer, once or every N weeks.

    ``next_due`` moves on by ``every_weeks`` whenever the client finishes that questionnaire on
    or after it is due, so whether it is due or overdue is read from the row alone."""

    owner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    record = models.ForeignKey(ClientRecord, on_delete=models.CASCADE, related_name="assignments")
    instrument_id = models.CharField(max_length=40)
    every_weeks = models.PositiveSmallIntegerField(null=True, blank=True)  # None: once
    window_days = models.PositiveSmallIntegerField(default=7)
    next_due = models.DateField(null=True, blank=True)  # None: done (a one-off, answered)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["next_due", "id"]

    @property
    def instrument(self):
        from safebase.core.instrument import get_instrument

        return get_instrument(self.instrument_id)


class AnswerLink(models.Model):
    """A no-login client's link to one questionnaire: works once, within its window."""

    owner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)


class AccessEvent(models.Model):
    """One read of a client's data by a therapist (who, what, when): the client's own record.
    The therapist's name is copied so the log outlives their account."""

    owner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="clinic_reads")
    therapist = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    therapist_name = models.CharField(max_length=150)
    what = models.CharField(max_length=200)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]


class SessionNote(models.Model):
    """The therapist's own note on a session, encrypted at rest; the client sees it only if
    the therapist shares it."""

    owner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    record = models.ForeignKey(ClientRecord, on_delete=models.CASCADE, related_name="notes")
    session_date = models.DateField()
    body = EncryptedTextField()
    shared_with_client = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-session_date", "-id"]
