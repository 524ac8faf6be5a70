"""The ``safebase`` command: thin shells over the core and the web models.

Exit codes: 0 success; 2 bad input or usage; 1 unexpected failure (one line; traceback with
``--debug``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from safebase.cli import backup as backup_commands
from safebase.cli import family, people, together
from safebase.cli import report as report_commands
from safebase.cli.clinic import clinic_app
from safebase.cli.fhir import fhir_app
from safebase.cli.norms import norms_app
from safebase.core.errors import SafebaseError

# Heavy modules (NumPy, pandas, pyarrow, Django, matplotlib, pydantic and the instrument files,
# rich.progress) are imported inside the commands that use them, so that `safebase --help` starts
# quickly; tests/cli/test_startup.py keeps it so.

app = typer.Typer(
    help="safebase: validated attachment questionnaires, scoring and earned-security practice.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
instruments_app = typer.Typer(help="List the questionnaires, or show one in full.")
app.add_typer(instruments_app, name="instruments")
app.add_typer(norms_app, name="norms")
app.add_typer(people.user_app, name="user")
app.add_typer(people.partner_app, name="partner")
app.add_typer(together.repair_app, name="repair")
app.add_typer(family.child_app, name="child")
app.command("share")(people.share)
app.command("unshare")(people.unshare)
app.add_typer(fhir_app, name="fhir")
app.add_typer(clinic_app, name="clinic")

console = Console(highlight=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)  # one-line errors, never wrapped


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    user: Annotated[
        str | None,
        typer.Option(
            "--user",
            help="Multi-account mode: the account this command acts for (or SAFEBASE_USER).",
        ),
    ] = None,
) -> None:
    # Declares --debug and --user for the parser and the help; main() reads them from argv
    # (--user may stand anywhere on the line), because it decides how to report an exception
    # after Typer has returned.
    del debug, user


@instruments_app.callback(invoke_without_command=True)
def instruments_list(ctx: typer.Context) -> None:
    """List the instruments safebase ships."""
    if ctx.invoked_subcommand is not None:
        return
    from safebase.core.instrument import all_instruments

    # A few lines per instrument at 80 columns; the citations (many lines each) are in `show`.
    t = Table(
        title="Instruments", caption="Citation, licence and norms: safebase instruments show ID"
    )
    t.add_column("id", no_wrap=True)
    t.add_column("name")
    t.add_column("items", justify="right", no_wrap=True)
    t.add_column("kind")
    for inst in all_instruments().values():
        kind = inst.kind_note.rstrip(".").lower() if inst.kind_note else "validated"
        t.add_row(inst.id, inst.name, str(len(inst.items)), kind)
    console.print(t)


@instruments_app.command("show")
def instruments_show(instrument_id: Annotated[str, typer.Argument(help="e.g. ecr-r")]) -> None:
    """Print an instrument's items, keys, citation, licence and norms."""
    from safebase.core.instrument import get_instrument

    inst = get_instrument(instrument_id)
    console.print(f"[bold]{inst.name}[/] ({inst.id})")
    if inst.kind_note:
        console.print(f"[yellow]{inst.kind_note}[/]")
    console.print(f"Citation: {inst.spec.citation}")
    console.print(f"Licence: {inst.spec.licence}")
    console.print(f"Item order: {inst.spec.item_order}")
    console.print(f"Provenance: {inst.spec.provenance}")
    console.print(f"Instructions: {inst.spec.instructions}")
    opts = ", ".join(f"{o.value}{'=' + o.label if o.label else ''}" for o in inst.response.options)
    console.print(f"Response options: {opts}")
    scale_of: dict[str, list[str]] = {}
    for s in inst.scales:
        for k in s.item_keys:
            scale_of.setdefault(k, []).append(s.id + (" (R)" if k in s.reverse_keys else ""))
    t = Table(title="Items")
    t.add_column("item", no_wrap=True)
    t.add_column("text", overflow="fold")
    t.add_column("scale (R = reverse-keyed)")
    for it in inst.items:
        prefix = f"{it.target.label}: " if it.target else ""
        t.add_row(it.key, prefix + it.text, ", ".join(scale_of.get(it.key, [])))
    console.print(t)
    t = Table(title="Scales")
    t.add_column("scale", no_wrap=True)
    for col in ("rule", "items", "reverse", "missing-data rule"):
        t.add_column(col)
    for s in inst.scales:
        rule = {
            "mean": "mean of answered items",
            "weighted_sum": f"weighted sum {s.weights}",
            "choice": "chosen category",
            "mean_of_scales": "mean of those of " + ", ".join(s.of_scales) + " with a score",
        }
        need = {
            "weighted_sum": "all items",
            "mean_of_scales": f"≥{s.min_answered_fraction:.0%} of them scored",
        }.get(s.method, f"≥{s.min_answered_fraction:.0%} answered")
        t.add_row(
            s.id, rule[s.method], " ".join(s.item_keys), " ".join(s.reverse_keys) or "—", need
        )
    console.print(t)
    from safebase.core.norms import reference_samples_for

    samples = reference_samples_for(inst.id)
    for i, ref in enumerate(samples):
        sizes = ", ".join(f"{sc.scale} N = {sc.n:,}" for sc in ref.scales)
        default = " (default)" if i == 0 else ""
        console.print(f"Reference sample {ref.id}{default}: {ref.label}; {sizes}. {ref.source}")
    if not samples:
        console.print(
            "Reference samples: none (no published norm could be verified); percentiles and "
            "bands are not shown."
        )
    for r in inst.spec.test_retest:
        use = (
            "used for bands and reliable change"
            if r.statistic == "observed test-retest correlation"
            else "for information only, never used for bands or reliable change"
        )
        console.print(
            f"{r.statistic.capitalize()} {', '.join(r.scales)}: r = {r.value:.2f} over "
            f"{r.interval} ({use}). {r.note} Source: {r.source}"
        )
    if not any(r.statistic == "observed test-retest correlation" for r in inst.spec.test_retest):
        console.print(
            "Observed test–retest correlation: none cited; reliable change uses a reference "
            "sample's internal consistency where there is one."
        )
    if inst.spec.derivation is not None:
        print_derivation(inst.spec.derivation)


def print_derivation(d) -> None:
    """How a derived form was checked: the table its file carries, and what it was compared with."""
    t = Table(title=f"Validation on the held-out test split ({d.script})")
    for col in (
        "scale",
        f"{d.source_instrument.upper()} items used",
        "r with full scale (95% CI)",
        "r with the other items",
        "alpha",
        "test rows",
    ):
        t.add_column(col, overflow="fold")
    for row in d.validation:
        lo, hi = row.r_full_ci95
        t.add_row(
            row.scale,
            " ".join(str(n) for n in row.source_items),
            f"{row.r_full:.3f} ({lo:.3f}–{hi:.3f})",
            f"{row.r_rest:.3f}",
            f"{row.alpha:.3f}",
            str(row.n),
        )
    console.print(t)
    console.print(f"Criterion: {d.criterion}.")
    console.print(f"Data: {d.data}.")
    console.print(
        f"Split seed {d.split_seed}: train {d.train_n}, validation {d.validation_n}, "
        f"test {d.test_n} rows."
    )
    console.print(f"Method: {d.method}")
    for note in d.comparisons:
        console.print(f"- {note}")


@app.command()
def assess(instrument_id: Annotated[str, typer.Argument(help="e.g. ecr-r")] = "ecr-r") -> None:
    """Take a questionnaire in the terminal and save the result locally."""
    from safebase.cli.assess import Quit, run_questionnaire
    from safebase.cli.render import change_table, result_panel
    from safebase.core.instrument import get_instrument
    from safebase.core.profile import build_profile

    inst = get_instrument(instrument_id)
    owner = _owner()  # before the questions: a wrong --user is said before any answering
    try:
        answers = run_questionnaire(inst, console)
    except (Quit, EOFError):
        console.print("Stopped; nothing was saved.")
        raise typer.Exit(0) from None
    from safebase.web.bootstrap import setup_django

    setup_django()
    from safebase.web.assessments import services

    saved = services.record_assessment(owner=owner, instrument_id=inst.id, answers=answers)
    scored = saved.scored()
    from safebase.core.norms import default_reference_sample

    reference = default_reference_sample(inst)
    profile = build_profile(inst, scored, reference=reference) if inst.profile else None
    console.print(result_panel(inst, scored, profile))
    previous = list(services.completed_for(owner, inst.id).exclude(pk=saved.pk))
    if previous:
        console.print(change_table(services.change_between(previous[-1], saved)))
    console.print(f"Saved as result #{saved.pk}. See `safebase history`.")


@app.command()
def history(
    instrument_id: Annotated[
        str | None, typer.Option("--instrument", "-i", help="Only this instrument.")
    ] = None,
) -> None:
    """List past results, with reliable change against the previous one."""

    owner = _owner()
    from safebase.web.assessments import services

    done = list(services.completed_for(owner, instrument_id))
    if not done:
        console.print("No results yet. Take one with `safebase assess ecr-r`.")
        return
    t = Table(title="Your results")
    t.add_column("#", justify="right", no_wrap=True)
    t.add_column("date")
    t.add_column("instrument", no_wrap=True)
    t.add_column("scores")
    t.add_column("pattern", no_wrap=True)
    t.add_column("change vs previous")
    last: dict[str, object] = {}
    for a in done:
        scores = ", ".join(
            f"{k} {v:.2f}" for k, v in a.scores.items() if v is not None and k != "forced_choice"
        )
        change = "first result"
        prev = last.get(a.instrument_id)
        if prev is not None:
            parts = []
            for c in services.change_between(prev, a):  # type: ignore[arg-type]
                if c.rci is not None:
                    parts.append(
                        f"{c.scale_id}: {c.verdict.value} (RCI {c.rci:+.2f}), {c.explanation}"
                    )
                else:
                    parts.append(f"{c.scale_id}: {c.verdict.value} — {c.reason}")
            change = "; ".join(parts)
        last[a.instrument_id] = a
        when = a.completed_at.strftime("%Y-%m-%d %H:%M") if a.completed_at else ""
        t.add_row(str(a.pk), when, a.instrument_id, scores, a.style or "—", change)
    console.print(t)


def _owner():
    """The person this command acts for (``--user`` / SAFEBASE_USER in multi-account mode)."""
    return people.current_person()


def _ask_or_stop(ask):
    """Run prompts; input ending early stops cleanly, as in ``assess``: nothing saved, exit 0."""
    try:
        return ask()
    except EOFError:
        console.print("Stopped; nothing was saved.")
        raise typer.Exit(0) from None


def _show_crisis_if(saved) -> None:
    from safebase.cli.practice import crisis_panel

    if saved.show_resources:
        console.print(crisis_panel(gentle=saved.gentle, category=saved.screen.kind))


@app.command()
def checkin(
    emotion: Annotated[str | None, typer.Option(help="A word from the emotion wheel.")] = None,
    intensity: Annotated[int | None, typer.Option(min=0, max=10, help="0–10.")] = None,
    need: Annotated[str | None, typer.Option(help="comfort, space, reassurance, …")] = None,
    note: Annotated[str | None, typer.Option(help="A short note (encrypted).")] = None,
) -> None:
    """Emotion check-in: what am I feeling, how strongly, and what do I need?"""
    from safebase.cli.practice import ask_checkin

    owner = _owner()
    from safebase.web.practice import services

    values = _ask_or_stop(lambda: ask_checkin(console, emotion, intensity, need, note))
    saved = services.record_checkin(owner=owner, **values)
    console.print(
        f"Check-in saved: {saved.obj.emotion} ({saved.obj.family}), "
        f"{saved.obj.intensity}/10, needs {saved.obj.need}."
    )
    _show_crisis_if(saved)


@app.command()
def journal(
    text: Annotated[str | None, typer.Argument(help="The entry; asked for when omitted.")] = None,
    list_: Annotated[bool, typer.Option("--list", help="Show recent entries instead.")] = False,
) -> None:
    """Write a journal entry (encrypted at rest), or --list recent ones."""
    owner = _owner()
    from safebase.web.practice import services
    from safebase.web.practice.models import JournalEntry

    if list_:
        for e in JournalEntry.objects.filter(owner=owner)[:20]:
            # The person's own words are printed verbatim, never read as Rich markup.
            console.print(Text(f"{e.created_at:%Y-%m-%d %H:%M}", style="bold"))
            console.print(Text(e.body), Text(""))
        return
    body = text if text is not None else _ask_or_stop(lambda: console.input("Journal entry: "))
    saved = services.add_journal_entry(owner=owner, body=body)
    console.print("Journal entry saved (encrypted).")
    _show_crisis_if(saved)


@app.command("help-now")
def help_now() -> None:
    """Crisis resources, at once: no questionnaire, database or sign-in needed."""
    from safebase.cli.practice import help_panel

    console.print(help_panel())


@app.command()
def plan() -> None:
    """Your plan: phases, exercises and why each is there, re-assessment date."""
    from safebase.cli.practice import plan_panel

    owner = _owner()
    from safebase.web.practice import services

    p = services.current_plan(owner)
    if p is None:
        console.print("No plan yet: take a questionnaire first, e.g. `safebase assess ecr-r`.")
        return
    now, best = services.streaks(owner)
    console.print(plan_panel(p, now, best))


@app.command()
def practice(
    exercise_id: Annotated[str | None, typer.Argument(help="e.g. repair; omit to list.")] = None,
) -> None:
    """Do an exercise from the library (or list them) and save your record."""
    from safebase.cli.practice import exercise_table, run_exercise
    from safebase.core.practice.exercises import get_exercise

    if exercise_id is None:
        console.print(exercise_table())
        return
    ex = get_exercise(exercise_id)
    if ex.kind == "checkin":
        console.print("The emotion check-in has its own command: `safebase checkin`.")
        return
    owner = _owner()
    from safebase.web.practice import services

    data = _ask_or_stop(lambda: run_exercise(console, ex))
    saved = services.record_exercise(owner=owner, exercise_id=ex.id, data=data)
    console.print(f"Saved: {ex.title}.")
    _show_crisis_if(saved)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    production: Annotated[
        bool, typer.Option("--production", help="Run under gunicorn with production settings.")
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(help="gunicorn workers (--production); default: CPU cores + 1."),
    ] = None,
) -> None:
    """Start the web app; in single-person mode print a one-time sign-in link."""
    import os
    import subprocess

    from safebase.web.serving import port_problem

    if problem := port_problem(host, port):
        err.print(f"Error: {problem}")
        raise typer.Exit(2)
    if production:
        os.environ["SAFEBASE_ENV"] = "production"
    from safebase.web.bootstrap import setup_django

    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    url = f"http://{host}:{port}/"
    if not settings.MULTI_USER:
        from safebase.web.accounts.services import issue_sign_in_token
        from safebase.web.assessments.services import local_owner

        token = issue_sign_in_token(user=local_owner())
        console.print("safebase is running. Open this one-time sign-in link in your browser:")
        console.print(f"  {url}auth/token/{token}/", soft_wrap=True)
    else:
        console.print(f"safebase is running at {url}")
    console.print(f"Database: {settings.DATABASES['default']['NAME']}", style="dim")
    sys.stdout.flush()
    from safebase.web.serving import default_workers, gunicorn_command, local_command

    if production:
        call_command("collectstatic", interactive=False, verbosity=0)
        raise typer.Exit(
            subprocess.call(gunicorn_command(host, port, workers or default_workers()))
        )
    # One person's app: one gunicorn process with a few threads, quiet about each request.
    raise typer.Exit(subprocess.call(local_command(host, port)))


@contextmanager
def _progress(description: str) -> Iterator[Callable[[int, int | None], None] | None]:
    """A transient bar on stderr at a terminal. None when stderr is a pipe or a file: there Rich
    leaves a blank line behind, which would come before an error message."""
    if not err.is_interactive:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


@app.command()
def score(
    input_path: Annotated[
        Path,
        typer.Argument(
            metavar="INPUT",
            help="CSV, TSV, Parquet or .sav; or a folder or glob ('data/*.parquet') of Parquet "
            "files read as one dataset.",
        ),
    ],
    instrument_id: Annotated[str, typer.Option("--instrument", "-i", help="e.g. ecr-r")],
    prefix: Annotated[str | None, typer.Option(help="Item columns are PREFIX + number.")] = None,
    map_file: Annotated[
        Path | None, typer.Option("--map", help="Item→column mapping (JSON or CSV item,column).")
    ] = None,
    id_column: Annotated[str | None, typer.Option(help="Column to keep as the row id.")] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Write scores here (.csv or .parquet); with --engine dask, a folder of "
            "Parquet part files."
        ),
    ] = None,
    summary_json: Annotated[Path | None, typer.Option(help="Write the summary as JSON.")] = None,
    invalid: Annotated[
        str, typer.Option(help="'error': stop at the first bad value; 'missing': count it missing.")
    ] = "error",
    range_: Annotated[
        str | None, typer.Option("--range", help="Response range the data used, e.g. 1-5.")
    ] = None,
    engine: Annotated[
        str,
        typer.Option(help="'local': stream on this machine; 'dask': Parquet row groups as tasks."),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="With --engine dask: a running scheduler (tcp://host:8786) whose workers see "
            "the same files; default a local cluster."
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="With --engine dask and no --scheduler: local worker processes."),
    ] = None,
) -> None:
    """Score a file of questionnaire responses, with reliability statistics."""
    from safebase.core.instrument import get_instrument
    from safebase.core.scoring import ResponseRange
    from safebase.tables import InputError, check_output_path, read_mapping, score_file

    if invalid not in {"error", "missing"}:
        raise InputError(f"--invalid must be 'error' or 'missing', not '{invalid}'")
    if engine not in {"local", "dask"}:
        raise InputError(f"--engine must be 'local' or 'dask', not '{engine}'")
    if engine != "dask" and (scheduler or workers):
        raise InputError("--scheduler and --workers go with --engine dask")
    if prefix is not None and map_file is not None:
        raise InputError("use either --prefix or --map, not both")
    inst = get_instrument(instrument_id)
    rng = ResponseRange.parse(range_) if range_ else None
    mapping = read_mapping(map_file) if map_file else None
    # Both outputs are checked before any scoring, so a bad --summary-json cannot fail after
    # the scores file has been written.
    if out and engine == "dask":
        from safebase.cluster import check_output_folder

        check_output_folder(out)
    elif out:
        check_output_path(out, "--out", input_path=input_path)
    if summary_json:
        check_output_path(summary_json, "--summary-json", input_path=input_path)
    options = {"prefix": prefix, "mapping": mapping, "id_column": id_column, "invalid": invalid}
    with _progress(f"Scoring {input_path.name}") as advance:
        if engine == "dask":
            from safebase.cluster import score_file_on_dask

            summary = score_file_on_dask(
                input_path,
                inst,
                out=out,
                response_range=rng,
                scheduler=scheduler,
                workers=workers,
                progress=advance,
                **options,
            )
        else:
            summary = score_file(
                input_path, inst, out=out, response_range=rng, progress=advance, **options
            )
    _print_summary(summary.as_dict(), inst.spec.citation)
    if summary_json:
        summary_json.write_text(json.dumps(summary.as_dict(), indent=2), encoding="utf-8")
    if out:
        console.print(f"Scores written to {out}")


def _print_summary(s: dict, citation: str) -> None:
    console.print(
        f"Rows read: {s['rows_read']:,} · rows scored: {s['rows_scored']:,} · "
        f"response range {s['response_range']}"
    )
    if s["invalid_cells_counted_missing"]:
        console.print(f"Invalid values counted as missing: {s['invalid_cells_counted_missing']:,}")
    t = Table(title="Scales")
    t.add_column("scale", no_wrap=True)
    for col in ("scored", "missing", "mean", "SD", "alpha", "omega total", "n complete"):
        t.add_column(col, justify="right")
    for sid, st in s["scale_scores"].items():
        rel = s["reliability"].get(sid, {})

        def f(x: float | None) -> str:
            return "—" if x is None else f"{x:.3f}"

        t.add_row(
            sid,
            f"{st['n']:,}",
            f"{s['missing_per_scale'][sid]:,}",
            f(st["mean"]),
            f(st["sd"]),
            f(rel.get("alpha")),
            f(rel.get("omega_total")),
            f"{rel['n_complete']:,}" if rel else "—",
        )
    console.print(t)
    console.print(f"Source: {citation}", style="dim")


backup_commands.register(app)  # backup, restore, import
report_commands.register(app)  # report


def main(argv: list[str] | None = None) -> None:
    """Entry point: Typer handles usage errors (exit 2); ours map to 2, the unexpected to 1."""
    args = sys.argv[1:] if argv is None else argv
    try:
        people.choose_user(None)
        app(args=people.lift_user_option(list(args)), prog_name="safebase")
    except SafebaseError as exc:
        err.print(f"error: {exc}", style="red", markup=False)
        sys.exit(2)
    except Exception as exc:
        if "--debug" in args:
            raise
        err.print(
            f"error: {type(exc).__name__}: {exc} (run with --debug for the traceback)",
            style="red",
            markup=False,
        )
        sys.exit(1)
