"""Request parameters of the couple pages, parsed by Django forms at the edge."""

from __future__ import annotations

from django import forms

from safebase.core.couple.rituals import REPAIR_STEPS, RITUALS, Kind
from safebase.core.couple.signs import SIGNS
from safebase.core.practice.emotions import NEEDS, WORD_TO_FAMILY
from safebase.web.practice.forms import FirstErrorMixin
from safebase.web.practice.services import MAX_TEXT


def _text(label: str, *, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, max_length=MAX_TEXT, required=required, strip=True)


class RitualForm(FirstErrorMixin, forms.Form):
    def __init__(self, kind: Kind, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for prompt in RITUALS[kind].prompts:
            field: forms.Field
            if kind == Kind.COREGULATE and prompt.name == "feeling":
                field = forms.ChoiceField(choices=[(w, w) for w in WORD_TO_FAMILY])
            elif kind == Kind.COREGULATE and prompt.name == "need":
                field = forms.ChoiceField(choices=[(n, n) for n in NEEDS])
            else:
                field = _text(prompt.label)
            field.label = prompt.label
            self.fields[prompt.name] = field


class RepairStepsForm(FirstErrorMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for step in REPAIR_STEPS:
            self.fields[step.name] = _text(step.label)


class StartRepairForm(RepairStepsForm):
    about = _text("What it is about")
    ruptured_at = forms.DateTimeField(
        label="When it happened",
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )

    def clean_ruptured_at(self):
        """A moment before 2000 is a typo (and year 1 overflows in zones east of UTC)."""
        when = self.cleaned_data.get("ruptured_at")
        if when is not None and when.year < 2000:
            raise forms.ValidationError("Choose a moment from the year 2000 on.")
        return when


class SignsForm(FirstErrorMixin, forms.Form):
    about = forms.ChoiceField(label="About", choices=[("self", "me"), ("partner", "my partner")])
    signs = forms.TypedMultipleChoiceField(
        label="Signs",
        choices=[(str(s.number), str(s.number)) for s in SIGNS],
        coerce=int,
        required=False,
    )
    note = _text("Note", required=False)


class SignsAboutForm(forms.Form):
    """``?about=partner`` on the checklist page."""

    about = forms.ChoiceField(choices=[("self", "self"), ("partner", "partner")], required=False)


COACH_FIELDS = (
    "feel",
    "need",
    "appreciation",
    "hard",
    "request",
    "worked",
    "change",
    "about",
    *tuple(s.name for s in REPAIR_STEPS),
)


class CoachForm(forms.Form):
    """Which text box the coach reads: the page sends its name with ``hx-vals``."""

    field = forms.ChoiceField(choices=[(f, f) for f in COACH_FIELDS])
