"""The safety screen's classifier: the shipped file is what training gives, and NumPy inference
equals scikit-learn's. How well the screen does is in tests/core/test_text_metrics.py."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
from train_safety_model import CALIBRATE_DEV, build, training_rows  # noqa: E402

from safebase.core.practice import safety_model  # noqa: E402
from safebase.core.practice.safety import prepare_text  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def rows():
    return training_rows()


@pytest.fixture(scope="module")
def built():
    return build()


@pytest.fixture(scope="module")
def fresh(built):
    return json.loads(json.dumps(built[0]))


def test_shipped_model_is_what_training_gives(fresh):
    """Same training files (by hash), threshold, vocabularies and classes; weights equal up to
    the small differences another scikit-learn or BLAS build may give.

    When this fails the shipped model is stale: run scripts/train_safety_model.py."""
    shipped = json.loads(safety_model.MODEL_PATH.read_text(encoding="utf-8"))
    numeric = ("char_idf", "word_idf", "coef", "intercept")
    assert {k: v for k, v in shipped.items() if k not in numeric} == {
        k: v for k, v in fresh.items() if k not in numeric
    }
    for key in numeric:
        assert np.allclose(shipped[key], fresh[key], atol=1e-3), key


def test_calibration_set_is_never_trained_on(fresh):
    assert f"tests/data/{CALIBRATE_DEV}" not in fresh["trained_on"]
    assert fresh["threshold_calibrated_on"] == f"tests/data/{CALIBRATE_DEV}"
    assert not any("heldout" in name for name in fresh["trained_on"])


def test_numpy_inference_matches_scikit_learn(rows, built):
    pipeline = built[2]
    texts = [prepare_text(t) for t, _, _ in rows[::25]] + ["", "a", "ok", "  spaced   out  "]
    expected = pipeline.predict_proba(texts)
    ours = np.array([[safety_model.probabilities(t)[c] for c in pipeline.classes_] for t in texts])
    assert np.abs(expected - ours).max() < 1e-5
