"""The safety screen's classifier: the shipped file is current, and NumPy inference equals
scikit-learn's. How well the screen does is in tests/core/test_text_metrics.py.

The exact check (retrain and compare the whole file) takes half a minute, so it runs in
``make test`` as ``scripts/train_safety_model.py --check`` rather than here; this file checks
what makes the file stale (training data, rule files) by hash, and the inference code on a small
model trained in the test."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
from train_safety_model import (  # noqa: E402
    CALIBRATE_DEV,
    export,
    fit,
    rules_digest,
    training_digests,
    training_rows,
)

from safebase.core.practice import safety_model  # noqa: E402
from safebase.core.practice.safety import prepare_text  # noqa: E402

SHIPPED = json.loads(safety_model.MODEL_PATH.read_text(encoding="utf-8"))


def test_shipped_model_was_trained_on_the_current_data_and_rules():
    """When this fails the shipped model is stale: run scripts/train_safety_model.py."""
    assert SHIPPED["trained_on"] == training_digests()
    assert SHIPPED["rules_digest"] == rules_digest()


def test_calibration_set_is_never_trained_on():
    assert f"tests/data/{CALIBRATE_DEV}" not in SHIPPED["trained_on"]
    assert SHIPPED["threshold_calibrated_on"] == f"tests/data/{CALIBRATE_DEV}"
    assert not any("heldout" in name for name in SHIPPED["trained_on"])
    assert 0.0 < SHIPPED["params"]["threshold"] < 1.0


def test_numpy_inference_matches_scikit_learn(tmp_path):
    rows = training_rows()[::6]
    pipeline = fit(rows)
    path = tmp_path / "model.json"
    path.write_text(json.dumps(export(pipeline, 0.5, ())), encoding="utf-8")
    model = safety_model.load_model(path)
    texts = [prepare_text(t) for t, _, _ in rows[::9]] + ["", "a", "ok", "  spaced   out  "]
    expected = pipeline.predict_proba(texts)
    ours = np.array(
        [[safety_model.probabilities(t, model)[c] for c in pipeline.classes_] for t in texts]
    )
    assert np.abs(expected - ours).max() < 1e-5
