"""Request parameters of the practice pages, parsed by Django forms at the edge.

The services check meaning (a word in the vocabulary, a pattern that exists); these forms make
sure that whatever arrives over HTTP becomes a value of the right type first, so no input — text
where a number belongs, unicode digits, a date beyond the calendar — can reach a service as an
exception.
"""

from __future__ import annotations

from datetime import date

from django import forms

from safebase.core.practice.emotions import NEEDS, WORD_TO_FAMILY
from safebase.core.practice.exercises import Exercise
from safebase.web.practice.models import TriggerLog
from safebase.web.practice.services import MAX_TEXT

EARLIEST_WEEK = date(2000, 1, 3)  # a Monday; earlier weeks cannot hold practice records


class FirstErrorMixin:
    def first_error(self) -> str:
        errors = self.errors  # type: ignore[attr-defined]
        for name, messages in errors.items():
            field = self.fields.get(name)  # type: ignore[attr-defined]
            label = field.label if field is not None and field.label else name
            return f"{label}: {messages[0]}"
        return ""


def _text(label: str, *, required: bool = False) -> forms.CharField:
    return forms.CharField(label=label, max_length=MAX_TEXT, required=required, strip=True)


class CheckInForm(FirstErrorMixin, forms.Form):
    emotion = forms.ChoiceField(label="Feeling", choices=[(w, w) for w in WORD_TO_FAMILY])
    intensity = forms.IntegerField(label="Intensity", min_value=0, max_value=10)
    need = forms.ChoiceField(label="Need", choices=[(n, n) for n in NEEDS])
    note = _text("Note")


class JournalForm(FirstErrorMixin, forms.Form):
    body = _text("Entry", required=True)


class TriggerForm(FirstErrorMixin, forms.Form):
    situation = _text("Situation", required=True)
    pattern = forms.ChoiceField(label="Pattern", choices=TriggerLog.Pattern.choices)
    what_i_did = _text("What I did")
    repair = _text("Repair")


class ExerciseForm(FirstErrorMixin, forms.Form):
    """The fields an exercise's data file declares."""

    def __init__(self, exercise: Exercise, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, spec in exercise.fields.items():
            field: forms.Field
            if spec.type == "scale":
                field = forms.IntegerField(
                    min_value=spec.min or 0, max_value=spec.max or 10, required=False
                )
            elif spec.type == "choice":
                field = forms.ChoiceField(
                    choices=[("", "—"), *((c, c) for c in spec.choices)], required=False
                )
            else:
                field = _text(spec.label)
            field.label = spec.label
            self.fields[name] = field

    def data_for_service(self) -> dict[str, object]:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class WeekForm(forms.Form):
    """``?week=YYYY-MM-DD`` on the progress page: any day of the week to show."""

    week = forms.DateField(required=False, input_formats=["%Y-%m-%d"])

    def week_start(self, today: date) -> date:
        """The Monday of the chosen week, never before 2000 nor after the current week."""
        this_monday = today.fromordinal(today.toordinal() - today.weekday())
        chosen = self.cleaned_data.get("week") if self.is_valid() else None
        if chosen is None:
            return this_monday
        monday = chosen.fromordinal(chosen.toordinal() - chosen.weekday())
        return min(max(monday, EARLIEST_WEEK), this_monday)


class PlanBasisForm(forms.Form):
    """Which of the person's dimensional results the plan follows ('' = always the latest)."""

    def __init__(self, results, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result"] = forms.TypedChoiceField(
            choices=[("", "the latest"), *((str(r.pk), str(r.pk)) for r in results)],
            coerce=int,
            empty_value=None,
            required=False,
        )
