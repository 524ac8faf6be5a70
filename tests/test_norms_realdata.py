"""The shipped reference sample (safebase/norms/ecr-5pt-openpsychometrics-2018.toml) re-derived
from the 51,491 real rows in ../shared/data/openpsychometrics_ecr/: once independently with pandas,
pingouin and SciPy, and once by re-running the build command, which must reproduce the file.

Skips outside CI when ../shared is absent; fails in CI (see tests.conftest.shared_path).
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pingouin
import pytest
from scipy import stats

from safebase.core.norms import get_reference_sample, load_reference_file
from tests.cli.helpers import run
from tests.conftest import shared_path

pytestmark = pytest.mark.realdata
SAMPLE_ID = "ecr-5pt-openpsychometrics-2018"
SHA256 = "7703f7f7b4d35d1d85b5cf4062cecc94380cdedd4fcd16132411186c1ac95ec1"
KEYS = {  # Brennan et al.'s original ECR keys (README of the data folder)
    "anxiety": (range(2, 37, 2), {22}),
    "avoidance": (range(1, 36, 2), {3, 15, 19, 25, 27, 29, 31, 33, 35}),
}


@pytest.fixture(scope="module")
def data_file():
    path = shared_path("data", "openpsychometrics_ecr", "data.csv")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == SHA256
    return path


@pytest.fixture(scope="module")
def frame(data_file):
    items = pd.read_csv(data_file, usecols=[f"Q{i}" for i in range(1, 37)])
    return items.where(items != 0)  # the file marks "not answered" with 0


def test_shipped_statistics_reproduce_independently(frame):
    sample = get_reference_sample(SAMPLE_ID)
    assert sample.input.sha256 == SHA256
    assert sample.input.rows_read == len(frame) == 51_491
    assert sample.input.invalid_cells_counted_missing == int(frame.isna().sum().sum()) == 9_534
    scored_any = pd.Series(False, index=frame.index)
    for scale, (items, reverse) in KEYS.items():
        keyed = pd.DataFrame(
            {n: 6 - frame[f"Q{n}"] if n in reverse else frame[f"Q{n}"] for n in items}
        )
        answered = keyed.notna().sum(axis=1)
        scores = keyed.mean(axis=1).where(answered >= 15)  # 80% of 18 items
        scored_any |= scores.notna()
        s = scores.dropna().to_numpy()
        sc = sample.scale(scale)
        assert sc.n == len(s)
        assert sc.mean == pytest.approx(s.mean(), abs=1e-12)
        assert sc.sd == pytest.approx(s.std(ddof=1), abs=1e-12)
        complete = keyed.dropna()
        assert sc.reliability.n_complete == len(complete)
        alpha, _ = pingouin.cronbach_alpha(data=complete)
        assert sc.reliability.alpha == pytest.approx(alpha, abs=1e-10)
        rounded = np.round(s, 6)
        values, counts = np.unique(rounded, return_counts=True)
        assert [r[0] for r in sc.percentile_table] == values.tolist()
        assert [r[1] for r in sc.percentile_table] == counts.tolist()
        for score in (1.5, 2.0, 3.0, 3.5, 4.0):
            expected = stats.percentileofscore(rounded, score, kind="mean")
            assert sc.percentile_rank(score) == pytest.approx(expected)
    assert sample.input.rows_scored == int(scored_any.sum())
    # The data README's complete-case alphas (.9160 / .9382, rows complete on all 36 items) are
    # close to these per-scale complete-case values.
    assert sample.scale("anxiety").reliability.alpha == pytest.approx(0.9160, abs=0.001)
    assert sample.scale("avoidance").reliability.alpha == pytest.approx(0.9382, abs=0.001)


def test_rebuilding_with_the_command_reproduces_the_shipped_file(data_file, tmp_path):
    shipped = get_reference_sample(SAMPLE_ID)
    out = tmp_path / f"{SAMPLE_ID}.toml"
    argv = ["norms", "build", str(data_file), "--instrument", "ecr-5pt", "--prefix", "Q"]
    argv += ["--invalid", "missing", "--label", shipped.label, "--source", shipped.source]
    assert run([*argv, "--out", str(out)]) == 0
    rebuilt = load_reference_file(out).model_copy(update={"built": shipped.built})
    # Floats to 1e-12: omega's eigen-decomposition can differ in the last bit between BLAS builds
    # (0.9160257414182731 against ...732 on one machine); everything else must match exactly.
    assert _close(rebuilt.model_dump(), shipped.model_dump())


def _close(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == pytest.approx(b, rel=1e-12, abs=1e-12)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    return a == b
