"""``safebase clinic``: the practice's accounts, from the command line.

A practice owner (or whoever installs safebase for a practice) creates therapist accounts here;
the web app's practice page does the same. Therapists sign in with a password, so this needs
multi-account mode (``SAFEBASE_MULTI_USER=1``), usually on PostgreSQL (``DATABASE_URL``).
"""

from __future__ import annotations

from typing import Annotated

import typer

from safebase.core.errors import SafebaseError

clinic_app = typer.Typer(
    help="Therapists and practices: create therapist accounts.", no_args_is_help=True
)


@clinic_app.command("add-therapist")
def add_therapist(
    email: Annotated[str, typer.Argument(help="The therapist's email; it is their user name.")],
    practice_owner: Annotated[
        bool,
        typer.Option("--practice-owner", help="Also let them create therapist accounts."),
    ] = False,
) -> None:
    """Create a therapist account and print its temporary password once."""
    from safebase.cli.app import console
    from safebase.web.bootstrap import setup_django

    setup_django()
    from django.conf import settings

    from safebase.web.clinic import roles

    if not settings.MULTI_USER:
        raise SafebaseError(
            "therapist accounts need multi-account mode: set SAFEBASE_MULTI_USER=1 "
            "(and DATABASE_URL for PostgreSQL)"
        )
    user, password = roles.add_therapist(email, practice_owner=practice_owner)
    role = "practice owner and therapist" if practice_owner else "therapist"
    console.print(f"Created {role} account {user.get_username()}.")
    console.print(f"Temporary password (shown once; change it after logging in): {password}")


def client_record_for(therapist, text: str):
    """One of the therapist's active clients, by the number `safebase clinic clients` shows or
    by their name exactly (any case); a clear error otherwise."""
    from safebase.core.numbers import parse_whole_number, shorten
    from safebase.web.clinic import roles, services

    if not roles.is_therapist(therapist):
        raise SafebaseError("--client: only a therapist account has clients (see --user)")
    records = list(services.caseload_records(therapist))
    number = parse_whole_number(text)
    found = [r for r in records if r.pk == number] if number is not None else []
    if not found:
        found = [r for r in records if r.display_name.casefold() == text.strip().casefold()]
    if len(found) > 1:
        raise SafebaseError(f"--client: {len(found)} clients are called that; use the number")
    if not found:
        raise SafebaseError(
            f"--client: no client '{shorten(text)}' in your caseload (`safebase clinic clients`)"
        )
    return found[0]


@clinic_app.command("clients")
def clients() -> None:
    """The therapist's active clients, with the number other commands' --client takes."""
    from rich.text import Text

    from safebase.cli.app import console
    from safebase.cli.people import current_person

    therapist = current_person()
    from safebase.web.clinic import roles, services

    if not roles.is_therapist(therapist):
        raise SafebaseError("only a therapist account has clients (see --user)")
    records = list(services.caseload_records(therapist))
    if not records:
        console.print("No clients yet: invite one on the caseload page (/clinic/).")
    for r in records:
        console.print(Text(f"{r.pk}  {r.display_name}  ({r.get_kind_display()})"))
