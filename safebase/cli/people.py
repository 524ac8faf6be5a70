"""Who a command acts for, and the commands between people: accounts, partners, sharing.

Single-person mode (the default) has one local person and needs no name. In multi-account mode
(``SAFEBASE_MULTI_USER=1``: a household or a practice sharing one installation) every command
acts for ``--user NAME`` or ``SAFEBASE_USER``; a command never guesses whose data to touch.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from safebase.core.errors import SafebaseError

user_app = typer.Typer(help="Accounts (multi-account mode).", no_args_is_help=True)
partner_app = typer.Typer(
    help="Link with a partner by invitation, see the link, or unlink.", no_args_is_help=True
)

_chosen: dict[str, str | None] = {"user": None}


def choose_user(name: str | None) -> None:
    """Remember ``--user`` (main() lifts it from anywhere on the command line)."""
    _chosen["user"] = name


def _console() -> Console:
    from safebase.cli.app import console

    return console


def _setup() -> None:
    from safebase.web.bootstrap import setup_django

    setup_django()


def current_person():
    """The account this command acts for; a clear error rather than a guess."""
    _setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model

    name = _chosen["user"] or os.environ.get("SAFEBASE_USER") or None
    if not settings.MULTI_USER:
        if _chosen["user"]:
            raise SafebaseError(
                "--user needs multi-account mode (SAFEBASE_MULTI_USER=1); "
                "single-person mode has one person"
            )
        from safebase.web.assessments.services import local_owner

        return local_owner()
    if not name:
        raise SafebaseError("multi-account mode: say who you are with --user NAME or SAFEBASE_USER")
    person = get_user_model().objects.filter(username=name).first()
    if person is None:
        raise SafebaseError(f"no account named '{name}'; create it with `safebase user add {name}`")
    return person


def _ask_password() -> str:
    """Asked twice, unseen, at a terminal; from a pipe (a setup script), two lines of stdin."""
    if sys.stdin.isatty():
        try:
            return typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        except typer.Abort:
            raise SafebaseError("no password given; nothing was created") from None
    first, again = sys.stdin.readline().rstrip("\n"), sys.stdin.readline().rstrip("\n")
    if not first:
        raise SafebaseError("no password given on standard input; nothing was created")
    if first != again:
        raise SafebaseError("the two passwords differ; nothing was created")
    return first


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="The new account's user name.")],
) -> None:
    """Create an account; the password is asked for twice and never echoed."""
    _setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.core.validators import RegexValidator

    if not settings.MULTI_USER:
        raise SafebaseError("accounts are for multi-account mode: set SAFEBASE_MULTI_USER=1")
    users = get_user_model()
    try:
        RegexValidator(r"^[\w.@+-]{1,150}\Z", "letters, digits and @ . + - _ only")(name)
    except ValidationError as e:
        raise SafebaseError(f"user name '{name[:40]}': {e.messages[0]}") from None
    if users.objects.filter(username=name).exists():
        raise SafebaseError(f"an account named '{name}' already exists")
    password = _ask_password()
    candidate = users(username=name)
    try:
        validate_password(password, candidate)
    except ValidationError as e:
        raise SafebaseError(f"password: {e.messages[0]}") from None
    users.objects.create_user(name, password=password)
    _console().print(f"Account '{name}' created. Sign in on the web app, or use --user {name}.")


@partner_app.command("invite")
def partner_invite() -> None:
    """A code for your partner (single use, 48 hours). Linking shares nothing by itself."""
    from safebase.web.relationships import services

    invitation = services.invite(current_person())
    c = _console()
    c.print(f"Invitation code: {invitation.code}")
    c.print(
        f"Your partner accepts it with `safebase partner accept {invitation.code}` or on the "
        f"Together page; it works once, until {invitation.expires_at:%Y-%m-%d %H:%M} UTC."
    )


@partner_app.command("accept")
def partner_accept(code: Annotated[str, typer.Argument(help="The code your partner gave you.")]):
    """Link with the partner who gave you this code."""
    from safebase.web.relationships import services

    partner = services.accept(current_person(), code)
    _console().print(
        Text(f"Linked with {partner.get_username()}. Nothing is shared until you share it.")
    )


@partner_app.command("unlink")
def partner_unlink(
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask to confirm.")] = False,
) -> None:
    """End the link: from then on neither of you sees anything the other shared."""
    from safebase.web.relationships import services

    person = current_person()
    partner = services.partner_of(person)
    if partner is None:
        raise SafebaseError("you are not linked with a partner")
    if not yes:
        try:
            sure = typer.confirm(f"Unlink from {partner.get_username()}?", default=False)
        except typer.Abort:
            sure = False
        if not sure:
            _console().print("Still linked; nothing changed.")
            return
    services.unlink(person)
    _console().print(Text(f"Unlinked from {partner.get_username()}."))


@partner_app.command("status")
def partner_status() -> None:
    """Who you are linked with, and what each of you shares."""
    from safebase.web.relationships import services

    person = current_person()
    partner = services.partner_of(person)
    if partner is None:
        _console().print("Not linked. Start with `safebase partner invite`.")
        return
    mine = services.shares_by(person)
    c = _console()
    c.print(Text(f"Linked with {partner.get_username()}."))
    c.print(f"You share {len(mine)} item(s); {partner.get_username()} shares with you:")
    from safebase.web.relationships.shareable import LABELS

    for kind, label in LABELS.items():
        count = services.shared_with(person, kind).count()
        if count:
            c.print(f"  {label}: {count}")


def _item(person, kind: str, item_id: str):
    from safebase.core.numbers import parse_whole_number, shorten
    from safebase.web import access
    from safebase.web.relationships.shareable import SHAREABLE, model_for

    model = model_for(kind)
    if model is None:
        raise SafebaseError(f"kind '{shorten(kind)}' is not one of {', '.join(SHAREABLE)}")
    pk = parse_whole_number(item_id)
    if pk is None:
        raise SafebaseError(f"id '{shorten(item_id)}' is not a whole number")
    obj = access.own(person, model).filter(pk=pk).first() if 0 < pk < 2**63 else None
    if obj is None:
        raise SafebaseError(f"you have no {kind} with id {shorten(item_id)}")
    return obj


KIND_HELP = "result, checkin, journal, trigger or exercise"


def share(
    kind: Annotated[str, typer.Argument(help=KIND_HELP)],
    item_id: Annotated[str, typer.Argument(metavar="ID", help="The item's id.")],
    yes: Annotated[
        bool, typer.Option("--yes", help="Share even text that may be about risk of harm.")
    ] = False,
) -> None:
    """Let your linked partner see one item (read-only); `safebase unshare` takes it back."""
    from safebase.core.practice import safety
    from safebase.web.relationships import services
    from safebase.web.relationships.shareable import text_of

    person = current_person()
    obj = _item(person, kind, item_id)
    if not yes and safety.screen_text(text_of(obj)).risk:
        try:
            sure = typer.confirm(
                "Some words in it may be about being at risk of harm. Share it anyway?",
                default=False,
            )
        except typer.Abort:
            sure = False
        if not sure:
            _console().print("Not shared. `safebase help-now` lists people you can reach.")
            return
    services.share(person, obj)
    partner = services.partner_of(person)
    _console().print(Text(f"Shared {kind} {obj.pk} with {partner.get_username()} (read-only)."))


def unshare(
    kind: Annotated[str, typer.Argument(help=KIND_HELP)],
    item_id: Annotated[str, typer.Argument(metavar="ID", help="The item's id.")],
) -> None:
    """Stop sharing one item: only you can see it again."""
    from safebase.web.relationships import services

    person = current_person()
    services.unshare(person, _item(person, kind, item_id))
    _console().print(f"No longer shared: only you can see {kind} {item_id}.")


def lift_user_option(args: list[str]) -> list[str]:
    """``--user NAME`` may stand anywhere on the line; it is taken out and remembered."""
    out: list[str] = []
    rest = iter(args)
    for arg in rest:
        if arg == "--user":
            value = next(rest, None)
            if value is None:
                raise SafebaseError("--user needs a name")
            choose_user(value)
        elif arg.startswith("--user="):
            choose_user(arg.split("=", 1)[1])
        else:
            out.append(arg)
    return out
