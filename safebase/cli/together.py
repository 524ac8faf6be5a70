"""``safebase repair``: a repair between linked partners, from the terminal.

The same three steps as the web flow (own your part, acknowledge their experience, offer a path
forward), the same services, the I-statement coach after each step and the safety screen on all
of it. Ids are the repair's number as ``safebase repair list`` shows it.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from safebase.core.errors import SafebaseError

repair_app = typer.Typer(
    help="Repair after a rupture, with your linked partner: start, respond, done, list.",
    no_args_is_help=True,
)


def _console():
    from safebase.cli.app import console

    return console


def _coach(text: str) -> None:
    from safebase.core.practice.istatement import check_statement

    result = check_statement(text)
    c = _console()
    for flag in result.flags:
        c.print(Text(f"  coach: “{flag.matched}” — {flag.why}", style="magenta"))
    if result.rewrite:
        c.print(Text(f"  coach: try “{result.rewrite}”", style="green"))


def _steps(given: dict[str, str | None]) -> dict[str, str]:
    """Each step from its option, or asked for; the coach comments on each answer."""
    from safebase.core.couple.rituals import REPAIR_EXAMPLES, REPAIR_STEPS

    c = _console()
    steps: dict[str, str] = {}
    for step in REPAIR_STEPS:
        text = given.get(step.name)
        if text is None:
            try:
                text = c.input(f"{step.label} ({REPAIR_EXAMPLES[step.name]}): ")
            except EOFError:
                c.print("Stopped; nothing was saved.")
                raise typer.Exit(0) from None
        if not text.strip():
            raise SafebaseError(f"{step.label}: please write something")
        _coach(text)
        steps[step.name] = text
    return steps


def _repair_id(text: str) -> int:
    from safebase.core.numbers import parse_whole_number, shorten

    pk = parse_whole_number(text)
    if pk is None or not 0 < pk < 2**63:
        raise SafebaseError(f"repair id '{shorten(text)}' is not a repair number")
    return pk


def _not_found(pk: int):
    return SafebaseError(
        f"no repair {pk} between you and your partner (see `safebase repair list`)"
    )


def _show_crisis(saved) -> None:
    if saved.show_resources:
        from safebase.cli.practice import crisis_panel

        _console().print(crisis_panel(gentle=saved.gentle, category=saved.screen.kind))


# The three steps as options (each asked for when left out), the same for both partners.
OwnPart = Annotated[str | None, typer.Option("--own-part", help="Own your part.")]
Acknowledge = Annotated[
    str | None, typer.Option("--acknowledge", help="Acknowledge their experience.")
]
PathForward = Annotated[str | None, typer.Option("--path-forward", help="Offer a path forward.")]


@repair_app.command("start")
def start(
    about: Annotated[str, typer.Argument(help='The moment, e.g. "last night\'s argument".')],
    own_part: OwnPart = None,
    acknowledge: Acknowledge = None,
    path_forward: PathForward = None,
) -> None:
    """Start a repair about a moment; your partner then responds with the same three steps."""
    from safebase.cli.people import current_person

    person = current_person()
    from safebase.web.couple import services
    from safebase.web.relationships.services import partner_of

    if not about.strip():
        raise SafebaseError("about: say which moment the repair is about")
    if partner_of(person) is None:  # said before any question
        raise SafebaseError("link with your partner first (`safebase partner invite`)")
    steps = _steps({"own_part": own_part, "acknowledge": acknowledge, "path_forward": path_forward})
    saved, _part = services.start_repair(owner=person, about=about, ruptured_at=None, steps=steps)
    _console().print(f"Repair {saved.obj.pk} started; your partner can respond to it now.")
    _show_crisis(saved)


@repair_app.command("respond")
def respond(
    repair_id: Annotated[str, typer.Argument(metavar="ID", help="The repair's number.")],
    own_part: OwnPart = None,
    acknowledge: Acknowledge = None,
    path_forward: PathForward = None,
) -> None:
    """Answer a repair your partner started, with the same three steps."""
    from django.http import Http404

    from safebase.cli.people import current_person

    person = current_person()
    from safebase.web import access
    from safebase.web.couple import services
    from safebase.web.couple.models import Repair

    pk = _repair_id(repair_id)
    try:
        repair = access.get_or_404(person, Repair, pk)
    except Http404:
        raise _not_found(pk) from None
    view = services.repair_view(person, repair)
    if view.theirs is not None:
        c = _console()
        c.print(Text(f"About: {view.about}"))
        c.print(Text(f"They own: {view.theirs.own_part}"))
        c.print(Text(f"They acknowledge: {view.theirs.acknowledge}"))
        c.print(Text(f"Their path forward: {view.theirs.path_forward}"))
    steps = _steps({"own_part": own_part, "acknowledge": acknowledge, "path_forward": path_forward})
    saved = services.respond_to_repair(owner=person, repair_id=pk, steps=steps)
    _console().print(
        f"Your steps are saved on repair {pk}. Mark it with `safebase repair done {pk}`."
    )
    _show_crisis(saved)


@repair_app.command("done")
def done(repair_id: Annotated[str, typer.Argument(metavar="ID", help="The repair's number.")]):
    """Mark a repair repaired on your side; it is repaired when both of you have."""
    from django.http import Http404

    from safebase.cli.people import current_person

    person = current_person()
    from safebase.web.couple import services

    pk = _repair_id(repair_id)
    try:
        repair = services.mark_repaired(owner=person, repair_id=pk)
    except Http404:
        raise _not_found(pk) from None
    if repair.repaired_at:
        _console().print(f"Repair {pk} is repaired: you both marked it.")
    else:
        _console().print(f"Marked on your side; repair {pk} waits for your partner.")


@repair_app.command("list")
def list_repairs() -> None:
    """Your repairs with your partner, newest first, and whether each is repaired."""
    from safebase.cli.people import current_person

    person = current_person()
    from safebase.web.couple import services

    rows = list(services.repairs_of(person)[:50])
    if not rows:
        _console().print('No repairs yet. Start one with `safebase repair start "…"`.')
        return
    for r in rows:
        state = f"repaired {r.repaired_at:%Y-%m-%d}" if r.repaired_at else "open"
        _console().print(f"{r.pk}  {r.ruptured_at:%Y-%m-%d %H:%M}  {state}")
