"""Score a data frame in one call: ``safebase.score_frame(df, instrument="ecr-r")``.

For researchers who already hold their data in pandas, Polars or Dask. The frame is scored by the
compiled plan ``safebase score`` uses (``core.compiled``), with the same checks and missing-data
rule; the result has one row of scores per input row, in the same order (pandas and Dask keep the
input's index, so ``df.join(result.scores)`` lines up), and the same summary, reliability included.

A Dask frame is scored partition by partition on the current scheduler (a distributed ``Client``
if one is active); the scores stay there, persisted, and only the per-partition sums travel back
for the summary. Nothing is read or written here beyond the frame itself.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any

import polars as pl

from safebase.core.batch import BatchSummary
from safebase.core.compiled import CompiledInstrument, InvalidPolicy, Moments
from safebase.core.instrument import Instrument, get_instrument
from safebase.core.scoring import ResponseRange, default_range
from safebase.tables import ColumnPlan, InputError, _wanted, plan_columns


@dataclass(frozen=True)
class ScoredFrame:
    """``scores``: the same kind of frame as the input (pandas, Polars or Dask), one column per
    scale and ``style`` where the instrument has one, plus the id column when one was named.
    ``summary``: rows, missing, means, SDs, alpha and omega, as ``safebase score`` prints them."""

    scores: Any
    summary: BatchSummary


@dataclass(frozen=True)
class _Part:
    scores: Any
    rows: int
    moments: Moments | None
    problem: tuple[int, str, str] | None  # (0-based row, column, what)


def score_frame(
    frame: Any,
    instrument: str | Instrument,
    *,
    prefix: str | None = None,
    mapping: dict[str, str] | None = None,
    id_column: str | None = None,
    invalid: InvalidPolicy = "error",
    response_range: str | ResponseRange | None = None,
) -> ScoredFrame:
    """Score every row of a pandas, Polars (eager or lazy) or Dask data frame.

    Item columns are found as in ``safebase score``: the instrument's column prefix (``ecrr_1``
    … ``ecrr_36`` for the ECR-R), another ``prefix``, or a ``mapping`` of item to column.
    ``invalid="error"`` raises ``InputError`` naming the first bad cell ("row 5, column
    ecrr_12: value 9 is outside 1-7"); ``"missing"`` counts such cells as unanswered.
    """
    inst = get_instrument(instrument) if isinstance(instrument, str) else instrument
    if isinstance(response_range, str):
        response_range = ResponseRange.parse(response_range)
    rng = response_range or default_range(inst)
    if invalid not in ("error", "missing"):
        raise InputError(f"invalid must be 'error' or 'missing', not '{invalid}'")
    kind = _kind(frame)
    header = [str(c) for c in (frame.collect_schema().names() if kind == "lazy" else frame.columns)]
    plan = plan_columns(inst, header, prefix=prefix, mapping=mapping, id_column=id_column)
    if kind == "dask":
        return _score_dask(frame, inst, plan, invalid, rng)
    if kind == "pandas":
        polars_frame = pl.from_pandas(frame[_wanted(plan)])
    elif kind == "lazy":
        polars_frame = frame.select(_wanted(plan)).collect()
    else:
        polars_frame = frame.select(_wanted(plan))
    part = _score_polars(inst.id, plan, invalid, rng, polars_frame, index=None)
    if part.problem is not None:
        row, column, what = part.problem
        raise InputError(f"row {row + 1}, column {column}: {what}")
    assert part.moments is not None
    scores = part.scores
    if kind == "pandas":
        scores = scores.to_pandas()
        scores.index = frame.index
    return ScoredFrame(
        scores, _summary(inst, plan, invalid, rng, polars_frame.schema, part.moments)
    )


def _kind(frame: Any) -> str:
    module = type(frame).__module__
    if module.startswith("dask"):
        return "dask"
    if isinstance(frame, pl.LazyFrame):
        return "lazy"
    if isinstance(frame, pl.DataFrame):
        return "polars"
    if module.startswith("pandas"):
        return "pandas"
    raise InputError(
        f"score_frame takes a pandas, Polars or Dask data frame, not {type(frame).__name__}"
    )


def _compiled(
    instrument_id: str,
    plan: ColumnPlan,
    invalid: InvalidPolicy,
    rng: ResponseRange,
    schema: dict[str, pl.DataType],
) -> CompiledInstrument:
    return CompiledInstrument(
        get_instrument(instrument_id),
        plan.item_columns,
        schema,
        response_range=rng,
        invalid=invalid,
    )


def _score_polars(
    instrument_id: str,
    plan: ColumnPlan,
    invalid: InvalidPolicy,
    rng: ResponseRange,
    frame: pl.DataFrame,
    index: Any,
) -> _Part:
    """One frame (or Dask partition): scores, sums, or the first bad cell. With ``index`` (a
    pandas index) the scores come back as pandas with that index."""
    compiled = _compiled(instrument_id, plan, invalid, rng, dict(frame.schema))
    keep = [plan.id_column] if plan.id_column else []
    scored = compiled.rows(frame.lazy(), keep).collect()
    problem = compiled.first_problem(scored) if invalid == "error" else None
    if problem is not None:
        return _Part(
            None, scored.height, None, (problem.row, plan.item_columns[problem.item], problem.what)
        )
    scores: Any = compiled.output(scored, keep)
    if index is not None:
        scores = scores.to_pandas()
        scores.index = index
    return _Part(scores, scored.height, compiled.moments(scored), None)


def _score_pandas_partition(
    instrument_id: str,
    plan: ColumnPlan,
    invalid: InvalidPolicy,
    rng: ResponseRange,
    partition: Any,
) -> _Part:
    frame = pl.from_pandas(partition[_wanted(plan)])
    return _score_polars(instrument_id, plan, invalid, rng, frame, index=partition.index)


def _summary(inst, plan, invalid, rng, schema, moments: Moments) -> BatchSummary:
    return _compiled(inst.id, plan, invalid, rng, dict(schema)).summary(moments)


def _score_dask(frame: Any, inst: Instrument, plan: ColumnPlan, invalid, rng) -> ScoredFrame:
    import dask
    import dask.dataframe as dd
    from dask import delayed

    score = delayed(_score_pandas_partition, pure=True)
    parts = [score(inst.id, plan, invalid, rng, p) for p in frame.to_delayed()]
    # Scores stay where they were computed; only rows, sums and problems come back here.
    parts = list(dask.persist(*parts))
    small = dask.compute(
        *[delayed(operator.attrgetter("rows", "moments", "problem"))(p) for p in parts]
    )
    offset = 0
    moments = Moments()
    for rows, part_moments, problem in small:
        if problem is not None:
            row, column, what = problem
            raise InputError(f"row {offset + row + 1}, column {column}: {what}")
        moments = moments + part_moments
        offset += rows
    meta_part = _score_pandas_partition(inst.id, plan, invalid, rng, frame._meta)
    scores = dd.from_delayed(
        [delayed(operator.attrgetter("scores"))(p) for p in parts],
        meta=meta_part.scores,
        divisions=frame.divisions,
        verify_meta=False,
    )
    schema = pl.from_pandas(frame._meta[_wanted(plan)]).schema
    return ScoredFrame(scores, _summary(inst, plan, invalid, rng, schema, moments))
