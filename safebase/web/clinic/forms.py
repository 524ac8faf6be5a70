"""Request parameters of the clinic pages, parsed at the edge (bad input: a message, never a
500)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from safebase.core.instrument import all_instruments
from safebase.web.relationships.shareable import SHAREABLE

MAX_ID = 2**63 - 1


def _instrument_choices() -> list[tuple[str, str]]:
    return [(i.id, f"{i.spec.short_name} — {i.name}") for i in all_instruments().values()]


class FirstError:
    def first_error(self) -> str:
        return next(iter(e for errors in self.errors.values() for e in errors), "")  # type: ignore[attr-defined]


class TherapistForm(FirstError, forms.Form):
    email = forms.EmailField(label="Therapist's email", max_length=150)


class PracticeReferenceForm(FirstError, forms.Form):
    """The practice's reference sample for one instrument ("": each client's own choice)."""

    instrument = forms.ChoiceField(label="Questionnaire", choices=())
    sample = forms.CharField(label="Reference sample", max_length=120, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = _instrument_choices()


class NoLoginClientForm(FirstError, forms.Form):
    name = forms.CharField(
        label="Name or pseudonym",
        max_length=80,
        help_text="No email is needed; a pseudonym keeps the record anonymous.",
    )


EARLIEST, LATEST = date(2000, 1, 1), date(2999, 12, 31)


def _bounded(field: forms.DateField) -> forms.DateField:
    """Dates far outside any therapy (year 1, year 9999) overflow date arithmetic in some time
    zones: refused at the edge with a message."""
    field.validators.append(MinValueValidator(EARLIEST, f"Choose a date from {EARLIEST} on."))
    field.validators.append(MaxValueValidator(LATEST, f"Choose a date before {LATEST}."))
    return field


class SinceForm(forms.Form):
    since = _bounded(forms.DateField(required=False, label="Show what is new since"))


class SessionForm(FirstError, forms.Form):
    session_date = _bounded(forms.DateField(label="Session date"))


class AssignForm(FirstError, forms.Form):
    instrument = forms.ChoiceField(label="Questionnaire", choices=_instrument_choices)
    every_weeks = forms.IntegerField(
        label="Repeat every (weeks; empty: once)", min_value=1, max_value=52, required=False
    )
    window_days = forms.IntegerField(
        label="Answer window (days)", min_value=1, max_value=60, initial=7
    )
    first_due = _bounded(forms.DateField(label="First due", required=False))


class NoteForm(FirstError, forms.Form):
    session_date = _bounded(forms.DateField(label="Session date"))
    body = forms.CharField(label="Note", widget=forms.Textarea, max_length=20_000)


class NoteShareForm(forms.Form):
    shared = forms.TypedChoiceField(choices=[("1", "share"), ("0", "unshare")], coerce=int)


class ItemShareForm(forms.Form):
    """A client's choice about one item for one therapist."""

    record = forms.IntegerField(min_value=1, max_value=MAX_ID)
    kind = forms.ChoiceField(choices=[(k, k) for k in SHAREABLE])
    item = forms.IntegerField(min_value=1, max_value=MAX_ID)
    share = forms.TypedChoiceField(choices=[("1", "share"), ("0", "unshare")], coerce=int)


class MeasureShareForm(forms.Form):
    record = forms.IntegerField(min_value=1, max_value=MAX_ID)
    instrument = forms.ChoiceField(choices=_instrument_choices)
    share = forms.TypedChoiceField(choices=[("1", "share"), ("0", "unshare")], coerce=int)
