"""The safety screen's text classifier, read from plain data and run on this machine.

Why it exists: the rules in ``safety_rules/`` only know the wordings someone thought of. This
model reads the sentences no rule spoke about. Two logistic regressions, averaged with a fixed
weight (``embedding_weight`` in the model file):

* one on tf-idf features (the words and spellings people in this app use), exported as
  vocabularies, idf weights and coefficients; the inference below reproduces scikit-learn's
  ``TfidfVectorizer`` (char_wb and word analyzers, sublinear tf, l2 norm per vectorizer) and
  ``LogisticRegression.predict_proba``, and a test checks them against scikit-learn;
* one on sentence embeddings from a small local model (``sentence_encoder``: all-MiniLM-L6-v2,
  trained on about a billion sentence pairs), which places the same meaning in other words
  near each other: what a new author brings, and what tf-idf cannot know. It reads every
  readable sentence (``embedding_inputs``) and keeps the highest risk. The tf-idf head reads
  the sentences together, so in a long entry one risk sentence no rule caught weighs less
  there; the rules, which read every sentence on its own, are what catch it first.

Leaving each of thirteen blind authors out, the pair caught about two points more risk than
tf-idf alone at the same false alarms (the comparison is beside ``PARAMS`` in
``scripts/train_safety_model.py``; the shipped model's table is in the model file and printed by
``scripts/text_metrics.py``). What it was trained on (files and their hashes), its
settings and the threshold, with how the threshold was chosen, are in the JSON file itself;
retrain with ``scripts/train_safety_model.py``. Nothing here is a pickle, a model server or the
network.

It never logs or stores text. It gives probabilities, nothing more: it is a screen for showing
help, not an assessment of anyone's risk.
"""

from __future__ import annotations

import json
import logging
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
_log = logging.getLogger(__name__)
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
    # The embedding head (the safety model only; the coach's model file, read by the same
    # loader, has none): classes x 384 coefficients, intercepts, and its weight in the average.
    embedding_coef: np.ndarray | None = None
    embedding_intercept: np.ndarray | None = None
    embedding_weight: float = 0.0
    # An optional hidden layer before it (384 x units, and units; ReLU), as scikit-learn's
    # MLPClassifier stores it; without one the head is a logistic regression.
    embedding_hidden_coef: np.ndarray | None = None
    embedding_hidden_intercept: np.ndarray | None = None


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
        embedding_coef=_optional_array(raw, "embedding_coef"),
        embedding_intercept=_optional_array(raw, "embedding_intercept"),
        embedding_weight=float(params.get("embedding_weight", 0.0)),
        embedding_hidden_coef=_optional_array(raw, "embedding_hidden_coef"),
        embedding_hidden_intercept=_optional_array(raw, "embedding_hidden_intercept"),
    )


def _optional_array(raw: dict, key: str) -> np.ndarray | None:
    return np.asarray(raw[key], dtype=float) if key in raw else None


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
    """The tf-idf model's class probabilities (``none`` and the kinds of risk) for
    already-prepared text (the coach's model is read with this too)."""
    m = model or _model()
    char_cols, char_vals = _tfidf(
        _char_wb_ngrams(prepared_text, *m.char_range), m.char_index, m.char_idf, 0
    )
    word_cols, word_vals = _tfidf(
        _word_ngrams(prepared_text, *m.word_range), m.word_index, m.word_idf, len(m.char_idf)
    )
    cols = char_cols + word_cols
    scores = m.coef[:, cols] @ np.concatenate((char_vals, word_vals)) + m.intercept
    return dict(zip(m.classes, _softmax(scores).tolist(), strict=True))


def _softmax(scores: np.ndarray) -> np.ndarray:
    exp = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return exp / exp.sum(axis=-1, keepdims=True)


# An entry of many sentences is read in at most this many pieces by the embedding head:
# consecutive sentences are joined into windows. A journal entry (a few to thirty sentences)
# is read sentence by sentence (a few ms in all); only an entry of thousands of words is read
# in windows, so its cost stays bounded (about half a second at the screen's cap, 68,000
# characters, on two cores). The encoder reads at most 256 tokens of a piece, so the end of a
# long window is left to the tf-idf head and the rules, which read everything.
MAX_EMBEDDED_PIECES = 48


def embedding_inputs(sentences: list[str]) -> list[str]:
    """What the embedding head reads of an entry's readable sentences: all of them together,
    then each sentence (or, for a very long entry, each window of consecutive sentences).
    Training scores entries with this too, so the threshold means the same in both."""
    if not sentences:
        return []
    pieces = [s for s in sentences if s]
    if len(pieces) > MAX_EMBEDDED_PIECES:
        size = -(-len(pieces) // MAX_EMBEDDED_PIECES)  # ceiling division
        pieces = [" ".join(pieces[i : i + size]) for i in range(0, len(pieces), size)]
    whole = " ".join(sentences)
    return [whole, *(p for p in pieces if p != whole)]


def combine(
    tfidf: dict[str, float], embedded: np.ndarray | None, classes: tuple[str, ...], weight: float
) -> tuple[float, str]:
    """The entry's risk score and most likely kind from the tf-idf probabilities of the whole
    readable text and the embedding head's probabilities per piece (rows, or None): the
    weighted average of the two heads' risk, the embedding head's risk being its highest over
    the pieces; the kind from the tf-idf head and the embedding head's riskiest piece."""
    probs = dict(tfidf)
    if embedded is not None and len(embedded) and weight:
        riskiest = embedded[int(embedded[:, classes.index(NONE)].argmin())]
        probs = {c: weight * riskiest[i] + (1.0 - weight) * tfidf[c] for i, c in enumerate(classes)}
    return 1.0 - probs[NONE], max((c for c in classes if c != NONE), key=probs.__getitem__)


def embedding_probabilities(vectors: np.ndarray, m: _Model) -> np.ndarray:
    """Class probabilities of the embedding head, one row per vector: scikit-learn's
    ``LogisticRegression.predict_proba``, or ``MLPClassifier.predict_proba`` (one ReLU layer,
    then softmax) when the model file has a hidden layer."""
    assert m.embedding_coef is not None and m.embedding_intercept is not None
    if m.embedding_hidden_coef is not None and m.embedding_hidden_intercept is not None:
        vectors = np.maximum(vectors @ m.embedding_hidden_coef + m.embedding_hidden_intercept, 0.0)
    return _softmax(vectors @ m.embedding_coef.T + m.embedding_intercept)


def assess(sentences: list[str], model: _Model | None = None) -> tuple[float, str]:
    """The risk score of an entry's readable sentences (already prepared), and the most likely
    kind of risk: what ``scripts/train_safety_model.py`` chose its threshold on."""
    m = model or _model()
    if not sentences:
        return 0.0, NONE
    tfidf = probabilities(" ".join(sentences), m)
    embedded = None
    if m.embedding_coef is not None and m.embedding_weight > 0.0 and not _encoder_failed:
        try:
            from safebase.core.practice.sentence_encoder import embed

            embedded = embedding_probabilities(embed(embedding_inputs(sentences)), m)
        except Exception:  # any failure of the encoder must not lose or block an entry
            _encoder_unavailable()
    return combine(tfidf, embedded, m.classes, m.embedding_weight)


# Set once the encoder has failed in this process, so it is not loaded again for every entry.
_encoder_failed = False


def _encoder_unavailable() -> None:
    """The encoder could not run here (a damaged install, a library that will not load): from
    now on the tf-idf head alone, compared with the same threshold. That threshold is lower than
    the one tf-idf alone shipped with (0.67), so the screen errs towards showing help; its false
    alarms in that mode were not measured. Logged once, without any text."""
    global _encoder_failed
    _encoder_failed = True
    _log.warning("safety screen: sentence encoder unavailable; tf-idf head alone from now on")


def risk_category(sentences: list[str]) -> str | None:
    """The most likely kind of risk when the entry's risk score reaches the threshold."""
    if not sentences:
        return None
    score, kind = assess(sentences)
    return kind if score >= _model().threshold else None


def threshold() -> float:
    return _model().threshold
