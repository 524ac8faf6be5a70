"""The report form: a period (both ends optional: all time) and whether to add practice counts."""

from __future__ import annotations

from datetime import date

from django import forms

EARLIEST = date(2000, 1, 1)  # before safebase existed: an earlier "from" is a typo


class ReportForm(forms.Form):
    start = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty to start with your first result.",
    )
    end = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty to include your latest result.",
    )
    practice = forms.BooleanField(
        label="Include a summary of my practice (counts of check-ins, exercises and journal "
        "entries; never their text)",
        required=False,
        initial=True,
    )

    def clean_start(self) -> date | None:
        start = self.cleaned_data.get("start")
        if start is not None and start < EARLIEST:
            raise forms.ValidationError(f"Choose a date from {EARLIEST:%-d %B %Y} on.")
        return start

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError("The “from” date is after the “to” date.")
        return data
