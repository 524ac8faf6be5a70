"""``safebase score --engine dask``: the same compiled scorer, one task per run of row groups.

Each task reads its row groups, scores them with ``core.compiled.CompiledInstrument`` (the plan
the local path streams), writes its own part file, and returns the sufficient statistics of its
rows (``Moments``: exact integer sums for alpha and omega) or the first invalid cell it found.
The driver adds the statistics in partition order, so the summary is the local path's: exactly
for alpha, omega and counts, to the last bits for score means. Scores are written to a hidden
folder beside ``--out`` and renamed into place only when every partition has been scored.

The workers of a real cluster (``--scheduler tcp://host:8786``) must see the input files and the
output folder at the same paths as this machine, and have the same safebase installed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from safebase.core.batch import BatchSummary
from safebase.core.compiled import CellProblem, CompiledInstrument, InvalidPolicy, Moments
from safebase.core.instrument import Instrument, get_instrument
from safebase.core.scoring import ResponseRange, default_range
from safebase.tables import (
    PARQUET_OPTIONS,
    ColumnPlan,
    Dataset,
    InputError,
    _output,
    _reading,
    _wanted,
    open_dataset,
    plan_columns,
    to_arrow,
)

PART_ROWS = 500_000  # row groups are combined into tasks of about this many rows


@dataclass(frozen=True)
class Partition:
    """Row groups of one file, where they start in the dataset, and the part file to write."""

    index: int
    path: Path
    row_groups: tuple[int, ...]
    first_row: int
    rows: int


@dataclass(frozen=True)
class Job:
    """What every task needs, small and picklable: the instrument travels by id."""

    instrument_id: str
    item_columns: tuple[str, ...]
    id_column: str | None
    invalid: InvalidPolicy
    response_range: tuple[int, int]
    out_dir: Path | None

    @property
    def plan(self) -> ColumnPlan:
        return ColumnPlan(list(self.item_columns), self.id_column)


@dataclass(frozen=True)
class PartResult:
    index: int
    rows: int
    moments: Moments | None
    problem: CellProblem | None


def partitions(data: Dataset, part_rows: int = PART_ROWS) -> list[Partition]:
    """Whole row groups, several to a task when they are small, in dataset order."""
    parts: list[Partition] = []
    first = 0
    for path in data.files:
        meta = pq.ParquetFile(path).metadata
        groups: list[int] = []
        rows = 0
        for g in range(meta.num_row_groups):
            groups.append(g)
            rows += meta.row_group(g).num_rows
            if rows >= part_rows:
                parts.append(Partition(len(parts), path, tuple(groups), first, rows))
                first, groups, rows = first + rows, [], 0
        if groups:
            parts.append(Partition(len(parts), path, tuple(groups), first, rows))
            first += rows
    return parts


@cache
def _compiled(job: Job, schema: tuple[tuple[str, pl.DataType], ...]) -> CompiledInstrument:
    return CompiledInstrument(
        get_instrument(job.instrument_id),
        job.plan.item_columns,
        dict(schema),
        response_range=ResponseRange(*job.response_range),
        invalid=job.invalid,
    )


def part_name(index: int) -> str:
    return f"part-{index:05d}.parquet"


def score_partition(job: Job, part: Partition) -> PartResult:
    """Runs on a worker: read, score, write one part file, return its statistics."""
    with _reading(part.path, "parquet"):
        table = pq.ParquetFile(part.path).read_row_groups(
            list(part.row_groups), columns=_wanted(job.plan)
        )
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    compiled = _compiled(job, tuple(frame.schema.items()))
    keep = [job.plan.id_column] if job.plan.id_column else []
    scored = compiled.rows(frame.lazy(), keep).collect()
    problem, moments = compiled.reduce(scored, check=job.invalid == "error")
    if problem is not None:
        return PartResult(part.index, scored.height, None, problem)
    if job.out_dir is not None:
        out = to_arrow(_output(compiled, scored, keep, part.first_row))
        pq.write_table(out, job.out_dir / part_name(part.index), **PARQUET_OPTIONS)
    return PartResult(part.index, scored.height, moments, None)


def check_output_folder(out: Path) -> None:
    """--out of the Dask engine names a folder of part files; refuse anything else up front."""
    if not out.parent.is_dir():
        raise InputError(f"--out: folder {out.parent} does not exist")
    if out.suffix.lower() == ".csv":
        raise InputError("--out: the Dask engine writes a folder of Parquet files, not a CSV file")
    if out.exists() and not out.is_dir():
        raise InputError(f"--out: {out} is a file; the Dask engine writes a folder of part files")
    if out.is_dir() and any(not _is_part(p) for p in out.iterdir()):
        raise InputError(f"--out: folder {out} holds other files; choose a new or empty folder")


def _is_part(path: Path) -> bool:
    return path.is_file() and path.name.startswith("part-") and path.suffix == ".parquet"


def connect(scheduler: str | None, workers: int | None):
    """A Client on the given scheduler, or on a LocalCluster of this machine's cores (one
    process per worker, one Polars thread each, listening on the loopback interface only)."""
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler), None
    cluster = LocalCluster(
        n_workers=workers or os.cpu_count() or 1,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",  # diagnostics on loopback, any free port
        env={"POLARS_MAX_THREADS": "1"},
    )
    return Client(cluster), cluster


def score_dataset_on_dask(
    data: Dataset,
    instrument_id: str,
    plan: ColumnPlan,
    *,
    out: Path | None,
    invalid: InvalidPolicy,
    response_range: ResponseRange,
    client,
    progress: Callable[[int, int | None], None] | None = None,
    part_rows: int = PART_ROWS,
) -> BatchSummary:
    """Score a Parquet dataset on a Dask client; ``out`` becomes a folder of part files."""
    from distributed import as_completed

    parts = partitions(data, part_rows)
    tmp = out.with_name(f".{out.name}.partial") if out is not None else None
    if tmp is not None:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
    job = Job(
        instrument_id,
        tuple(plan.item_columns),
        plan.id_column,
        invalid,
        (response_range.low, response_range.high),
        tmp,
    )
    results: dict[int, PartResult] = {}
    complete = False
    try:
        futures = client.map(score_partition, [job] * len(parts), parts, pure=False)
        first_problem: int | None = None
        done_rows = 0
        pending = as_completed(futures)
        for future in pending:
            if future.cancelled():
                continue
            r: PartResult = future.result()
            results[r.index] = r
            done_rows += r.rows
            if progress:
                progress(done_rows, data.total_rows)
            if r.problem is not None and (first_problem is None or r.index < first_problem):
                # Later partitions cannot hold the first bad cell: stop them; earlier ones may.
                first_problem = r.index
                client.cancel([f for f, p in zip(futures, parts, strict=True) if p.index > r.index])
        if first_problem is not None:
            bad = results[first_problem]
            assert bad.problem is not None
            where = data.locate(parts[first_problem].first_row + bad.problem.row)
            column = plan.item_columns[bad.problem.item]
            raise InputError(f"{where}, column {column}: {bad.problem.what}")
        if sum(r.rows for r in results.values()) == 0:
            raise InputError(f"{data.name}: no rows to score (column names but no data)")
        complete = True
    finally:
        if tmp is not None and out is not None:
            if complete:
                if out.is_dir():
                    shutil.rmtree(out)
                os.replace(tmp, out)
            else:
                shutil.rmtree(tmp, ignore_errors=True)
    moments = Moments()
    for i in range(len(parts)):  # partition order: the same sums whatever finished first
        m = results[i].moments
        assert m is not None
        moments = moments + m
    schema = pq.read_schema(data.files[0])
    frame = pl.from_arrow(schema.empty_table().select(_wanted(plan)))
    assert isinstance(frame, pl.DataFrame)
    return _compiled(job, tuple(frame.schema.items())).summary(moments)


def score_file_on_dask(
    path: Path | str,
    instrument: Instrument,
    *,
    out: Path | None = None,
    prefix: str | None = None,
    mapping: dict[str, str] | None = None,
    id_column: str | None = None,
    invalid: InvalidPolicy = "error",
    response_range: ResponseRange | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    part_rows: int = PART_ROWS,
) -> BatchSummary:
    """``score_file`` on a Dask cluster: the same checks before any work, then one task per
    partition. Connects to ``scheduler``, or starts (and stops) a local cluster."""
    data = open_dataset(path)
    if data.format != "parquet":
        raise InputError(f"{data.name}: the Dask engine reads Parquet files only")
    if out is not None:
        check_output_folder(Path(out))
        target = Path(out).resolve()
        if any(target in f.resolve().parents for f in data.files):
            raise InputError(f"--out: {out} holds the input files; choose another folder")
        data.check_output(Path(out), "--out")
    plan = plan_columns(
        instrument, data.header, prefix=prefix, mapping=mapping, id_column=id_column
    )
    rng = response_range or default_range(instrument)
    client, cluster = connect(scheduler, workers)
    try:
        return score_dataset_on_dask(
            data,
            instrument.id,
            plan,
            out=Path(out) if out is not None else None,
            invalid=invalid,
            response_range=rng,
            client=client,
            progress=progress,
            part_rows=part_rows,
        )
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
