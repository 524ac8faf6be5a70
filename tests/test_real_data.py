"""51,491 real people's ECR answers (openpsychometrics.org): scoring and reliability reproduce the
figures in ../shared/data/openpsychometrics_ecr/README.md and Brennan et al.'s published alphas.

Skips outside CI when ../shared is absent; fails in CI (see tests.conftest.shared_path).
"""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd
import pytest

from safebase.cli.app import main
from safebase.core.instrument import get_instrument
from safebase.core.reliability import reliability_of
from safebase.core.scoring import ResponseRange, ScaleScorer
from tests.conftest import shared_path

pytestmark = pytest.mark.realdata
SHA256 = "7703f7f7b4d35d1d85b5cf4062cecc94380cdedd4fcd16132411186c1ac95ec1"


@pytest.fixture(scope="module")
def data_file():
    path = shared_path("data", "openpsychometrics_ecr", "data.csv")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == SHA256
    return path


@pytest.fixture(scope="module")
def cli_run(data_file, tmp_path_factory):
    out_dir = tmp_path_factory.mktemp("real")
    out, summary = out_dir / "scores.parquet", out_dir / "summary.json"
    argv = [
        "score",
        str(data_file),
        "--instrument",
        "ecr",
        "--prefix",
        "Q",
        "--range",
        "1-5",
        "--invalid",
        "missing",
        "--out",
        str(out),
        "--summary-json",
        str(summary),
    ]
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code in (0, None)
    return pd.read_parquet(out), json.loads(summary.read_text())


def test_counts(cli_run):
    _scores, s = cli_run
    assert s["rows_read"] == 51_491
    # The README: 0 marks "not answered" in 9,534 cells; out of 1–5, so counted as missing.
    assert s["invalid_cells_counted_missing"] == 9_534


def test_first_rows_match_readme(cli_run):
    scores, _ = cli_run
    # README "Row checks": 4.7778/1.0556, 2.3333/1.0000, 3.8889/1.9444.
    assert scores["anxiety"].head(3).round(4).tolist() == [4.7778, 2.3333, 3.8889]
    assert scores["avoidance"].head(3).round(4).tolist() == [1.0556, 1.0, 1.9444]


def test_reliability_matches_readme_and_brennan(cli_run):
    _, s = cli_run
    anx, avo = s["reliability"]["anxiety"]["alpha"], s["reliability"]["avoidance"]["alpha"]
    # README (complete cases on all 36 items): .9160 / .9382. Ours uses rows complete on each
    # scale's 18 items, a slightly larger sample, so agreement is to the third decimal.
    assert anx == pytest.approx(0.9160, abs=0.001)
    assert avo == pytest.approx(0.9382, abs=0.001)
    # Brennan, Clark & Shaver (1998): .91 anxiety, .94 avoidance (to two decimals, ±.01).
    assert round(anx, 2) in (0.91, 0.92) and round(avo, 2) == 0.94
    # Omega total is at least alpha for congeneric items and both are high here.
    assert s["reliability"]["anxiety"]["omega_total"] >= anx - 0.002


def test_complete_case_alpha_and_means_reproduce_readme_exactly(data_file):
    frame = pd.read_csv(data_file)
    items = frame[[f"Q{i}" for i in range(1, 37)]].to_numpy(float)
    complete = items[(items != 0).all(axis=1)]
    assert len(complete) == 46_610
    inst = get_instrument("ecr")
    scorer = ScaleScorer(inst, ResponseRange(1, 5))
    keyed = scorer.keyed(complete)
    table = {"anxiety": (0.9160, 3.0954, 0.8034), "avoidance": (0.9382, 2.5650, 0.8396)}
    scores = scorer.score(complete)
    for scale, (alpha, mean, sd) in table.items():
        cols = scorer.columns(inst.scale(scale))
        rel = reliability_of(scale, [str(c) for c in cols], keyed[:, cols])
        assert rel.alpha == pytest.approx(alpha, abs=0.00005)
        assert scores[scale].mean() == pytest.approx(mean, abs=0.00005)
        assert scores[scale].std(ddof=1) == pytest.approx(sd, abs=0.00005)
    r = np.corrcoef(scores["anxiety"], scores["avoidance"])[0, 1]
    assert r == pytest.approx(-0.046, abs=0.0005)


def test_ecr_s_from_the_same_file(data_file, tmp_path):
    """ECR-S items are original ECR items; README gives its complete-case alphas .7731/.8320."""
    frame = pd.read_csv(data_file)
    short = get_instrument("ecr-s")
    mapping = {it.key: f"Q{it.original_number}" for it in short.items}
    map_file = tmp_path / "map.json"
    map_file.write_text(json.dumps(mapping))
    complete = frame[(frame[[f"Q{i}" for i in range(1, 37)]] != 0).all(axis=1)]
    complete_file = tmp_path / "complete.csv"
    complete.to_csv(complete_file, index=False)
    summary = tmp_path / "s.json"
    with pytest.raises(SystemExit):
        main(
            [
                "score",
                str(complete_file),
                "-i",
                "ecr-s",
                "--map",
                str(map_file),
                "--range",
                "1-5",
                "--summary-json",
                str(summary),
            ]
        )
    s = json.loads(summary.read_text())
    assert s["rows_scored"] == 46_610
    assert s["reliability"]["anxiety"]["alpha"] == pytest.approx(0.7731, abs=0.00005)
    assert s["reliability"]["avoidance"]["alpha"] == pytest.approx(0.8320, abs=0.00005)
    assert s["scale_scores"]["anxiety"]["mean"] == pytest.approx(3.0884, abs=0.00005)
