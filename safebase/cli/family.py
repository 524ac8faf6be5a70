"""``safebase child``: a caregiver's children and the weekly five-conditions self-check.

A child is a first name or nickname and a birth year, nothing more; the check-in is the
caregiver's own reflection (not a measure) about what the child has had this week.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from safebase.core.errors import SafebaseError

child_app = typer.Typer(
    help="Parents and caregivers: add a child, the weekly five-conditions check-in, list.",
    no_args_is_help=True,
)


def _console():
    from safebase.cli.app import console

    return console


@child_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="A first name or nickname.")],
    born: Annotated[str, typer.Option("--born", help="The birth year, e.g. 2021.")],
) -> None:
    """Add a child you care for: a first name or nickname and a birth year only."""
    from safebase.cli.people import current_person
    from safebase.core.numbers import parse_whole_number, shorten

    year = parse_whole_number(born)
    if year is None:
        raise SafebaseError(f"--born: '{shorten(born)}' is not a year")
    person = current_person()
    from safebase.web.family import services

    saved = services.add_child_screened(person, name, year)
    _console().print(Text(f"Added {saved.obj.name} (born {saved.obj.birth_year})."))
    if saved.show_resources:
        from safebase.cli.practice import crisis_panel

        _console().print(crisis_panel(gentle=saved.gentle, category=saved.screen.kind))


@child_app.command("list")
def list_children() -> None:
    """The children you care for."""
    from safebase.cli.people import current_person

    person = current_person()
    from safebase.web.family import services

    children = services.children_of(person)
    if not children:
        _console().print("No children yet. Add one with `safebase child add NAME --born YEAR`.")
    for c in children:
        _console().print(Text(f"{c.name} (born {c.birth_year})"))


def _ask_rating(condition, low: int, high: int, labels) -> int:
    from safebase.core.numbers import parse_whole_number

    c = _console()
    scale = ", ".join(f"{low + i} {label}" for i, label in enumerate(labels))
    for _ in range(5):
        try:
            answer = c.input(f"{condition.title} ({scale}): ")
        except EOFError:
            c.print("Stopped; nothing was saved.")
            raise typer.Exit(0) from None
        value = parse_whole_number(answer)
        if value is not None and low <= value <= high:
            return value
        c.print(Text(f"Type a whole number from {low} to {high}.", style="red"))
    raise SafebaseError(f"{condition.id}: no valid rating after 5 tries")


@child_app.command("checkin")
def checkin(
    name: Annotated[str, typer.Argument(help="The child's name, as you added it.")],
    note: Annotated[str | None, typer.Option(help="A short note (encrypted).")] = None,
) -> None:
    """This week's five-conditions self-check for one child (reflection, not a measure)."""
    from safebase.cli.people import current_person
    from safebase.core import caregiving

    person = current_person()
    from safebase.web.family import services

    child = services.find_child(person, name)
    low, high, labels = caregiving.scale()
    c = _console()
    c.print(
        Text(f"This week with {child.name}: how much did each happen? (reflection, not a measure)")
    )
    ratings = {
        cond.id: _ask_rating(cond, low, high, labels) for cond in caregiving.five_conditions()
    }
    saved = services.record_five_conditions(person, child, ratings, note or "")
    c.print(Text(f"Saved this week's check-in for {child.name}."))
    for row in services.trend(services.five_conditions_checks(person, child)):
        c.print(Text(f"  {row.condition.title}: {row.latest} — {row.word}"))
    if saved.show_resources:
        from safebase.cli.practice import crisis_panel

        c.print(crisis_panel(gentle=saved.gentle, category=saved.screen.kind))
