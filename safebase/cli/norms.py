"""``safebase norms``: build a reference sample from real answers, or list the shipped ones.

The build scores the input with the same path as ``safebase score`` (so the missing-data rule,
range checks and reliability statistics are exactly those), then reads the scores back chunk by
chunk into ``core.norms.ReferenceBuilder``; only derived statistics are written, never rows.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from safebase.core.errors import SafebaseError

norms_app = typer.Typer(
    help="Reference samples: build one from real answers, or list them.", no_args_is_help=True
)
ID_PATTERN = re.compile(r"^[a-z][a-z0-9-]*$")


def _console() -> Console:
    """The CLI's one console (defined in app, which registers this group)."""
    from safebase.cli.app import console

    return console


class NormsInputError(SafebaseError):
    """A bad option or file for ``safebase norms`` (exit code 2)."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_SAYS = {"--label": "who the people were", "--source": "where the answers came from"}


def _check_text(option: str, value: str) -> str:
    text = " ".join(value.split())
    if len(text) < 10:
        raise NormsInputError(f"{option} is too short: say {_SAYS[option]} (10 characters or more)")
    return text


@norms_app.command("build")
def build(
    input_path: Annotated[Path, typer.Argument(metavar="INPUT", help="CSV, TSV, Parquet or .sav")],
    instrument_id: Annotated[str, typer.Option("--instrument", "-i", help="e.g. ecr-5pt")],
    label: Annotated[str, typer.Option(help="Who the people were, shown with every number.")],
    source: Annotated[str, typer.Option(help="Where the answers came from.")],
    out: Annotated[Path, typer.Option(help="The reference-sample file to write (.toml).")],
    prefix: Annotated[str | None, typer.Option(help="Item columns are PREFIX + number.")] = None,
    range_: Annotated[
        str | None, typer.Option("--range", help="Response range the data used, e.g. 1-5.")
    ] = None,
    invalid: Annotated[
        str, typer.Option(help="'error': stop at the first bad value; 'missing': count it missing.")
    ] = "error",
) -> None:
    """Compute N, mean, SD, alpha, omega and a percentile table per scale from real answers."""
    import pyarrow.parquet as pq

    from safebase.core.instrument import get_instrument
    from safebase.core.norms import InputFacts, ReferenceBuilder, load_reference_file, to_toml
    from safebase.core.scoring import ResponseRange, default_range
    from safebase.tables import score_file

    label, source = _check_text("--label", label), _check_text("--source", source)
    if invalid not in {"error", "missing"}:
        raise NormsInputError(f"--invalid must be 'error' or 'missing', not '{invalid}'")
    if out.suffix.lower() != ".toml":
        raise NormsInputError(f"--out {out}: a reference sample is written as a .toml file")
    if not ID_PATTERN.match(out.stem):
        raise NormsInputError(
            f"--out {out}: the file name is the sample's id and must be lower-case letters, "
            f"digits and hyphens, starting with a letter (e.g. ecr-5pt-mysample.toml)"
        )
    if not out.parent.is_dir():
        raise NormsInputError(f"--out {out}: folder {out.parent} does not exist")
    if not input_path.is_file():
        raise NormsInputError(f"input file {input_path} does not exist")
    inst = get_instrument(instrument_id)
    if not inst.is_validated:
        raise NormsInputError(f"{inst.id} is a reflection, not a validated measure: no norms")
    rng = ResponseRange.parse(range_) if range_ else default_range(inst)
    with tempfile.TemporaryDirectory(prefix="safebase-norms-") as tmp:
        scores_path = Path(tmp) / "scores.parquet"
        summary = score_file(
            input_path,
            inst,
            out=scores_path,
            prefix=prefix,
            invalid=invalid,  # type: ignore[arg-type]
            response_range=rng,
        )
        builder = ReferenceBuilder(inst)
        for batch in pq.ParquetFile(scores_path).iter_batches(columns=builder.scale_ids):
            builder.add(
                {sid: batch.column(sid).to_numpy(zero_copy_only=False) for sid in builder.scale_ids}
            )
    options = f"--instrument {inst.id}"
    options += f" --prefix {prefix}" if prefix is not None else ""
    options += f" --range {range_}" if range_ else ""
    options += f" --invalid {invalid}" if invalid != "error" else ""
    sample = builder.finish(
        sample_id=out.stem,
        label=label,
        source=source,
        response_range=(rng.low, rng.high),
        built=date.today(),
        built_with=f"safebase norms build {input_path.name} {options}",
        input_facts=InputFacts(
            file=input_path.name,
            sha256=_sha256(input_path),
            rows_read=summary.rows_read,
            rows_scored=summary.rows_scored,
            invalid_cells_counted_missing=summary.invalid_cells,
        ),
        reliability=summary.reliability,
    )
    out.write_text(to_toml(sample), encoding="utf-8")
    load_reference_file(out)  # what was written must read back through the schema
    t = Table(title=f"Reference sample {sample.id}: {sample.label}")
    for col in ("scale", "N", "mean", "SD", "alpha", "omega total", "alpha/omega rows"):
        t.add_column(col, justify="right")
    for sc in sample.scales:
        rel = sc.reliability

        def f(x: float | None) -> str:
            return "—" if x is None else f"{x:.3f}"

        t.add_row(
            sc.scale,
            f"{sc.n:,}",
            f(sc.mean),
            f(sc.sd),
            f(rel.alpha),
            f(rel.omega_total),
            f"{rel.n_complete:,} complete on the scale",
        )
    _console().print(t)
    _console().print(f"Written to {out} (derived statistics only, no rows).")


@norms_app.command("list")
def list_samples(
    instrument_id: Annotated[
        str | None, typer.Option("--instrument", "-i", help="Only this instrument's samples.")
    ] = None,
) -> None:
    """List the reference samples safebase ships, per instrument (the first is the default)."""
    from safebase.core.instrument import get_instrument
    from safebase.core.norms import all_reference_samples, reference_samples_for

    if instrument_id is not None:
        get_instrument(instrument_id)
        samples = reference_samples_for(instrument_id)
    else:
        samples = list(all_reference_samples().values())
    if not samples:
        _console().print(
            "No reference samples" + (f" for {instrument_id}." if instrument_id else ".")
        )
        return
    t = Table(title="Reference samples")
    for col in ("id", "instrument", "who", "N per scale", "built"):
        t.add_column(col, overflow="fold")
    for s in samples:
        sizes = ", ".join(f"{sc.scale} {sc.n:,}" for sc in s.scales)
        t.add_row(s.id, s.instrument, s.label, sizes, s.built.isoformat())
    _console().print(t)
