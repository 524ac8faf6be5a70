"""The safety screen's classifier: shipped file current, NumPy inference equal to scikit-learn,
and how well it does on wording by authors whose phrases it was not trained on.

Cross-author check: the development sets B and C were written by two separate authors who saw
neither the rules nor each other's phrases. Training without one and testing on it estimates how
the screen does on new wording; the floors below sit under what was measured when the model was
chosen (numbers in the comments), so a change that makes the model worse fails here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
from train_safety_model import NONE, export, fit, read_rows, training_rows  # noqa: E402

from safebase.core.practice import safety_model  # noqa: E402
from safebase.core.practice.safety import prepare_text  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def rows():
    return training_rows()


@pytest.fixture(scope="module")
def pipeline(rows):
    return fit(rows)


def test_shipped_model_is_what_training_gives(pipeline):
    """Same training files (by hash), vocabularies and classes; weights equal up to the small
    differences another scikit-learn or BLAS build may give.

    When this fails the shipped model is stale: run scripts/train_safety_model.py."""
    shipped = json.loads(safety_model.MODEL_PATH.read_text(encoding="utf-8"))
    fresh = json.loads(json.dumps(export(pipeline)))
    numeric = ("char_idf", "word_idf", "coef", "intercept")
    assert {k: v for k, v in shipped.items() if k not in numeric} == {
        k: v for k, v in fresh.items() if k not in numeric
    }
    for key in numeric:
        assert np.allclose(shipped[key], fresh[key], atol=1e-3), key


def test_numpy_inference_matches_scikit_learn(pipeline, rows):
    texts = [prepare_text(t) for t, _ in rows[::7]] + ["", "a", "ok", "  spaced   out  "]
    expected = pipeline.predict_proba(texts)
    ours = np.array([[safety_model.probabilities(t)[c] for c in pipeline.classes_] for t in texts])
    assert np.abs(expected - ours).max() < 1e-5


def _file_rows(name: str) -> list[tuple[str, str]]:
    return read_rows(REPO / "tests" / "data" / name)


def _recall_precision(train, test) -> tuple[float, float]:
    """The classifier alone, trained on ``train``, flagging ``test`` at the shipped threshold."""
    model = fit(train)
    probs = model.predict_proba([prepare_text(t) for t, _ in test])
    none = list(model.classes_).index(NONE)
    flagged = 1.0 - probs[:, none] >= safety_model.PARAMS["threshold"]
    risk = np.array([label != NONE for _, label in test])
    tp = int((flagged & risk).sum())
    return tp / int(risk.sum()), tp / max(int(flagged.sum()), 1)


# Measured for the shipped settings (2026-11-23; C=4, threshold 0.5, the classifier alone,
# trained with the everyday, attachment-worry and short-note sets): without set B, recall 0.700
# and precision 0.955 on B; without set C, 0.790 and 0.931 on C. The whole screen (rules, then
# the classifier on sentences without a denial or idiom) finds 0.717 / 0.849 at precision
# 0.925 / 0.886. Lower thresholds find more (0.4: about 0.79 / 0.89) but flag more everyday
# entries (5-fold, whole screen at 0.5: 4.8% and 5.6% of the two everyday sets, 6.3% of short
# notes, 15.3% of attachment worries; at 0.4 about twice as many, 21% of attachment worries);
# 0.5 was chosen for an app whose everyday content is exactly that worry. Settings were
# compared on these folds, not on the held-out set.
@pytest.mark.parametrize(
    ("held_out", "recall_floor", "precision_floor"),
    [("safety_dev_b.csv", 0.68, 0.90), ("safety_dev_c.csv", 0.75, 0.88)],
)
def test_cross_author_generalisation(held_out, recall_floor, precision_floor):
    held = set(_file_rows(held_out))
    train = [row for row in training_rows() if row not in held]
    test = _file_rows(held_out)
    recall, precision = _recall_precision(train, test)
    assert recall >= recall_floor and precision >= precision_floor, (recall, precision)
