"""The safety screen's text classifier, read from plain data and run with NumPy.

Why it exists: the rules in ``safety_rules/`` only know the wordings someone thought of. This
model reads the sentences no rule spoke about. It is a tf-idf + logistic regression model
exported as vocabularies, idf weights and coefficients, so it runs on this machine with no model
server, no network and no pickle. The inference below reproduces scikit-learn's
``TfidfVectorizer`` (char_wb and word analyzers, sublinear tf, l2 norm per vectorizer) and
``LogisticRegression.predict_proba``; a test checks them against scikit-learn (to 1e-5: weights
are stored to six decimals). What it was trained on (files and their hashes), its settings and
the threshold, with where the threshold was calibrated, are in the JSON file itself; retrain
with ``scripts/train_safety_model.py``; how well it does is printed by
``scripts/text_metrics.py``.

It never logs or stores text. It gives probabilities, nothing more: it is a screen for showing
help, not an assessment of anyone's risk.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

MODEL_PATH = Path(str(resources.files("safebase.core.practice") / "safety_model.json"))
NONE = "none"
_WHITESPACE = re.compile(r"\s\s+")
_TOKEN = re.compile(r"(?u)\b\w\w+\b")


@dataclass(frozen=True)
class _Model:
    classes: tuple[str, ...]
    char_index: dict[str, int]
    char_idf: np.ndarray
    word_index: dict[str, int]
    word_idf: np.ndarray
    coef: np.ndarray  # classes x (chars + words)
    intercept: np.ndarray
    char_range: tuple[int, int]
    word_range: tuple[int, int]
    threshold: float


@cache
def _model() -> _Model:
    return load_model(MODEL_PATH)


def load_model(path: Path) -> _Model:
    """Read a model file written by scripts/train_safety_model.py."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    params = raw["params"]
    return _Model(
        classes=tuple(raw["classes"]),
        char_index={t: i for i, t in enumerate(raw["char_vocabulary"])},
        char_idf=np.asarray(raw["char_idf"], dtype=float),
        word_index={t: i for i, t in enumerate(raw["word_vocabulary"])},
        word_idf=np.asarray(raw["word_idf"], dtype=float),
        coef=np.asarray(raw["coef"], dtype=float),
        intercept=np.asarray(raw["intercept"], dtype=float),
        char_range=tuple(params["char_ngrams"]),
        word_range=tuple(params["word_ngrams"]),
        threshold=float(params["threshold"]),
    )


def _char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    """scikit-learn's char_wb analyzer: n-grams inside space-padded words."""
    grams: list[str] = []
    for word in _WHITESPACE.sub(" ", text).split():
        padded = f" {word} "
        for n in range(low, high + 1):
            offset = 0
            grams.append(padded[offset : offset + n])
            while offset + n < len(padded):
                offset += 1
                grams.append(padded[offset : offset + n])
            if offset == 0:  # a word shorter than n is counted once
                break
    return grams


def _word_ngrams(text: str, low: int, high: int) -> list[str]:
    tokens = _TOKEN.findall(text.lower())
    grams: list[str] = []
    for n in range(low, min(high, len(tokens)) + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams


def _tfidf(
    grams: list[str], index: dict[str, int], idf: np.ndarray, offset: int
) -> tuple[list[int], np.ndarray]:
    """The non-zero tf-idf features (column, l2-normalised value); sparse, because a dense
    vector the size of the vocabulary made each entry cost ~25 ms."""
    counts = Counter(index[g] for g in grams if g in index)
    if not counts:
        return [], np.zeros(0)
    cols = list(counts)
    values = np.array([(1.0 + math.log(counts[i])) * idf[i] for i in cols])
    return [offset + i for i in cols], values / math.sqrt(float(values @ values))


def probabilities(prepared_text: str, model: _Model | None = None) -> dict[str, float]:
    """Class probabilities (``none`` and the kinds of risk) for already-prepared text."""
    m = model or _model()
    char_cols, char_vals = _tfidf(
        _char_wb_ngrams(prepared_text, *m.char_range), m.char_index, m.char_idf, 0
    )
    word_cols, word_vals = _tfidf(
        _word_ngrams(prepared_text, *m.word_range), m.word_index, m.word_idf, len(m.char_idf)
    )
    cols = char_cols + word_cols
    scores = m.coef[:, cols] @ np.concatenate((char_vals, word_vals)) + m.intercept
    exp = np.exp(scores - scores.max())
    return dict(zip(m.classes, (exp / exp.sum()).tolist(), strict=True))


def risk_category(prepared_text: str) -> str | None:
    """The most likely category when the probability of any risk reaches the threshold."""
    probs = probabilities(prepared_text)
    if 1.0 - probs[NONE] < _model().threshold:
        return None
    return max((c for c in probs if c != NONE), key=probs.__getitem__)


def risk_score(prepared_text: str) -> tuple[float, str]:
    """The probability of any risk, and the most likely kind of risk."""
    probs = probabilities(prepared_text)
    kind = max((c for c in probs if c != NONE), key=probs.__getitem__)
    return 1.0 - probs[NONE], kind


def threshold() -> float:
    return _model().threshold
