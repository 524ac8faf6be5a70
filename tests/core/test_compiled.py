"""The compiled (Polars) table scorer against the NumPy scorer of single responses, exactly.

Both read the same instrument data; these tests hold them to the same numbers bit for bit on every
shipped instrument, with missing answers, both response ranges, and the reliability statistics
independent of how the rows are split.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from safebase.core.compiled import CompiledInstrument, CrossProducts, Moments
from safebase.core.instrument import all_instruments, get_instrument
from safebase.core.reliability import MomentAccumulator, reliability_from_cov
from safebase.core.scoring import ResponseRange, ScaleScorer, item_bounds

INSTRUMENTS = sorted(all_instruments())


def random_answers(inst, n: int, seed: int, rng_override=None, missing=0.08) -> np.ndarray:
    rng = np.random.default_rng(seed)
    lows, highs = item_bounds(inst, rng_override)
    m = rng.integers(lows.astype(int), highs.astype(int) + 1, size=(n, len(lows))).astype(float)
    m[rng.random(m.shape) < missing] = np.nan
    return m


def frame_of(inst, matrix: np.ndarray, dtype=pl.Float64) -> pl.DataFrame:
    cols = {}
    for j, key in enumerate(inst.item_keys):
        col = matrix[:, j]
        cols[f"c{key}"] = pl.Series([None if np.isnan(v) else v for v in col], dtype=pl.Float64)
    return pl.DataFrame(cols).cast(dtype)


def compiled_scores(inst, frame: pl.DataFrame, rng=None, invalid="error"):
    compiled = CompiledInstrument(
        inst,
        [f"c{k}" for k in inst.item_keys],
        frame.schema,
        response_range=rng,
        invalid=invalid,
    )
    scored = compiled.rows(frame.lazy()).collect()
    return compiled, scored


def assert_same(numpy_scores: dict[str, np.ndarray], scored: pl.DataFrame, inst) -> None:
    for scale in inst.scales:
        want = numpy_scores[scale.id]
        got = scored[scale.id].to_numpy().astype(float)
        # Bit for bit, NaN (no score) in the same places.
        assert np.array_equal(np.isnan(want), np.isnan(got)), scale.id
        ok = ~np.isnan(want)
        assert np.array_equal(want[ok], got[ok]), scale.id


@pytest.mark.parametrize("instrument_id", INSTRUMENTS)
@pytest.mark.parametrize("dtype", [pl.Float64, pl.Int64, pl.String])
def test_scores_equal_the_numpy_scorer_bit_for_bit(instrument_id, dtype):
    inst = get_instrument(instrument_id)
    m = random_answers(inst, 2_000, seed=len(instrument_id))
    # Rows with many answers missing, so the 80% rule decides some scores.
    m[:200, : max(1, m.shape[1] // 3)] = np.nan
    want = ScaleScorer(inst).score(m)
    frame = frame_of(inst, m, pl.Float64)
    if dtype == pl.String:
        frame = frame.with_columns(pl.all().cast(pl.String).str.replace(r"\.0$", ""))
    else:
        frame = frame.cast(dtype)
    _, scored = compiled_scores(inst, frame)
    assert_same(want, scored, inst)


def test_scores_equal_on_another_range():
    inst = get_instrument("ecr-r")
    rng = ResponseRange(1, 5)
    m = random_answers(inst, 1_000, seed=3, rng_override=rng)
    want = ScaleScorer(inst, rng).score(m)
    _, scored = compiled_scores(inst, frame_of(inst, m), rng)
    assert_same(want, scored, inst)


def test_style_matches_the_quadrants():
    inst = get_instrument("ecr-r")
    m = random_answers(inst, 3_000, seed=4, missing=0.02)
    _, scored = compiled_scores(inst, frame_of(inst, m))
    mid = 4.0
    for anx, avo, style in scored.select("anxiety", "avoidance", "style").iter_rows():
        if anx is None or avo is None:
            assert style is None
            continue
        want = {
            (False, False): "secure",
            (True, False): "anxious-preoccupied",
            (False, True): "dismissing-avoidant",
            (True, True): "fearful-avoidant",
        }[(anx > mid, avo > mid)]
        assert style == want


def test_cross_products_are_exact_and_split_independent():
    inst = get_instrument("ecr-r")
    m = random_answers(inst, 5_000, seed=5, missing=0.02)
    compiled, scored = compiled_scores(inst, frame_of(inst, m))
    whole = compiled.moments(scored)
    parts = Moments()
    for size in (1, 2, 997, 1_500, 2_500):  # uneven pieces, including single rows
        piece, scored = scored.head(size), scored.slice(size)
        parts = parts + compiled.moments(piece)
    parts = parts + compiled.moments(scored)
    assert parts.rows == whole.rows == 5_000
    assert parts.complete == whole.complete
    assert compiled.summary(parts).reliability == compiled.summary(whole).reliability
    # Against a plain integer computation of n, Σx, Σxxᵀ over complete rows.
    scorer = ScaleScorer(inst)
    keyed = scorer.keyed(m)
    for scale in compiled.reliability_scales:
        block = keyed[:, scorer.columns(scale)]
        block = block[~np.isnan(block).any(axis=1)].astype(np.int64)
        acc = whole.complete[scale.id]
        assert acc.n == block.shape[0]
        assert list(acc.sums) == block.sum(axis=0).tolist()
        assert [list(r) for r in acc.cross] == (block.T @ block).tolist()


def test_alpha_agrees_with_the_running_accumulator():
    inst = get_instrument("ecr-r")
    # Correlated answers, so alpha and omega are substantial.
    rng = np.random.default_rng(6)
    f = np.repeat(rng.standard_normal((4_000, 2)), 18, axis=1)
    m = np.clip(np.rint(4 + 1.2 * f + rng.standard_normal((4_000, 36))), 1, 7)
    reversed_items = [int(k) - 1 for s in inst.scales for k in s.reverse_keys]
    m[:, reversed_items] = 8 - m[:, reversed_items]  # people answer reversed items in reverse
    m[rng.random(m.shape) < 0.03] = np.nan
    compiled, scored = compiled_scores(inst, frame_of(inst, m))
    summary = compiled.summary(compiled.moments(scored))
    scorer = ScaleScorer(inst)
    keyed = scorer.keyed(m)
    for scale in compiled.reliability_scales:
        acc = MomentAccumulator(len(scale.item_keys))
        acc.add(keyed[:, scorer.columns(scale)])
        ref = reliability_from_cov(scale.id, list(scale.item_keys), acc.n, acc.covariance())
        got = summary.reliability[scale.id]
        assert got["n_complete"] == ref.n
        assert got["alpha"] == pytest.approx(ref.alpha, abs=1e-12)
        assert got["omega_total"] == pytest.approx(ref.omega_total, abs=1e-10)
        assert got["alpha"] > 0.8


def test_covariance_of_exact_sums():
    # Two items, three rows: (1,2), (2,2), (3,5) -> var 1, 3; cov 1.5.
    acc = CrossProducts(3, (6, 9), ((14, 21), (21, 33)))
    assert acc.covariance().tolist() == [[1.0, 1.5], [1.5, 3.0]]


def test_large_ranges_use_wide_integers():
    # A 0-1000 range: products up to 10^6 do not fit Int8/Int16; sums stay exact.
    inst = get_instrument("ecr-r")
    rng = ResponseRange(0, 1000)
    m = random_answers(inst, 500, seed=7, rng_override=rng, missing=0.0)
    compiled, scored = compiled_scores(inst, frame_of(inst, m), rng)
    keyed = ScaleScorer(inst, rng).keyed(m).astype(np.int64)
    acc = compiled.moments(scored).complete["anxiety"]
    block = keyed[:, :18]
    assert [list(r) for r in acc.cross] == (block.T @ block).tolist()


def test_first_problem_names_the_first_cell_in_reading_order():
    inst = get_instrument("ecr-r")
    m = np.full((6, 36), 4.0)
    m[4, 20] = 0  # row 5, item 21
    m[3, 30] = 9  # row 4, item 31: first in reading order
    m[3, 35] = 3.5
    compiled, scored = compiled_scores(inst, frame_of(inst, m))
    problem = compiled.first_problem(scored)
    assert (problem.row, problem.item, problem.what) == (3, 30, "value 9 is outside 1-7")
    compiled, scored = compiled_scores(inst, frame_of(inst, m), invalid="missing")
    moments = compiled.moments(scored)
    assert moments.invalid_cells == 3
    assert scored["anxiety"].to_list() == [4.0] * 6


def _cell_by_cell(inst, frame: pl.DataFrame, rng=None) -> tuple[int, int] | None:
    """The first bad cell by the plain rule, in Python: a value that is not a whole number
    within the item's range (an empty cell, None or NaN, is fine; text is bad unless blank)."""
    lows, highs = item_bounds(inst, rng)
    for r, row in enumerate(frame.iter_rows()):
        for j, v in enumerate(row):
            if v is None or (isinstance(v, float) and np.isnan(v)):
                continue
            if isinstance(v, str):
                text = v.strip()
                if not text:
                    continue
                try:
                    v = float(text)
                except ValueError:
                    return r, j
                if np.isnan(v):
                    return r, j
            if not np.isfinite(v) or not lows[j] <= v <= highs[j] or float(v) != int(v):
                return r, j
    return None


BAD_VALUES = [0.0, 8.0, 3.5, -1.0, 7.000001, 1e300, float("inf"), float("-inf"), 127.0, -128.0]


@pytest.mark.parametrize("dtype", [pl.Float64, pl.Float32, pl.Int16, pl.Int64, pl.String])
@pytest.mark.parametrize("seed", range(6))
def test_the_column_check_finds_exactly_the_cells_a_cell_by_cell_check_finds(dtype, seed):
    """The batch is checked column by column (min, max, membership), cells only when that
    fails: on planted bad values, NaN, empty and all-empty columns, in every column type,
    it must name the same first cell as looking at every cell, and nothing when none is bad."""
    inst = get_instrument("ecr-r")
    rng = np.random.default_rng(seed)
    m = random_answers(inst, 400, seed=seed, missing=0.05)
    m[:, 5] = np.nan  # an all-empty column
    frame = frame_of(inst, m)
    if dtype.is_float():
        # NaN is an empty cell, not a bad one.
        frame = frame.with_columns(pl.col("c7").fill_null(float("nan")))
    planted = seed % 3  # 0, 1 or 2 bad cells
    ints_only = dtype in (pl.Int16, pl.Int64)
    for _ in range(planted):
        r, j = int(rng.integers(400)), int(rng.integers(36))
        choices = [v for v in BAD_VALUES if not ints_only or (np.isfinite(v) and v == int(v))]
        value = choices[int(rng.integers(len(choices)))]
        frame[r, j] = value
    if dtype == pl.String:
        frame = frame.with_columns(pl.all().cast(pl.String).str.replace(r"\.0$", ""))
        if seed % 2:
            frame[int(rng.integers(400)), int(rng.integers(36))] = "abc"
        frame[3, 3] = "  "  # blank: empty, not bad
    else:
        frame = frame.with_columns(pl.all().cast(dtype, wrap_numerical=True))
    compiled, scored = compiled_scores(inst, frame)
    want = _cell_by_cell(inst, frame)
    problem = compiled.first_problem(scored)
    got = None if problem is None else (problem.row, problem.item)
    assert got == want
    check, moments = compiled.reduce(scored)
    assert (check is None) == (want is None)
    assert (moments is None) == (want is not None)


@pytest.mark.parametrize("dtype", [pl.Float64, pl.Float32, pl.Int16, pl.UInt8, pl.String])
@pytest.mark.parametrize("value", [*BAD_VALUES, 1.0, 7.0, -0.0, float("nan"), None])
def test_one_cell_of_each_kind_is_found_or_passed_exactly(dtype, value):
    """Each kind of value alone in an otherwise valid batch, on 1-7, on 0-6 (where -0.0 is
    the answer 0) and on 0-100 (too many answers to list: checked by min, max and fractions):
    found at its cell when bad, passed when valid or empty."""
    inst = get_instrument("ecr-r")
    for rng in (None, ResponseRange(0, 6), ResponseRange(0, 100)):
        m = random_answers(inst, 50, seed=7, rng_override=rng, missing=0.0)
        frame = frame_of(inst, m)
        frame[31, 20] = value
        if dtype == pl.String:
            frame = frame.with_columns(pl.all().cast(pl.String))
        elif value is not None and not dtype.is_float():
            if not np.isfinite(value) or value != int(value) or not -128 <= value <= 255:
                continue  # not a value an integer column can hold
            if dtype == pl.UInt8 and value < 0:
                continue
            frame = frame.with_columns(pl.all().cast(dtype))
        else:
            frame = frame.with_columns(pl.all().cast(dtype))
        compiled, scored = compiled_scores(inst, frame, rng)
        want = _cell_by_cell(inst, frame, rng)
        problem = compiled.first_problem(scored)
        assert (None if problem is None else (problem.row, problem.item)) == want
        assert want in (None, (31, 20))
