"""``safebase norms build`` and ``norms list``: statistics cross-checked against pandas, pingouin
and SciPy computed here from the same file, and one clear line with exit 2 for every bad input."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pingouin
import pytest
from scipy import stats

from safebase.core.norms import load_reference_file
from tests.cli.helpers import run

ECR_S_ANX, ECR_S_ANX_REV = [2, 4, 6, 8, 10, 12], {8}
ECR_S_AVO, ECR_S_AVO_REV = [1, 3, 5, 7, 9, 11], {1, 5, 9}
LABEL = "two hundred simulated people (test data)"
SOURCE = "numpy default_rng(7), written by the test"


@pytest.fixture(scope="module")
def responses(tmp_path_factory) -> Path:
    """ECR-S answers on 1–7 with some cells empty, and a few rows too empty to score."""
    rng = np.random.default_rng(7)
    n = 200
    trait = rng.normal(size=(n, 2))
    frame = {}
    for number in range(1, 13):
        t = trait[:, 0] if number in ECR_S_ANX else trait[:, 1]
        reverse = number in ECR_S_ANX_REV | ECR_S_AVO_REV
        x = np.clip(np.round(4 + 1.4 * (-t if reverse else t) + rng.normal(size=n)), 1, 7)
        x[rng.random(n) < 0.04] = np.nan
        frame[f"s{number}"] = x
    df = pd.DataFrame(frame)
    df.iloc[:5, :8] = np.nan  # five rows with too few answers on both scales
    path = tmp_path_factory.mktemp("norms") / "ecrs.csv"
    df.to_csv(path, index=False)
    return path


def _build(path: Path, out: Path, *extra: str) -> int:
    argv = ["norms", "build", str(path), "--instrument", "ecr-s", "--prefix", "s"]
    return run([*argv, "--label", LABEL, "--source", SOURCE, "--out", str(out), *extra])


def _independent(path: Path, items: list[int], reverse: set[int]):
    """Scores (mean of answered items, ≥ 80% = 5 of 6) and the complete-case keyed block."""
    df = pd.read_csv(path)
    keyed = pd.DataFrame({n: (8 - df[f"s{n}"]) if n in reverse else df[f"s{n}"] for n in items})
    answered = keyed.notna().sum(axis=1)
    scores = keyed.mean(axis=1).where(answered >= 5)
    return scores.dropna().to_numpy(), keyed.dropna()


def test_build_matches_pandas_pingouin_and_scipy(responses, tmp_path, capsys):
    out = tmp_path / "ecr-s-simulated.toml"
    assert _build(responses, out) == 0
    printed = capsys.readouterr().out
    assert "Written to" in printed and "no rows" in printed
    sample = load_reference_file(out)
    assert sample.id == "ecr-s-simulated" and sample.instrument == "ecr-s"
    assert sample.label == LABEL and sample.source == SOURCE
    assert tuple(sample.response_range) == (1, 7)
    assert sample.input.rows_read == 200 and sample.input.file == "ecrs.csv"
    assert sample.built_with == "safebase norms build ecrs.csv --instrument ecr-s --prefix s"
    for sid, items, reverse in (
        ("anxiety", ECR_S_ANX, ECR_S_ANX_REV),
        ("avoidance", ECR_S_AVO, ECR_S_AVO_REV),
    ):
        scores, complete = _independent(responses, items, reverse)
        sc = sample.scale(sid)
        assert sc.n == len(scores)
        assert sc.mean == pytest.approx(scores.mean(), abs=1e-12)
        assert sc.sd == pytest.approx(scores.std(ddof=1), abs=1e-12)
        alpha, _ci = pingouin.cronbach_alpha(data=complete)
        assert sc.reliability.alpha == pytest.approx(alpha, abs=1e-10)
        assert sc.reliability.n_complete == len(complete)
        assert sc.reliability.rows == "rows complete on the scale's items"
        assert sc.reliability.omega_total is not None
        for score, count, rank in sc.percentile_table:
            assert count == int(np.isclose(scores, score, atol=5e-7).sum())
            rounded = np.round(scores, 6)
            assert rank == pytest.approx(stats.percentileofscore(rounded, score, "mean"), abs=0.005)
    # The file holds statistics only: nothing that looks like a row of answers.
    raw = tomllib.loads(out.read_text(encoding="utf-8"))
    assert set(raw) == {
        "schema_version",
        "id",
        "instrument",
        "label",
        "source",
        "response_range",
        "built",
        "built_with",
        "scoring",
        "input",
        "scales",
    }


def test_list_shows_shipped_samples_per_instrument(capsys):
    assert run(["norms", "list"]) == 0
    out = capsys.readouterr().out
    assert "ecr-5pt-openpsychometrics-2018" in out and "not a representative norm" in out
    assert run(["norms", "list", "--instrument", "ecr-r"]) == 0
    assert "No reference samples for ecr-r." in capsys.readouterr().out


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"--label": "people"}, "--label is too short: say who the people were"),
        ({"--source": "  x "}, "--source is too short: say where the answers came from"),
        ({"--out": "sample.json"}, "a reference sample is written as a .toml file"),
        ({"--out": "Bad_Name.toml"}, "the file name is the sample's id"),
        ({"--out": "nowhere/x.toml"}, "does not exist"),
        ({"--instrument": "nope"}, "unknown instrument 'nope'"),
        ({"--instrument": "secure-signs"}, "is a reflection, not a validated measure"),
        ({"--range": "5-1"}, "range '5-1': LO must be smaller than HI"),
        ({"--range": "one"}, "is not of the form LO-HI"),
        ({"--invalid": "skip"}, "--invalid must be 'error' or 'missing'"),
        ({"--prefix": "q"}, "item column(s) of ecr-s not found in the input"),
        ({"INPUT": "missing.csv"}, "input file"),
        ({"--range": "1-5"}, "is outside 1-5"),
    ],
)
def test_every_bad_input_exits_2_with_one_line(responses, tmp_path, capsys, change, message):
    options = {
        "INPUT": str(responses),
        "--instrument": "ecr-s",
        "--prefix": "s",
        "--label": LABEL,
        "--source": SOURCE,
        "--out": "ok.toml",
    }
    options.update(change)
    out = options.pop("--out")
    options["--out"] = str(tmp_path / out)
    argv = ["norms", "build", options.pop("INPUT")]
    for key, value in options.items():
        argv += [key, value]
    assert run(argv) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(err) == 1 and err[0].startswith("error: ") and message in err[0], err
    assert not (tmp_path / "ok.toml").exists()


def test_missing_required_options_are_usage_errors(responses, capsys):
    assert run(["norms", "build", str(responses), "--instrument", "ecr-s"]) == 2
    assert "Missing option" in capsys.readouterr().err


def test_an_empty_input_is_refused(tmp_path, capsys):
    empty = tmp_path / "empty.csv"
    empty.write_text(",".join(f"s{n}" for n in range(1, 13)) + "\n", encoding="utf-8")
    assert _build(empty, tmp_path / "empty-sample.toml") == 2
    assert "no rows to score" in capsys.readouterr().err
