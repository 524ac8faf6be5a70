"""The kinds of object a person can share item by item, and how to read their text.

One registry, used by the access policy, the share buttons, the Together page and the export.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models

# kind (as in URLs and the CLI) -> model label
SHAREABLE: dict[str, str] = {
    "result": "assessments.Assessment",
    "checkin": "practice.CheckIn",
    "journal": "practice.JournalEntry",
    "trigger": "practice.TriggerLog",
    "exercise": "practice.ExerciseRecord",
}

PLURALS: dict[str, str] = {
    "result": "Results",
    "checkin": "Check-ins",
    "journal": "Journal entries",
    "trigger": "Trigger log entries",
    "exercise": "Exercise records",
}

LABELS: dict[str, str] = {
    "result": "Result",
    "checkin": "Check-in",
    "journal": "Journal entry",
    "trigger": "Trigger log entry",
    "exercise": "Exercise record",
}


def model_for(kind: str) -> type[models.Model] | None:
    label = SHAREABLE.get(kind)
    return apps.get_model(label) if label else None


def kind_of(model_or_obj) -> str | None:
    label = model_or_obj._meta.label
    return next((k for k, v in SHAREABLE.items() if v == label), None)


def can_be_shared(obj) -> bool:
    """Only finished results are shared: a half-answered questionnaire means nothing yet."""
    if kind_of(obj) == "result":
        return obj.status == obj.Status.COMPLETE
    return kind_of(obj) is not None


def text_of(obj) -> str:
    """The free text an item holds, for the safety screen (never for display elsewhere)."""
    kind = kind_of(obj)
    if kind == "journal":
        return obj.body
    if kind == "checkin":
        return obj.note
    if kind == "trigger":
        return "\n".join(t for t in (obj.situation, obj.what_i_did, obj.repair) if t)
    if kind == "exercise":
        return "\n".join(v for v in obj.data.values() if isinstance(v, str))
    return ""
