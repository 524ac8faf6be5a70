"""Request parameters of the questionnaire pages, parsed by Django forms at the edge.

Nothing from a request reaches the scorer unparsed: a value that is not one of the item's
response options (unicode digits such as '²', 5,000-digit numbers, text) is a form error that
re-renders the page with a message, never a server error.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms

from safebase.core.instrument import Item

MAX_ID = 2**63 - 1


def field_name(item: Item) -> str:
    return f"item_{item.key}"


class AnswersForm(forms.Form):
    """One field per item on a page; blank means not answered (yet)."""

    def __init__(self, items: Iterable[Item], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            label = f"{item.label or item.number}"
            self.fields[field_name(item)] = forms.TypedChoiceField(
                choices=[("", "—")] + [(str(o.value), str(o.value)) for o in item.response.options],
                coerce=int,
                empty_value=None,
                required=False,
                label=f"Item {label}",
                error_messages={
                    "invalid_choice": f"Item {label}: choose one of the answers shown.",
                },
            )

    def answers(self) -> dict[str, int]:
        """The chosen answers by item key; blank or absent items are left out (not cleared)."""
        chosen = ((item.key, self.cleaned_data.get(field_name(item))) for item in self.items)
        return {key: value for key, value in chosen if value is not None}

    def first_error(self) -> str:
        return next(iter(e for errors in self.errors.values() for e in errors), "")


class CompareForm(forms.Form):
    """``?a=&b=`` on the history page: two result ids to compare."""

    a = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    b = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False)

    def pair(self) -> tuple[int, int] | None:
        if not self.is_valid():
            return None
        a, b = self.cleaned_data.get("a"), self.cleaned_data.get("b")
        return (a, b) if a and b else None
