"""Request parameters of the family pages, parsed by Django forms at the edge.

The services check meaning (a year in range, a sign in the band's list); these forms make sure
whatever arrives over HTTP becomes a value of the right type first, so no input reaches a service
as an exception.
"""

from __future__ import annotations

from datetime import date

from django import forms

from safebase.core import caregiving
from safebase.web.family.models import MAX_NAME
from safebase.web.practice.forms import FirstErrorMixin
from safebase.web.practice.services import MAX_TEXT

EARLIEST_DAY = date(1900, 1, 1)
UNIT_MINUTES = {"minutes": 1, "hours": 60, "days": 24 * 60}


def _text(label: str, *, required: bool = False) -> forms.CharField:
    return forms.CharField(label=label, max_length=MAX_TEXT, required=required, strip=True)


class AddChildForm(FirstErrorMixin, forms.Form):
    name = forms.CharField(label="First name or nickname", max_length=MAX_NAME, strip=True)
    birth_year = forms.IntegerField(label="Birth year", min_value=1900, max_value=9999)


def _rating(label: str) -> forms.IntegerField:
    low, high, _ = caregiving.scale()
    return forms.IntegerField(label=label, min_value=low, max_value=high)


class FiveConditionsForm(FirstErrorMixin, forms.Form):
    note = _text("Note")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for cond in caregiving.five_conditions():
            self.fields[cond.id] = _rating(cond.title)

    def ratings(self) -> dict[str, int]:
        return {c: self.cleaned_data[c] for c in caregiving.condition_ids()}


class SignsForm(FirstErrorMixin, forms.Form):
    age_band = forms.ChoiceField(
        label="Age band", choices=[(b.id, b.title) for b in caregiving.age_bands()]
    )
    noticed = forms.MultipleChoiceField(
        label="Signs noticed",
        required=False,
        choices=[(s.id, s.text) for b in caregiving.age_bands() for s in b.signs],
    )
    note = _text("Note")


class AttunedForm(FirstErrorMixin, forms.Form):
    read = _text("What you read", required=True)
    respond = _text("How you responded")
    received = _text("How it landed")
    next_time = _text("Next time")


class RepairForm(FirstErrorMixin, forms.Form):
    what_happened = _text("What happened", required=True)
    reconnect = _text("What you did to reconnect", required=True)
    took = forms.IntegerField(label="How long it took", min_value=0, max_value=100_000)
    unit = forms.ChoiceField(label="Unit", choices=[(u, u) for u in UNIT_MINUTES])
    happened_on = forms.DateField(label="When", required=False)

    def clean_happened_on(self):
        day = self.cleaned_data.get("happened_on")
        if day is not None and day < EARLIEST_DAY:
            raise forms.ValidationError("that date is too early")
        return day

    def minutes(self) -> int:
        return self.cleaned_data["took"] * UNIT_MINUTES[self.cleaned_data["unit"]]
