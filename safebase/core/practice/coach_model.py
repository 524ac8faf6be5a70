"""The I-statement coach's learned model, read from plain data and run with NumPy.

Why it exists: the coach's rules know the wordings someone thought of; a new author's
phrasings slipped past them (issue 8: 88% of problem sentences caught for the author the rules
were tuned on, half for the next). This tf-idf + logistic regression model, trained by
``scripts/train_coach_model.py`` on sentences by several authors (the file states which, with
their hashes), reads a sentence the rules said nothing about and gives the probability that it
blames, orders, mocks or shuts the other person out. It is read with the safety screen's model
code (the same file format), with no pickle and no network.

Explainable: ``weighed_words`` says how much each word of the sentence pushed it toward
"problem" (its word and character n-grams' weight times their tf-idf value), so the coach's
hint can point at the words that weighed most. It is a pattern learned from examples, and the
hint says so; it is never a judgement of the person.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from functools import cache
from importlib import resources
from pathlib import Path

from safebase.core.practice.safety_model import (
    _char_wb_ngrams,
    _Model,
    _word_ngrams,
    load_model,
    probabilities,
)

MODEL_PATH = Path(str(resources.files("safebase.core.practice") / "coach_model.json"))
PROBLEM = "problem"
_SPACE_WORD = re.compile(r"\S+")
_TOKEN = re.compile(r"(?u)\b\w\w+\b")


@cache
def _model() -> _Model:
    return load_model(MODEL_PATH)


def available() -> bool:
    """The model file is shipped with the package; without it the coach runs on rules alone."""
    return MODEL_PATH.exists()


def threshold() -> float:
    return _model().threshold


def problem_probability(sentence: str) -> float:
    """Probability that a folded sentence (``text.fold``) is a problem sentence."""
    return probabilities(sentence, _model())[PROBLEM]


def _l2(grams: list[str], index: dict[str, int], idf) -> dict[str, float]:
    """tf-idf value of each known n-gram, l2-normalised over the block (as at training)."""
    counts = Counter(g for g in grams if g in index)
    values = {g: (1.0 + math.log(c)) * float(idf[index[g]]) for g, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
    return {g: v / norm for g, v in values.items()}


def weighed_words(sentence: str) -> list[tuple[int, int, float]]:
    """(start, end, weight) of each whitespace-separated word of a folded sentence: how much its
    n-grams pushed the sentence toward "problem" (positive) or "fair" (negative)."""
    m = _model()
    row = m.classes.index(PROBLEM)
    coef = m.coef[row] - m.coef[1 - row] if len(m.classes) == 2 else m.coef[row]
    words = [(w.start(), w.end(), w.group()) for w in _SPACE_WORD.finditer(sentence)]
    weight = [0.0] * len(words)
    # Character n-grams live inside one word (char_wb pads each word with spaces).
    per_word = [_char_wb_ngrams(w, *m.char_range) for _, _, w in words]
    chars = _l2([g for grams in per_word for g in grams], m.char_index, m.char_idf)
    where: dict[str, list[int]] = defaultdict(list)
    for i, grams in enumerate(per_word):
        for g in grams:
            where[g].append(i)
    for g, value in chars.items():
        share = float(coef[m.char_index[g]]) * value / len(where[g])
        for i in where[g]:
            weight[i] += share
    # Word n-grams: shared among the words they span.
    tokens = [(t.start(), t.end()) for t in _TOKEN.finditer(sentence)]
    owner, i = [], 0
    for a, _ in tokens:  # both lists run left to right: one pass, linear in length
        while words[i][1] <= a:
            i += 1
        owner.append(i)
    grams = _word_ngrams(sentence, *m.word_range)
    values = _l2(grams, m.word_index, m.word_idf)
    spans: dict[str, list[set[int]]] = defaultdict(list)
    low, high = m.word_range
    names = [sentence[a:b] for a, b in tokens]
    for n in range(low, min(high, len(tokens)) + 1):
        for k in range(len(tokens) - n + 1):
            spans[" ".join(names[k : k + n])].append({owner[j] for j in range(k, k + n)})
    offset = len(m.char_idf)
    for g, value in values.items():
        contribution = float(coef[offset + m.word_index[g]]) * value / len(spans[g])
        for members in spans[g]:
            for i in members:
                weight[i] += contribution / len(members)
    return [(s, e, w) for (s, e, _), w in zip(words, weight, strict=True)]


def heaviest_words(sentence: str, most: int = 3) -> tuple[int, int] | None:
    """The span of the word that weighed most toward "problem", widened to a neighbour that
    weighed at least half as much (up to ``most`` words); None when no word pushed that way."""
    weighed = weighed_words(sentence)
    if not weighed:
        return None
    top = max(range(len(weighed)), key=lambda i: weighed[i][2])
    if weighed[top][2] <= 0:
        return None
    a = b = top
    while b - a + 1 < most:
        left = weighed[a - 1][2] if a > 0 else float("-inf")
        right = weighed[b + 1][2] if b + 1 < len(weighed) else float("-inf")
        if max(left, right) < weighed[top][2] / 2:
            break
        if left >= right:
            a -= 1
        else:
            b += 1
    start, end = weighed[a][0], weighed[b][1]
    while end > start and not sentence[end - 1].isalnum():
        end -= 1
    while start < end and not sentence[start].isalnum():
        start += 1
    return (start, end) if end > start else None


def top_words(sentence: str, most: int = 3) -> list[tuple[int, int]]:
    """Spans of up to ``most`` words that pushed the sentence furthest toward "problem", in
    sentence order, punctuation trimmed: what the hint names."""
    weighed = [w for w in weighed_words(sentence) if w[2] > 0]
    chosen = sorted(sorted(weighed, key=lambda w: -w[2])[:most])
    out = []
    for start, end, _ in chosen:
        while end > start and not sentence[end - 1].isalnum():
            end -= 1
        while start < end and not sentence[start].isalnum():
            start += 1
        if end > start:
            out.append((start, end))
    return out
