"""``safebase.score_frame``: pandas, Polars and Dask frames scored as ``safebase score`` does."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest

import safebase
from safebase.tables import InputError, score_file
from tests.test_cluster import responses, write_part


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    m = responses(1_200, seed=11)
    data = {f"ecrr_{j + 1}": pd.array(m[:, j], dtype="Float64") for j in range(36)}
    df = pd.DataFrame(data, index=[f"p{i}" for i in range(1, 1_201)])
    return df.astype("float64")


@pytest.fixture(scope="module")
def from_file(frame, tmp_path_factory):
    """The same rows through the file path: the reference for every kind of frame."""
    folder = tmp_path_factory.mktemp("frames")
    src, out = folder / "in.parquet", folder / "out.parquet"
    write_part(src, frame.to_numpy(), 1, 1_200)
    summary = score_file(src, safebase_instrument(), out=out, id_column="id")
    return pd.read_parquet(out), summary


def safebase_instrument():
    from safebase.core.instrument import get_instrument

    return get_instrument("ecr-r")


def values(series: pd.Series) -> list:
    """Plain Python values, every kind of missing as None."""
    return [None if pd.isna(x) else x for x in series.astype(object).tolist()]


def check(scores: pd.DataFrame, summary, from_file) -> None:
    want, want_summary = from_file
    for col in ("anxiety", "avoidance", "style"):
        assert values(scores[col]) == values(want[col]), col  # floats compared exactly
    assert summary.rows_read == want_summary.rows_read
    assert summary.missing == want_summary.missing
    for scale in ("anxiety", "avoidance"):
        assert summary.reliability[scale]["alpha"] == want_summary.reliability[scale]["alpha"]
        assert summary.reliability[scale]["omega_total"] == pytest.approx(
            want_summary.reliability[scale]["omega_total"], abs=1e-12
        )


def test_pandas_keeps_the_index(frame, from_file):
    result = safebase.score_frame(frame, instrument="ecr-r")
    assert list(result.scores.columns) == ["anxiety", "avoidance", "style"]
    assert result.scores.index.equals(frame.index)
    assert str(result.scores["style"].dtype) == "category"
    check(result.scores, result.summary, from_file)


@pytest.mark.parametrize("lazy", [False, True])
def test_polars(frame, from_file, lazy):
    pf = pl.from_pandas(frame)
    result = safebase.score_frame(pf.lazy() if lazy else pf, "ecr-r")
    assert isinstance(result.scores, pl.DataFrame)
    check(result.scores.to_pandas(), result.summary, from_file)


def test_dask_partitions(frame, from_file):
    import dask
    import dask.dataframe as dd

    ddf = dd.from_pandas(frame, npartitions=5, sort=False)
    with dask.config.set(scheduler="threads"):
        result = safebase.score_frame(ddf, "ecr-r")
        scores = result.scores.compute()
    assert result.scores.npartitions == 5
    assert scores.index.equals(frame.index)
    check(scores, result.summary, from_file)


def test_bad_cell_names_the_row_across_partitions(frame):
    import dask.dataframe as dd

    bad = frame.copy()
    bad.iloc[777, 4] = 9.0
    with pytest.raises(InputError, match=r"^row 778, column ecrr_5: value 9 is outside 1-7$"):
        safebase.score_frame(dd.from_pandas(bad, npartitions=4, sort=False), "ecr-r")
    with pytest.raises(InputError, match=r"^row 778, column ecrr_5: value 9 is outside 1-7$"):
        safebase.score_frame(bad, "ecr-r")
    counted = safebase.score_frame(bad, "ecr-r", invalid="missing")
    assert counted.summary.invalid_cells == 1


def test_other_prefix_range_and_id_column():
    m = np.full((3, 36), 5.0)
    df = pd.DataFrame(m, columns=[f"Q{i}" for i in range(1, 37)])
    df.insert(0, "person", ["a", "b", "c"])
    result = safebase.score_frame(df, "ecr-r", prefix="Q", id_column="person", response_range="1-5")
    assert result.scores["person"].tolist() == ["a", "b", "c"]
    # All 5s on 1-5: anxiety (16·5 + 2·1)/18, as in tests/test_tables.py.
    assert result.scores["anxiety"].tolist() == [82 / 18] * 3
    assert result.summary.response_range == "1-5"


def test_not_a_frame():
    with pytest.raises(InputError, match="pandas, Polars or Dask data frame, not list"):
        safebase.score_frame([1, 2, 3], "ecr-r")
