"""Import of a safebase JSON export (``/export.json``) into this installation, for one person.

Every result (answers, scores, pattern, status, dates), check-in, journal entry, trigger log and
exercise record comes back with the date it was made; free text is encrypted again with this
installation's key as it is saved. A record already present — same kind, same moment (and for a
result the same questionnaire) — is skipped, so importing a file twice adds nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Literal

from django.db import models, transaction
from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from safebase.core.errors import SafebaseError
from safebase.core.instrument import get_instrument
from safebase.core.scoring import ResponseRange, validate_answers
from safebase.web import access
from safebase.web.assessments.models import Assessment
from safebase.web.practice.models import CheckIn, ExerciseRecord, JournalEntry, TriggerLog
from safebase.web.practice.services import MAX_TEXT


class ExportFileError(SafebaseError):
    """The file is not a safebase export, or one of its records cannot be used."""


Text = Annotated[str, Field(max_length=MAX_TEXT)]
Word = Annotated[str, Field(min_length=1, max_length=40)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="ignore")  # ids of the old installation are not kept
    created_at: AwareDatetime


class AssessmentIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    instrument: str
    status: Literal["in_progress", "complete"]
    started_at: AwareDatetime
    updated_at: AwareDatetime | None = None  # exports before it was added
    completed_at: AwareDatetime | None = None
    answers: dict[str, int | None] = Field(default_factory=dict)
    scores: dict[str, float | None] = Field(default_factory=dict)
    style: str = Field(default="", max_length=40)
    instrument_version: str = Field(default="", max_length=40)  # exports before it was added
    response_low: int | None = Field(default=None, ge=0)
    response_high: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _consistent(self) -> AssessmentIn:
        if self.status == "complete" and self.completed_at is None:
            raise ValueError("a complete result needs its completed_at")
        rng = None
        if self.response_low is not None and self.response_high is not None:
            rng = ResponseRange(self.response_low, self.response_high)
        try:
            inst = get_instrument(self.instrument)
            self.answers = validate_answers(inst, self.answers, rng)  # type: ignore[assignment]
        except SafebaseError as exc:  # reported with the record's place in the file
            raise ValueError(str(exc)) from None
        return self


class CheckInIn(_Record):
    emotion: Word
    family: Word
    intensity: int = Field(ge=0, le=10)
    need: Word
    note: Text = ""


class JournalIn(_Record):
    body: Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]


class TriggerIn(_Record):
    situation: Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
    pattern: str
    what_i_did: Text = ""
    repair: Text = ""

    @field_validator("pattern")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in TriggerLog.Pattern.values:
            raise ValueError(f"'{value}' is not one of {', '.join(TriggerLog.Pattern.values)}")
        return value


class ExerciseIn(_Record):
    """The export spreads a record's fields beside ``exercise``; they are gathered back here."""

    model_config = ConfigDict(extra="allow")
    exercise: Annotated[str, Field(min_length=1, max_length=60)]

    @property
    def data(self) -> dict[str, object]:
        return {k: v for k, v in (self.model_extra or {}).items() if k not in ("id", "shared_with")}

    @model_validator(mode="after")
    def _plain_values(self) -> ExerciseIn:
        for key, value in self.data.items():
            if not isinstance(value, str | int | float) or isinstance(value, bool):
                raise ValueError(f"field '{key}' must be text or a number")
            if isinstance(value, str) and len(value) > MAX_TEXT:
                raise ValueError(f"field '{key}': at most {MAX_TEXT:,} characters")
        if not self.data:
            raise ValueError("an exercise record with no fields")
        return self


class ExportIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    assessments: list[AssessmentIn]
    checkins: list[CheckInIn] = Field(default_factory=list)
    journal: list[JournalIn] = Field(default_factory=list)
    triggers: list[TriggerIn] = Field(default_factory=list)
    exercises: list[ExerciseIn] = Field(default_factory=list)


@dataclass(frozen=True)
class Imported:
    added: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)  # already present

    @property
    def total(self) -> int:
        return sum(self.added.values())


def parse_export(payload: Mapping | str | bytes) -> ExportIn:
    """Validate an export at the edge; errors name the record and field."""
    if isinstance(payload, str | bytes):
        try:
            payload = json.loads(payload)
        except ValueError as exc:
            raise ExportFileError(f"not a safebase export: not JSON ({exc})") from None
    if not isinstance(payload, Mapping) or "assessments" not in payload:
        raise ExportFileError("not a safebase export: no 'assessments' list")
    try:
        return ExportIn.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        message = str(first["msg"]).removeprefix("Value error, ")
        raise ExportFileError(f"{where}: {message}") from None


def _add(
    model: type[models.Model],
    rows: list,
    *,
    key: Callable[[object], tuple],
    existing: set[tuple],
    build: Callable[[object], models.Model],
    dates: Callable[[object], dict[str, datetime]],
) -> tuple[int, int]:
    """Create the rows not already present, then give them their own dates (``auto_now_add``
    would stamp them with today)."""
    new = [row for row in rows if key(row) not in existing]
    objs = model.objects.bulk_create([build(row) for row in new], batch_size=500)  # type: ignore[attr-defined]
    fields: set[str] = set()
    for obj, row in zip(objs, new, strict=True):
        for name, value in dates(row).items():
            setattr(obj, name, value)
            fields.add(name)
    if objs:
        model.objects.bulk_update(objs, sorted(fields), batch_size=500)  # type: ignore[attr-defined]
    return len(new), len(rows) - len(new)


def _created(row: _Record) -> dict[str, datetime]:
    return {"created_at": row.created_at}


def import_export(user, payload: Mapping | str | bytes) -> Imported:
    """Recreate everything in a safebase export as ``user``'s records; all or nothing."""
    data = parse_export(payload)  # before the database is touched
    with transaction.atomic():
        return _save(user, data)


def _save(user, data: ExportIn) -> Imported:
    added: dict[str, int] = {}
    skipped: dict[str, int] = {}

    def present(model: type[models.Model], *fields: str) -> set[tuple]:
        return set(access.own(user, model).values_list(*fields))

    def by_time(row: _Record) -> tuple:
        return (row.created_at,)

    added["assessments"], skipped["assessments"] = _add(
        Assessment,
        data.assessments,
        key=lambda a: (a.instrument, a.started_at),
        existing=present(Assessment, "instrument_id", "started_at"),
        build=lambda a: Assessment(
            owner=user,
            instrument_id=a.instrument,
            status=a.status,
            answers=a.answers,
            scores=a.scores,
            style=a.style,
            instrument_version=a.instrument_version,
            response_low=a.response_low,
            response_high=a.response_high,
            completed_at=a.completed_at,
        ),
        dates=lambda a: {
            "started_at": a.started_at,
            "updated_at": a.updated_at or a.completed_at or a.started_at,
        },
    )
    added["checkins"], skipped["checkins"] = _add(
        CheckIn,
        data.checkins,
        key=by_time,
        existing=present(CheckIn, "created_at"),
        build=lambda c: CheckIn(
            owner=user,
            emotion=c.emotion,
            family=c.family,
            intensity=c.intensity,
            need=c.need,
            note=c.note,
        ),
        dates=_created,
    )
    added["journal"], skipped["journal"] = _add(
        JournalEntry,
        data.journal,
        key=by_time,
        existing=present(JournalEntry, "created_at"),
        build=lambda j: JournalEntry(owner=user, body=j.body),
        dates=_created,
    )
    added["triggers"], skipped["triggers"] = _add(
        TriggerLog,
        data.triggers,
        key=by_time,
        existing=present(TriggerLog, "created_at"),
        build=lambda t: TriggerLog(
            owner=user,
            situation=t.situation,
            pattern=t.pattern,
            what_i_did=t.what_i_did,
            repair=t.repair,
        ),
        dates=_created,
    )
    added["exercises"], skipped["exercises"] = _add(
        ExerciseRecord,
        data.exercises,
        key=lambda e: (e.exercise, e.created_at),
        existing=present(ExerciseRecord, "exercise_id", "created_at"),
        build=lambda e: ExerciseRecord(owner=user, exercise_id=e.exercise, data=e.data),
        dates=_created,
    )
    return Imported(added, skipped)
