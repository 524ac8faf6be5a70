"""``safebase fhir export`` and ``safebase fhir import``: thin shells over ``safebase.web.interop``.

A problem the person can fix (an unknown questionnaire, an item missing, an answer out of range,
an existing --out) raises a SafebaseError, which ``app.main`` prints as one line with exit code 2.
Django and fhir.resources are imported inside the commands, so ``safebase --help`` stays quick.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from safebase.core.errors import SafebaseError

fhir_app = typer.Typer(
    help="FHIR R4: export results as a Bundle, import a QuestionnaireResponse.",
    no_args_is_help=True,
)

console = Console(highlight=False, soft_wrap=True)  # paths stay on one line
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _person():
    """Whom the command acts for: the global ``--user`` / SAFEBASE_USER in multi-account mode."""
    from safebase.cli.people import current_person

    return current_person()


@fhir_app.command("export")
def export(
    out: Annotated[Path, typer.Option("--out", help="The Bundle file to write (JSON).")],
    client: Annotated[
        str | None,
        typer.Option(
            "--client",
            help="Therapists: a client (number or name, see `safebase clinic clients`) whose "
            "shared results to export.",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace --out if it exists.")] = False,
) -> None:
    """Write your completed results (or a client's shared ones) as a FHIR R4 Bundle, with one
    Observation per score."""
    if not out.parent.is_dir():
        raise SafebaseError(f"--out: the folder {out.parent} does not exist")
    if out.is_dir():
        raise SafebaseError(f"--out: {out} is a folder; name a file")
    if out.exists() and not force:
        raise SafebaseError(f"--out: {out} exists; use --force to replace it")
    person = _person()
    import json

    from django.utils import timezone

    from safebase.web.interop.services import person_bundle

    if client is not None:
        from safebase.cli.clinic import client_record_for
        from safebase.web.clinic.exports import client_bundle

        done = client_bundle(person, client_record_for(person, client))
    else:
        done = person_bundle(user=person, exported_at=timezone.now())
    out.write_text(json.dumps(done.bundle, indent=2), encoding="utf-8")
    console.print(
        f"Wrote {done.results} result{'s' if done.results != 1 else ''} "
        f"({done.observations} score observations) to {out}."
    )
    if done.left_out:
        err.print(
            f"note: {done.left_out} result(s) scored on a re-defined response range were left "
            "out: their answers are not the questionnaire's options.",
            style="yellow",
            markup=False,
        )


@fhir_app.command("questionnaire")
def questionnaire(
    instrument_id: Annotated[str, typer.Argument(help="e.g. ecr-r")],
) -> None:
    """Print one instrument as a FHIR R4 Questionnaire (JSON), with no results in it."""
    import json

    from safebase.core.instrument import get_instrument
    from safebase.interop.fhir import questionnaire as to_questionnaire
    from safebase.interop.fhir import validate

    resource = to_questionnaire(get_instrument(instrument_id))
    validate(resource)
    print(json.dumps(resource, indent=2, ensure_ascii=False))


@fhir_app.command("import")
def import_response(
    file: Annotated[
        Path,
        typer.Argument(
            exists=True,
            dir_okay=False,
            readable=True,
            help="A FHIR QuestionnaireResponse, or a Bundle of them (JSON).",
        ),
    ],
) -> None:
    """Import a QuestionnaireResponse for a questionnaire safebase knows, and score it."""
    from safebase.interop.fhir import FhirError, load_json

    try:
        payload = load_json(file.read_bytes())
    except OSError as exc:
        raise FhirError(f"{file}: {exc.strerror}") from None
    person = _person()
    from safebase.web.interop.services import import_fhir

    done = import_fhir(owner=person, payload=payload)
    for note in done.notes:
        err.print(f"note: {note}", style="yellow", markup=False)
    for a in done.added:
        scored = a.scored()
        scores = ", ".join(
            f"{s.name} {s.value:.2f}"
            for s in scored.scales.values()
            if s.value is not None and a.instrument.scale(s.scale_id).method != "choice"
        )
        when = a.completed_at.strftime("%Y-%m-%d") if a.completed_at else ""
        line = f"Imported {a.instrument.spec.short_name} of {when} for {person.get_username()}"
        if a.instrument.is_reflection:
            line += " (a reflection, not a measure: no score)"
        elif scores:
            line += f": {scores}"
        console.print(line + ".")
    if done.already_here:
        console.print(f"{done.already_here} response(s) were already here and were skipped.")
