"""An instrument compiled into Polars expressions: the table scorer for files, frames, clusters.

``CompiledInstrument`` turns the instrument's data (keys, scales, the missing-data rule, the
profile) into expressions over the input's item columns, so Polars evaluates them in its own
threads, batch by batch, without Python in the row loop. The same compiled plan scores a batch of
a local file, a pandas/Polars frame and a Dask partition. It reads the same instrument data as
``core.scoring.ScaleScorer`` (one person's answers) with the same arithmetic in the same order;
``tests/core/test_compiled.py`` checks that the two agree exactly on every shipped instrument.

Per batch, ``CompiledInstrument.moments`` reduces the scored rows to sufficient statistics
(``Moments``) that add across batches and partitions: rows, per-scale score sums, and for each
reliability scale n, Σx and Σxxᵀ over the rows complete on that scale. Keyed answers are whole
numbers (the range check guarantees it), so those sums are integers, summed exactly in integer
arithmetic and added as Python ints: alpha and omega come out the same however the rows were
split. No I/O here; readers and writers live in ``safebase.tables`` and ``safebase.cluster``.
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal, TypeVar

import numpy as np
import polars as pl

from safebase.core.batch import STYLE_CODES, BatchSummary
from safebase.core.instrument import Instrument, Scale
from safebase.core.reliability import reliability_from_cov
from safebase.core.scoring import ResponseRange, ScaleScorer, default_range, item_bounds

InvalidPolicy = Literal["error", "missing"]
T = TypeVar("T")

# Column names of the intermediate columns; the "__sb_" prefix keeps them apart from the input's.
_P = "__sb_"


def _value(j: int) -> str:
    return f"{_P}v{j}"  # the cell as a number (null when empty or not a number)


def _bad(j: int) -> str:
    return f"{_P}bad{j}"  # the cell holds something that is not a valid answer


def _keyed(j: int) -> str:
    return f"{_P}k{j}"  # reverse-keyed answer, null when missing (or invalid and counted missing)


def _count(scale_id: str) -> str:
    return f"{_P}n_{scale_id}"  # answered items of an item-based scale


def _packed(scale_id: str) -> str:
    return f"{_P}p_{scale_id}"  # count and total of a mean scale in one integer (_packed_expr)


# The four labels as a categorical type: cheap to write (a dictionary of four strings), read back
# as text (see safebase.tables), a category in pandas.
STYLE_TYPE = pl.Enum([str(s) for s in STYLE_CODES[1:]])


@dataclass
class ScaleSums:
    """Running totals of one scale's scores (for the mean and SD in the summary)."""

    n: int = 0
    total: float = 0.0
    total_sq: float = 0.0

    def __add__(self, other: ScaleSums) -> ScaleSums:
        return ScaleSums(self.n + other.n, self.total + other.total, self.total_sq + other.total_sq)


@dataclass
class CrossProducts:
    """n, Σx and Σxxᵀ of the keyed answers over rows complete on a scale, as exact integers."""

    n: int
    sums: tuple[int, ...]
    cross: tuple[tuple[int, ...], ...]

    @classmethod
    def zero(cls, k: int) -> CrossProducts:
        return cls(0, (0,) * k, tuple((0,) * k for _ in range(k)))

    def __add__(self, other: CrossProducts) -> CrossProducts:
        return CrossProducts(
            self.n + other.n,
            tuple(a + b for a, b in zip(self.sums, other.sums, strict=True)),
            tuple(
                tuple(a + b for a, b in zip(r, s, strict=True))
                for r, s in zip(self.cross, other.cross, strict=True)
            ),
        )

    def covariance(self) -> np.ndarray:
        """cov_ij = (n·Σxᵢxⱼ − Σxᵢ·Σxⱼ) / (n(n−1)), the numerator in exact integers and one
        correctly rounded division, so the matrix does not depend on how the rows were split."""
        n, s = self.n, self.sums
        den = n * (n - 1)
        k = len(s)
        return np.array(
            [
                [float(Fraction(n * self.cross[i][j] - s[i] * s[j], den)) for j in range(k)]
                for i in range(k)
            ]
        )


@dataclass
class Moments:
    """Everything the summary needs, from any number of batches: add two to merge them."""

    rows: int = 0
    rows_scored: int = 0
    invalid_cells: int = 0
    scales: dict[str, ScaleSums] = field(default_factory=dict)
    complete: dict[str, CrossProducts] = field(default_factory=dict)

    def __add__(self, other: Moments) -> Moments:
        return Moments(
            self.rows + other.rows,
            self.rows_scored + other.rows_scored,
            self.invalid_cells + other.invalid_cells,
            _merge(self.scales, other.scales),
            _merge(self.complete, other.complete),
        )


def _merge(a: dict, b: dict) -> dict:
    out = dict(a)
    for key, value in b.items():
        out[key] = out[key] + value if key in out else value
    return out


@dataclass(frozen=True)
class CellProblem:
    """The first invalid cell of a batch: 0-based row in the batch, item index, and the words."""

    row: int
    item: int
    what: str


def _format_value(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _memo(method: Callable[..., T]) -> Callable[..., T]:
    """A method's result kept on the instance, per arguments: expressions are built once per
    compiled plan rather than once per batch (building them cost more than a small batch's
    arithmetic), and go when the plan goes."""
    slot = f"_memo_{method.__name__}"

    @functools.wraps(method)
    def wrapper(self: object, *args: object) -> T:
        cache = self.__dict__.setdefault(slot, {})
        if args not in cache:
            cache[args] = method(self, *args)
        return cache[args]

    return wrapper


def _int_type(bound: int) -> pl.DataType:
    """The narrowest integer type that holds every whole number of magnitude <= bound. Polars
    sums Int8 and Int16 columns as Int64, which no realistic number of rows overflows
    (32767 · 2⁴⁸ rows); beyond Int16 (products of answers on a 0-1000 scale), Int128."""
    if bound <= 127:
        return pl.Int8()
    if bound <= 32767:
        return pl.Int16()
    return pl.Int128()


def _cross_products(row: dict[str, int], k: int) -> CrossProducts:
    cross = [[0] * k for _ in range(k)]
    for a in range(k):
        for b in range(a, k):
            cross[a][b] = cross[b][a] = int(row[f"x{a}_{b}"])
    return CrossProducts(
        int(row["n"]), tuple(int(row[f"s{i}"]) for i in range(k)), tuple(tuple(r) for r in cross)
    )


class CompiledInstrument:
    """Expressions that score a frame whose item columns are ``item_columns`` (instrument item
    order) with the given Polars types. ``rows`` adds the scored columns to a lazy frame;
    ``moments`` reduces a scored batch; ``first_problem`` finds the cell to report."""

    def __init__(
        self,
        instrument: Instrument,
        item_columns: list[str],
        schema: Mapping[str, pl.DataType],
        *,
        response_range: ResponseRange | None = None,
        invalid: InvalidPolicy = "error",
    ):
        self.instrument = instrument
        self.range = response_range or default_range(instrument)
        self.item_columns = list(item_columns)
        self.invalid = invalid
        self.lows, self.highs = item_bounds(instrument, self.range)
        self._scorer = ScaleScorer(instrument, self.range)
        self._index = {k: j for j, k in enumerate(instrument.item_keys)}
        self._reversed = {self._index[k] for s in instrument.scales for k in s.reverse_keys}
        self._text = [not _is_numeric(schema[c]) for c in self.item_columns]
        self._float = [_is_float(schema[c]) for c in self.item_columns]
        self._native_float = [schema[c].is_float() for c in self.item_columns]
        self._key_types = [_int_type(self._bound(j)) for j in range(len(self.item_columns))]
        self.score_columns = [s.id for s in instrument.scales]
        # No style column where the instrument computes no label (the RQ: see core.profile).
        self.has_style = instrument.profile is not None and instrument.profile.style_label
        self.output_columns = [*self.score_columns, *(["style"] if self.has_style else [])]
        self.reliability_scales = [
            s for s in instrument.scales if s.method == "mean" and len(s.item_keys) >= 2
        ]

    def _bound(self, j: int) -> int:
        """The largest magnitude a keyed answer (or low + high, reversing it) can have."""
        lo, hi = int(self.lows[j]), int(self.highs[j])
        return max(abs(lo), abs(hi), abs(lo + hi))

    # ------------------------------------------------------------------ per-row expressions

    def _cell_value(self, j: int) -> pl.Expr:
        col = pl.col(self.item_columns[j])
        if self._text[j]:
            # Text cells: surrounding spaces are ignored, an empty cell is missing, anything else
            # must read as a number ("nan" is text, not a number: it is reported, not skipped).
            text = col.cast(pl.String).str.strip_chars()
            number = text.cast(pl.Float64, strict=False)
            return pl.when(number.is_nan()).then(None).otherwise(number)
        value = col.cast(pl.Float64)
        # A float NaN in a numeric column is an empty cell, as pandas and NumPy treat it.
        return value.fill_nan(None) if self._float[j] else value

    def _cell_bad(self, j: int, v: pl.Expr | None = None) -> pl.Expr:
        """Whether cell j is not a valid answer; ``v`` is its value (the ``_value`` column when
        one was made, else the value computed from the input column)."""
        v = pl.col(_value(j)) if v is None else v
        lo, hi = float(self.lows[j]), float(self.highs[j])
        bad = (v < lo) | (v > hi)
        if self._float[j] or self._text[j]:
            bad = bad | (v % 1 != 0)  # a fraction (cheaper than comparing with floor)
        bad = bad.fill_null(False)
        if self._text[j]:
            text = pl.col(self.item_columns[j]).cast(pl.String).str.strip_chars()
            bad = bad | (v.is_null() & text.is_not_null() & (text != ""))
        return bad

    def rows(self, frame: pl.LazyFrame, keep: list[str] | None = None) -> pl.LazyFrame:
        """The input columns ``keep`` followed by one column per scale (null where the
        missing-data rule gives no score), ``style`` where the instrument has a profile, and the
        intermediate columns ``moments`` and ``first_problem`` read (dropped by ``output``).

        With invalid="error" no cell is checked here: a batch is checked whole, column by column
        (``first_problem``), and its cells are looked at only when that check fails, so a valid
        batch (nearly every one) pays for a few aggregates instead of a flag per cell."""
        keep = list(keep or [])
        lf = frame.select(
            *[pl.col(c) for c in keep],
            *[pl.col(c) for c in dict.fromkeys(self.item_columns) if c not in keep],
        )
        for step in self._row_steps():
            lf = lf.with_columns(step)
        return lf

    @_memo
    def _row_steps(self) -> tuple[tuple[pl.Expr, ...], ...]:
        """The expressions of ``rows``, built once per compiled plan, step by step (each step
        reads columns the steps before it made)."""
        n = len(self.item_columns)
        steps: list[tuple[pl.Expr, ...]] = []
        if self.invalid == "missing":
            # Each bad cell is blanked and counted, so each cell's value and flag are kept.
            steps.append(tuple(self._cell_value(j).alias(_value(j)) for j in range(n)))
            steps.append(tuple(self._cell_bad(j).alias(_bad(j)) for j in range(n)))
        steps.append(tuple(self._keyed_expr(j).alias(_keyed(j)) for j in range(n)))
        item_scales = [s for s in self.instrument.scales if s.method in ("mean", "weighted_sum")]
        packed = {s.id: self._packing(s) for s in item_scales}
        steps.append(
            tuple(
                self._packed_expr(s, *packed[s.id]).alias(_packed(s.id))
                for s in item_scales
                if packed[s.id] is not None
            )
        )
        counts = []
        for s in item_scales:
            if packed[s.id] is not None:
                base = packed[s.id][0]
                counts.append((pl.col(_packed(s.id)) // base).alias(_count(s.id)))
            else:
                counts.append(
                    pl.sum_horizontal(
                        [pl.col(_keyed(self._index[k])).is_not_null() for k in s.item_keys]
                    )
                    .cast(pl.UInt32)
                    .alias(_count(s.id))
                )
        steps.append(tuple(counts))
        # Scales in instrument order; mean_of_scales reads scores defined before it.
        for scale in self.instrument.scales:
            steps.append((self._score_expr(scale).alias(scale.id),))
        if self.has_style:
            steps.append((self._style_expr().alias("style"),))
        return tuple(steps)

    def _keyed_expr(self, j: int) -> pl.Expr:
        """The keyed answer as the narrowest integer type that holds it: a valid answer is a
        whole number in its range (a batch with an invalid one is reported, not scored, unless
        invalid answers count as missing), and sums and products of small integers are exact
        and cheap."""
        if self.invalid == "missing":
            v = pl.when(pl.col(_bad(j))).then(None).otherwise(pl.col(_value(j)))
        elif self._text[j] or self._float[j]:
            v = self._cell_value(j)
        else:
            v = pl.col(self.item_columns[j])  # whole numbers already: one cast, not two
        dtype = self._key_types[j]
        x = v.cast(dtype, wrap_numerical=True)
        if j in self._reversed:
            return pl.lit(int(self.lows[j] + self.highs[j]), dtype=dtype) - x
        return x

    def _packing(self, scale: Scale) -> tuple[int, pl.DataType] | None:
        """For a mean scale whose items share their lowest answer: the base B (a power of two
        beyond any total of answers above that lowest) and the integer type of ``_packed``."""
        if scale.method != "mean":
            return None
        items = [self._index[k] for k in scale.item_keys]
        lows = {int(self.lows[j]) for j in items}
        if len(lows) != 1:
            return None
        lo = lows.pop()
        span = max(int(self.highs[j]) - lo for j in items)
        base = 1 << (len(items) * span).bit_length()
        return base, _int_type(len(items) * (base + max(span, abs(lo))))

    def _packed_expr(self, scale: Scale, base: int, dtype: pl.DataType) -> pl.Expr:
        """The number of answered items and their total in one integer, in one chain of
        additions (counting the answers separately cost more than adding them up):
        Σ over answered items of (x − lo + B) = B·count + Σ(x − lo), where Σ(x − lo) < B.
        An unanswered item adds lo − B, and k·(B − lo) is added once, so it adds nothing."""
        lo = int(self.lows[self._index[scale.item_keys[0]]])
        terms = [
            pl.col(_keyed(self._index[k])).cast(dtype).fill_null(lo - base) for k in scale.item_keys
        ]
        return _add(terms) + pl.lit(len(terms) * (base - lo), dtype=dtype)

    def _score_expr(self, scale: Scale) -> pl.Expr:
        cols = [pl.col(_keyed(self._index[k])) for k in scale.item_keys]
        # Item totals are sums of whole numbers (times whole weights), exact in any order; a
        # chain of additions over zero-filled columns is cheaper than sum_horizontal.
        packing = self._packing(scale)
        if packing is not None:
            # Total = Σ(x − lo) + lo·count, out of the packed column (see _packed_expr).
            base, lo = packing[0], int(self.lows[self._index[scale.item_keys[0]]])
            count = pl.col(_count(scale.id))
            total = pl.col(_packed(scale.id)) % base + lo * count
            return pl.when(count >= scale.min_answered).then(
                total.cast(pl.Float64) / count.cast(pl.Float64)
            )
        if scale.method == "mean":
            count = pl.col(_count(scale.id))
            bound = max(self._bound(self._index[k]) for k in scale.item_keys)
            wide = _int_type(bound * len(cols))
            total = _add([c.fill_null(0).cast(wide) for c in cols]).cast(pl.Float64)
            return pl.when(count >= scale.min_answered).then(total / count.cast(pl.Float64))
        if scale.method == "weighted_sum":
            assert scale.weights is not None
            count = pl.col(_count(scale.id))
            total = _add(
                [
                    c.fill_null(0).cast(pl.Float64) * float(w)
                    for c, w in zip(cols, scale.weights, strict=True)
                ]
            )
            return pl.when(count == len(scale.item_keys)).then(total)
        if scale.method == "choice":
            return cols[0].cast(pl.Float64)
        parts = [pl.col(s) for s in scale.of_scales]
        have = pl.sum_horizontal([p.is_not_null() for p in parts]).cast(pl.Float64)
        need = math.ceil(scale.min_answered_fraction * len(scale.of_scales) - 1e-9)
        # Left to right, as NumPy sums a row: scale scores are fractions, so the order of the
        # additions shows in the last bit (sum_horizontal adds in another order).
        total = _add([p.fill_null(0.0) for p in parts])
        return pl.when(have >= need).then(total / have)

    def _style_expr(self) -> pl.Expr:
        profile = self.instrument.profile
        assert profile is not None
        cut_anx = self._scorer.midpoint(self.instrument.scale(profile.anxiety))
        cut_avo = self._scorer.midpoint(self.instrument.scale(profile.avoidance))
        anx, avo = pl.col(profile.anxiety), pl.col(profile.avoidance)
        # profile.HIGH_RULE, as a column expression: high only strictly beyond the midpoint, so a
        # score exactly at it counts as low (tests compare this with profile.is_high row by row).
        if profile.positive_is_secure:
            anx_high, avo_high = anx < cut_anx, avo < cut_avo
        else:
            anx_high, avo_high = anx > cut_anx, avo > cut_avo
        code = anx_high.cast(pl.UInt8) + 2 * avo_high.cast(pl.UInt8)
        # The label at that position (null where a dimension has no score): a gather from the
        # four labels costs a third of replace_strict.
        labels = pl.Series(STYLE_TYPE.categories, dtype=STYLE_TYPE)
        return pl.lit(labels).gather(code)

    # ------------------------------------------------------------------ per-batch reductions

    def moments(self, scored: pl.DataFrame) -> Moments:
        """Sufficient statistics of one scored batch (a frame returned by ``rows``)."""
        problem, m = self.reduce(scored, check=False)
        assert problem is None and m is not None
        return m

    def first_problem(self, scored: pl.DataFrame) -> CellProblem | None:
        """The first invalid cell of a batch (a frame returned by ``rows``) in reading order
        (row, then item order), or None."""
        check = scored.select(self._check_exprs()).row(0, named=True)
        return self._find_problem(scored) if self._is_bad(check) else None

    def reduce(
        self, scored: pl.DataFrame, *, check: bool = True
    ) -> tuple[CellProblem | None, Moments | None]:
        """One scored batch's first invalid cell (``check``) or else its sufficient statistics:
        the check's column aggregates, the score sums and each scale's cross-products are
        separate queries over the batch, run together in one ``collect_all``."""
        m = Moments(rows=scored.height)
        if scored.height == 0:
            m.scales = {s: ScaleSums() for s in self.score_columns}
            m.complete = {
                s.id: CrossProducts.zero(len(s.item_keys)) for s in self.reliability_scales
            }
            return None, m
        lazy = scored.lazy()
        queries = [
            lazy.select(self._sum_exprs()),
            *(
                lazy.filter(pl.col(_count(s.id)) == len(s.item_keys)).select(self._cross_exprs(s))
                for s in self.reliability_scales
            ),
        ]
        if check:
            queries.append(lazy.select(self._check_exprs()))
        results = [r.row(0, named=True) for r in pl.collect_all(queries)]
        if check and self._is_bad(results.pop()):
            return self._find_problem(scored), None
        sums, *crosses = results
        m.rows_scored = int(sums["scored"])
        m.invalid_cells = int(sums.get("invalid", 0))
        m.scales = {
            s: ScaleSums(int(sums[f"n:{s}"]), float(sums[f"sum:{s}"]), float(sums[f"sq:{s}"]))
            for s in self.score_columns
        }
        m.complete = {
            s.id: _cross_products(row, len(s.item_keys))
            for s, row in zip(self.reliability_scales, crosses, strict=True)
        }
        return None, m

    @_memo
    def _sum_exprs(self) -> list[pl.Expr]:
        exprs: list[pl.Expr] = [
            pl.any_horizontal([pl.col(s).is_not_null() for s in self.score_columns])
            .sum()
            .alias("scored"),
        ]
        if self.invalid == "missing":
            n = len(self.item_columns)
            exprs.append(
                pl.sum_horizontal([pl.col(_bad(j)) for j in range(n)]).sum().alias("invalid")
            )
        for s in self.score_columns:
            c = pl.col(s)
            exprs += [
                c.count().alias(f"n:{s}"),
                c.sum().alias(f"sum:{s}"),
                (c * c).sum().alias(f"sq:{s}"),
            ]
        return exprs

    @_memo
    def _cross_exprs(self, scale: Scale) -> list[pl.Expr]:
        """n, Σx and the upper triangle of Σxxᵀ over the rows it is given (those complete on
        the scale). Keyed answers become the narrowest integer type that holds their products:
        exact, and narrow types keep the k(k+1)/2 products cheap."""
        cols = [self._index[k] for k in scale.item_keys]
        k = len(cols)
        bound = max(self._bound(j) for j in cols)
        dtype = _int_type(bound * bound)
        # Whole numbers within the type's range (chosen for it): the cast cannot wrap, and
        # skipping Polars' overflow check makes it several times cheaper.
        x = [pl.col(_keyed(j)).cast(dtype, wrap_numerical=True) for j in cols]
        wide = pl.Int128 if dtype == pl.Int128 else pl.Int64
        return [
            pl.len().alias("n"),
            *[x[i].cast(wide).sum().alias(f"s{i}") for i in range(k)],
            *[
                (x[a] * x[b]).sum().cast(wide).alias(f"x{a}_{b}")
                for a in range(k)
                for b in range(a, k)
            ],
        ]

    @_memo
    def _check_exprs(self) -> list[pl.Expr]:
        """Whether any cell of the batch is invalid, column by column: for a float column and a
        range of a few whole numbers, whether any value is not one of them; else a number
        column's minimum and maximum (compared with its range by ``_is_bad``) and, for floats,
        whether any value has a fraction; text columns cell by cell. Equivalent to asking every cell
        (``_cell_bad``), at a fraction of the cost. Float columns are read as they are: min and
        max skip NaN, and floor(NaN) equals NaN in Polars' comparisons, so NaN (an empty cell)
        is never taken for a bad one."""
        exprs: list[pl.Expr] = []
        for j, c in enumerate(self.item_columns):
            if self._text[j]:
                exprs.append(self._cell_bad(j, self._cell_value(j)).any().alias(f"bad{j}"))
                continue
            lo, hi = int(self.lows[j]), int(self.highs[j])
            if self._native_float[j] and hi - lo <= 64:
                # One pass instead of three: any value that is none of the answers (NaN is in
                # the set: an empty cell; -0.0 equals 0.0).
                allowed = [float(x) for x in range(lo, hi + 1)] + [math.nan]
                exprs.append((~pl.col(c).is_in(allowed)).any().alias(f"bad{j}"))
                continue
            v = pl.col(c) if self._native_float[j] else self._cell_value(j)
            exprs += [v.min().alias(f"min{j}"), v.max().alias(f"max{j}")]
            if self._float[j]:
                exprs.append((v.floor() != v).any().alias(f"bad{j}"))
        return exprs

    def _is_bad(self, check: Mapping[str, object]) -> bool:
        """Reads the row of ``_check_exprs``. Comparisons in Python: a column whose values are
        all NaN has NaN for min and max, which compare False here (Polars orders NaN last)."""
        for j in range(len(self.item_columns)):
            if check.get(f"bad{j}") is True:
                return True
            lo, hi = check.get(f"min{j}"), check.get(f"max{j}")
            if lo is not None and lo < self.lows[j]:  # type: ignore[operator]
                return True
            if hi is not None and hi > self.highs[j]:  # type: ignore[operator]
                return True
        return False

    def _find_problem(self, scored: pl.DataFrame) -> CellProblem:
        """The first bad cell of a batch known to have one: its row, then the cell."""
        n = len(self.item_columns)
        cells = [self._cell_bad(j, self._cell_value(j)) for j in range(n)]
        first = scored.select(pl.any_horizontal(cells).arg_true().first()).item()
        if first is None:
            raise AssertionError("a batch checked bad has no bad row")
        row = scored.slice(int(first), 1)
        flags = row.select(c.alias(f"bad{j}") for j, c in enumerate(cells)).row(0)
        values = row.select(self._cell_value(j).alias(f"v{j}") for j in range(n)).row(0)
        for j in range(n):
            if not flags[j]:
                continue
            v = values[j]
            lo, hi = int(self.lows[j]), int(self.highs[j])
            if v is None:
                raw = str(row[self.item_columns[j]].cast(pl.String).str.strip_chars()[0])
                what = f"value '{raw}' is not a number"
            elif v < lo or v > hi:
                what = f"value {_format_value(v)} is outside {lo}-{hi}"
            else:
                what = f"value {_format_value(v)} is not a whole number in {lo}-{hi}"
            return CellProblem(int(first), j, what)
        raise AssertionError("a row flagged bad has no bad cell")

    def output(self, scored: pl.DataFrame, keep: list[str] | None = None) -> pl.DataFrame:
        return scored.select(*(keep or []), *self.output_columns)

    # ------------------------------------------------------------------ the summary

    def summary(self, m: Moments) -> BatchSummary:
        s = BatchSummary(self.instrument.id, str(self.range))
        s.rows_read, s.rows_scored, s.invalid_cells = m.rows, m.rows_scored, m.invalid_cells
        for sid in self.score_columns:
            t = m.scales.get(sid, ScaleSums())
            s.missing[sid] = m.rows - t.n
            mean = t.total / t.n if t.n else None
            sd = None
            if t.n > 1 and mean is not None:
                var = (t.total_sq - t.n * mean * mean) / (t.n - 1)
                sd = float(np.sqrt(max(var, 0.0)))
            s.scale_stats[sid] = {"n": t.n, "mean": mean, "sd": sd}
        for scale in self.reliability_scales:
            acc = m.complete.get(scale.id, CrossProducts.zero(len(scale.item_keys)))
            keys = list(scale.item_keys)
            if acc.n >= 3:
                rel = reliability_from_cov(scale.id, keys, acc.n, acc.covariance())
                s.reliability[scale.id] = rel.as_dict()
            else:
                s.reliability[scale.id] = {"n_complete": acc.n, "alpha": None, "omega_total": None}
        return s


def _add(terms: list[pl.Expr]) -> pl.Expr:
    """((a + b) + c) + …: left to right, the order NumPy adds a row in."""
    return functools.reduce(operator.add, terms)


def _is_numeric(dtype: pl.DataType) -> bool:
    return dtype.is_numeric() or dtype == pl.Null


def _is_float(dtype: pl.DataType) -> bool:
    return dtype.is_float() or dtype.is_decimal()
