"""``scripts/build_in_parts.py``: a build run in parts gives exactly the folds of a build run at
once, resumes without fitting a saved fold again, stops at its time limit before writing
anything, and never mixes folds computed from other inputs. A toy training script stands in for
the real ones (whose folds take minutes): the same ``model_file.AuthorFolds``, forked workers
included, with fits that are counted."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
import build_in_parts  # noqa: E402

TOY = """
import json, sys
from pathlib import Path
import numpy as np
sys.path.insert(0, {scripts!r})
import model_file

HERE = Path({here!r})
AUTHORS = {{"A": [1, 2], "B": [3], "C": [4, 5], "D": [6], "E": [7, 8]}}


def fingerprint():
    return json.loads((HERE / "inputs.json").read_text())


def fit(train):
    with (HERE / "fits.txt").open("a") as out:
        out.write("fit\\n")
    return sum(train) + fingerprint()["shift"]


def scores(model, entries):
    # a float32 beside a Python float, as the safety script's scores come
    return [np.float32(model / (e + 0.5)) if e % 2 else model / (e + 0.5) for e in entries]


def main(argv):
    folds = model_file.AuthorFolds([10], AUTHORS, fit, scores, lambda s: 0.5, inner_groups=2)
    folds.precompute()
    out = {{
        " ".join(sorted(k)): {{a: [[type(x).__name__, float(x)] for x in v] for a, v in by.items()}}
        for k, by in folds._scored.items()
    }}
    (HERE / "result.json").write_text(json.dumps(out, sort_keys=True))
    return 0
"""


@pytest.fixture()
def toy(tmp_path, monkeypatch):
    """A toy training script named ``toy_build``, registered as ``toy``."""
    (tmp_path / "inputs.json").write_text(json.dumps({"shift": 0}))
    source = TOY.format(scripts=str(REPO / "scripts"), here=str(tmp_path))
    (tmp_path / "toy_build.py").write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("toy_build", None)
    monkeypatch.setitem(build_in_parts.TRAINING_SCRIPTS, "toy", "toy_build")
    return tmp_path


def _fits(folder: Path) -> int:
    path = folder / "fits.txt"
    n = len(path.read_text().splitlines()) if path.exists() else 0
    path.unlink(missing_ok=True)
    return n


def _result(folder: Path) -> dict | None:
    path = folder / "result.json"
    if not path.exists():
        return None
    out = json.loads(path.read_text())
    path.unlink()
    return out


def test_a_build_in_parts_equals_one_at_once_and_resumes_without_refitting(toy):
    cache = toy / "cache"
    assert importlib.import_module("toy_build").main([]) == 0
    at_once, folds = _result(toy), _fits(toy)
    assert folds == len(at_once) > 5  # outer and inner folds
    kinds = {kind for by in at_once.values() for v in by.values() for kind, _ in v}
    assert kinds == {"float32", "float"}  # and a fold read back must give the same types

    assert build_in_parts.run("toy", cache, minutes=None) == 0
    assert _result(toy) == at_once and _fits(toy) == folds
    [saved] = cache.glob("folds-*")
    files = sorted(saved.glob("*.pickle"))
    assert len(files) == folds

    assert build_in_parts.run("toy", cache, minutes=None) == 0
    assert _result(toy) == at_once and _fits(toy) == 0  # every fold read back, none fitted

    files[0].rename(saved / f".{files[0].name}.123.partial")  # as a kill mid-write leaves it
    assert build_in_parts.run("toy", cache, minutes=None) == 0
    assert _result(toy) == at_once and _fits(toy) == 1
    assert build_in_parts.run("toy", cache, minutes=None) == 0
    assert _result(toy) == at_once and _fits(toy) == 0  # the refitted fold was saved


def test_at_the_time_limit_it_stops_before_writing_and_then_resumes(toy, capsys):
    cache = toy / "cache"
    assert build_in_parts.run("toy", cache, minutes=0) == build_in_parts.STOPPED
    assert _result(toy) is None and _fits(toy) == 0
    assert "run again to resume" in capsys.readouterr().err

    assert build_in_parts.run("toy", cache, minutes=60) == 0
    assert _result(toy) is not None and _fits(toy) > 5


def test_folds_from_other_inputs_are_never_mixed_in(toy):
    cache = toy / "cache"
    assert build_in_parts.run("toy", cache, minutes=None) == 0
    before, folds = _result(toy), _fits(toy)

    (toy / "inputs.json").write_text(json.dumps({"shift": 100}))
    assert build_in_parts.run("toy", cache, minutes=None) == 0
    after = _result(toy)
    assert _fits(toy) == folds  # all fitted again, into a second cache file
    assert len(list(cache.glob("folds-*"))) == 2
    assert after.keys() == before.keys() and after != before
