"""The safety screen's classifier: the shipped file is current, NumPy inference equals
scikit-learn's, the threshold procedure does what it says, and screening stays fast. How well
the screen does is in tests/core/test_text_metrics.py.

The full build (sixteen fits, leave-one-author-out) takes four to six minutes and the freshness
check (fingerprint, then a retrain of the final model) about twenty seconds, so both run outside
pytest: ``make test`` runs ``scripts/train_safety_model.py --check``. This file checks the
fingerprint by hash, and the inference code on a small model trained in the test."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
from train_safety_model import (  # noqa: E402
    AUTHORS,
    THRESHOLDS,
    Entry,
    choose_threshold,
    export,
    fingerprint,
    fit,
    training_rows,
)

from safebase.core.practice import safety_model  # noqa: E402
from safebase.core.practice.safety import SCREEN_HEAD, SCREEN_TAIL, screen_text  # noqa: E402

SHIPPED = json.loads(safety_model.MODEL_PATH.read_text(encoding="utf-8"))


def test_shipped_model_was_trained_on_the_current_data_rules_and_code():
    """When this fails the shipped model is stale: run scripts/train_safety_model.py."""
    assert SHIPPED["fingerprint"] == json.loads(json.dumps(fingerprint()))


def test_threshold_comes_from_authors_left_out_and_no_heldout_set_is_read():
    assert set(SHIPPED["cross_author"]) == set(AUTHORS) == set(SHIPPED["threshold_rates"])
    assert all(f"tests/data/{f}" in SHIPPED["threshold_chosen_on"] for f in AUTHORS.values())
    assert not any("heldout" in name for name in SHIPPED["fingerprint"]["trained_on"])
    assert 0.0 < SHIPPED["params"]["threshold"] < 1.0


def _entry(category: str, kind: str) -> Entry:
    return Entry("x", category, kind, "x", "x", False)


def test_threshold_keeps_false_alarms_averaged_over_authors_within_limits_then_catches_most():
    risk = [_entry("suicide", "suicidal_ideation")] * 10
    safe = [_entry("none", "everyday")] * 20 + [_entry("none", "attachment_worry")] * 40
    # author X: one everyday entry scores 0.6, one worry 0.5: 2/60 safe, 1/40 worries flagged
    # at any threshold up to 0.5, within the limits, so the lowest threshold tried wins
    x = (risk + safe, [0.9] * 10 + [0.6] + [0.0] * 19 + [0.5] + [0.0] * 39)
    assert choose_threshold({"X": x}) == THRESHOLDS[0] == 0.20
    y = (risk + safe, [0.7] * 10 + [0.8] + [0.0] * 59)
    assert choose_threshold({"X": x, "Y": y}) == 0.20
    # author Y with ten everyday entries (no worries), one scoring 0.8: 10% of safe entries up
    # to 0.8. Averaged with X: (2/60 + 1/10) / 2 > 5% up to 0.5, (1/60 + 1/10) / 2 > 5% up to
    # 0.6, (0 + 1/10) / 2 = 5% above it: 0.61, although Y alone stays over the limit until 0.81.
    # Y has no worries, so the worries' mean is X's alone.
    y_small = (risk + safe[:10], [0.7] * 10 + [0.8] + [0.0] * 9)
    assert choose_threshold({"X": x, "Y": y_small}) == 0.61
    assert choose_threshold({"Y": y_small}) == 0.81
    # no threshold keeps the mean within the limits: the least excess, then the lowest
    z = (risk + safe[:10], [0.7] * 10 + [0.5] * 5 + [0.99] * 5)
    assert choose_threshold({"Z": z}) == 0.51


def test_numpy_inference_matches_scikit_learn(tmp_path):
    entries = [Entry.of(r) for r in training_rows()[::12]]
    pipeline = fit(entries)
    path = tmp_path / "model.json"
    path.write_text(json.dumps(export(pipeline, 0.5)), encoding="utf-8")
    model = safety_model.load_model(path)
    texts = [e.prepared for e in entries[::9]] + ["", "a", "ok", "  spaced   out  "]
    expected = pipeline.predict_proba(texts)
    ours = np.array(
        [[safety_model.probabilities(t, model)[c] for c in pipeline.classes_] for t in texts]
    )
    assert np.abs(expected - ours).max() < 1e-5


def _timed(text: str) -> float:
    start = time.perf_counter()
    screen_text(text)
    return time.perf_counter() - start


def test_screening_an_entry_is_fast_however_long():
    """Generous bounds: measured on a 2-core machine, a median entry ~0.5 ms, 3,900 characters
    ~13 ms, ~3 ms per 1,000 characters up to the cap (68,000), and no more past it."""
    rows = training_rows(("T2",))[-200:]
    texts = [t for t, _, _ in rows]
    screen_text("warm up: the model loads once")
    times = sorted(_timed(t) for t in texts[:60])
    assert times[len(times) // 2] < 0.05
    long = " ".join(texts * 50)  # far past the cap
    assert len(long) > 10 * (SCREEN_HEAD + SCREEN_TAIL)
    assert min(_timed(long) for _ in range(3)) < 1.0


def test_a_long_entry_is_read_whole_up_to_what_the_app_stores():
    """Three full 20,000-character fields: a risk sentence anywhere in them is found."""
    filler = "We went to the market and bought apples. " * 700  # ~29,000 characters
    assert len(filler) * 2 > 3 * 20_000 - 5_000
    risk = "I want to kill myself tonight. "
    assert screen_text(filler + risk + filler).risk  # the very middle
    assert screen_text(filler + filler + risk).risk
    assert screen_text(risk + filler + filler).risk
    assert not screen_text(filler + filler).risk
