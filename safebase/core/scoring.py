"""Scale scores from item responses: one vectorised code path for one person or millions.

A response matrix has one row per person and one column per item in ``instrument.item_keys`` order,
as float64 with NaN for "not answered". Single answers are validated and turned into a one-row
matrix, so the arithmetic exists exactly once.

Rules (stated per instrument in its data file):
* reverse keying: x' = low + high − x, where low/high are the response range actually used
  (the instrument's own by default, 1-7 for the ECR family; ``--range 1-5`` for data collected
  on a 5-point form);
* ``mean``: the mean of answered items, when at least ``min_answered_fraction`` of the scale's
  items are answered (default 80%), otherwise no score;
* ``weighted_sum``: Σ wᵢxᵢ, only when every item is answered (a partial sum is not comparable);
* ``choice``: the chosen category code;
* ``mean_of_scales``: the mean of other scales' scores under the same fraction rule.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from safebase.core.errors import ResponseError
from safebase.core.instrument import Instrument, Scale
from safebase.core.numbers import MAX_DIGITS, parse_whole_number, shorten


@dataclass(frozen=True)
class ResponseRange:
    """The response range of the instrument's main response set, possibly overridden."""

    low: int
    high: int

    @classmethod
    def parse(cls, text: str) -> ResponseRange:
        """Parse ``"1-5"``: two whole numbers of ASCII digits (at most ``MAX_DIGITS`` each);
        raises ResponseError with the reason otherwise."""
        parts = [parse_whole_number(p) for p in text.split("-")]
        if len(parts) != 2 or parts[0] is None or parts[1] is None:
            raise ResponseError(
                f"range '{shorten(text, 20)}' is not of the form LO-HI, e.g. 1-5 "
                f"(whole numbers, up to {MAX_DIGITS} digits)"
            )
        low, high = parts
        if low >= high:
            raise ResponseError(f"range '{text}': LO must be smaller than HI")
        return cls(low, high)

    def __str__(self) -> str:
        return f"{self.low}-{self.high}"


def default_range(instrument: Instrument) -> ResponseRange:
    return ResponseRange(instrument.response.low, instrument.response.high)


def item_bounds(
    instrument: Instrument, response_range: ResponseRange | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Per-item (low, high) arrays; the range override applies to the main response set only."""
    rng = response_range or default_range(instrument)
    main = instrument.response
    lows, highs = [], []
    for item in instrument.items:
        if item.response is main:
            lows.append(rng.low)
            highs.append(rng.high)
        else:
            lows.append(item.response.low)
            highs.append(item.response.high)
    return np.array(lows, dtype=np.float64), np.array(highs, dtype=np.float64)


@dataclass(frozen=True)
class ScoredParts:
    """Scores plus the intermediate arrays the batch summary re-uses (no second pass)."""

    scores: dict[str, np.ndarray]
    keyed: np.ndarray  # reverse-keyed responses, 0 where missing (see ``counts``)
    counts: dict[str, np.ndarray]  # answered items per row, per item-based scale


class ScaleScorer:
    """Precomputed keys and scale matrices for one instrument and range; reuse it across chunks.

    Keying is one broadcast pass, x·sign + offset (sign −1 and offset low+high on reversed
    items). Sums and answered counts of every item-based scale come from two matrix products
    with items × scales matrices (weights, membership), rather than a gather per scale.
    """

    def __init__(self, instrument: Instrument, response_range: ResponseRange | None = None):
        self.instrument = instrument
        self.range = response_range or default_range(instrument)
        keys = instrument.item_keys
        self._col = {k: i for i, k in enumerate(keys)}
        lows, highs = item_bounds(instrument, self.range)
        self._lows, self._highs = lows, highs
        reversed_cols = {self._col[k] for s in instrument.scales for k in s.reverse_keys}
        self._sign = np.ones(len(keys))
        self._offset = np.zeros(len(keys))
        for c in reversed_cols:
            self._sign[c] = -1.0
            self._offset[c] = lows[c] + highs[c]
        self._has_reverse = bool(reversed_cols)
        self.scales = instrument.scales
        self._item_scales = [s for s in self.scales if s.method in ("mean", "weighted_sum")]
        weights = np.zeros((len(keys), len(self._item_scales)))
        member = np.zeros_like(weights)
        for j, s in enumerate(self._item_scales):
            w = s.weights if s.method == "weighted_sum" else [1.0] * len(s.item_keys)
            for k, wk in zip(s.item_keys, w, strict=True):
                weights[self._col[k], j] = wk
                member[self._col[k], j] = 1.0
        self._weights, self._member32 = weights, member.astype(np.float32)

    def columns(self, scale: Scale) -> np.ndarray:
        return np.array([self._col[k] for k in scale.item_keys], dtype=np.intp)

    def keyed(self, matrix: np.ndarray) -> np.ndarray:
        """A copy of the matrix with reverse-keyed items reversed (low + high − x)."""
        m = np.asarray(matrix, dtype=np.float64)
        if not self._has_reverse:
            return m.copy()
        return m * self._sign + self._offset

    def bounds(self, scale: Scale) -> tuple[float, float]:
        """The lowest and highest score the scale can take."""
        if scale.method == "mean_of_scales":
            return self.bounds(self.instrument.scale(scale.of_scales[0]))
        cols = self.columns(scale)
        lows, highs = self._lows, self._highs
        if scale.method == "weighted_sum":
            w = np.asarray(scale.weights, dtype=np.float64)
            lo = np.where(w > 0, w * lows[cols], w * highs[cols]).sum()
            hi = np.where(w > 0, w * highs[cols], w * lows[cols]).sum()
            return float(lo), float(hi)
        return float(lows[cols].min()), float(highs[cols].max())

    def midpoint(self, scale: Scale) -> float:
        """The scale's own midpoint, the default cut-off between 'low' and 'high'."""
        lo, hi = self.bounds(scale)
        return (lo + hi) / 2

    def score(self, matrix: np.ndarray) -> dict[str, np.ndarray]:
        """Scale scores for every row; NaN where the missing-data rule gives no score."""
        return self.score_parts(matrix).scores

    def score_parts(self, matrix: np.ndarray) -> ScoredParts:
        keyed = self.keyed(matrix)
        missing = np.isnan(keyed)
        # Fill missing cells with 0 in place: sums skip them, and rows complete on a scale (the
        # only ones the reliability summary reads) are unchanged.
        np.copyto(keyed, 0.0, where=missing)
        totals = keyed @ self._weights
        counts_all = (~missing).astype(np.float32) @ self._member32
        out: dict[str, np.ndarray] = {}
        counts: dict[str, np.ndarray] = {}
        for j, scale in enumerate(self._item_scales):
            count = counts_all[:, j]
            counts[scale.id] = count
            if scale.method == "mean":
                with np.errstate(invalid="ignore", divide="ignore"):
                    out[scale.id] = np.where(
                        count >= scale.min_answered, totals[:, j] / count, np.nan
                    )
            else:  # weighted_sum: only when every item is answered
                out[scale.id] = np.where(count == len(scale.item_keys), totals[:, j], np.nan)
        for scale in self.scales:
            if scale.method == "choice":
                col = keyed[:, self._col[scale.item_keys[0]]].copy()
                out[scale.id] = np.where(missing[:, self._col[scale.item_keys[0]]], np.nan, col)
            elif scale.method == "mean_of_scales":
                parts = np.column_stack([out[s] for s in scale.of_scales])
                have = ~np.isnan(parts)
                n = have.sum(axis=1)
                total = np.where(have, parts, 0.0).sum(axis=1)
                need = math.ceil(scale.min_answered_fraction * len(scale.of_scales) - 1e-9)
                with np.errstate(invalid="ignore", divide="ignore"):
                    out[scale.id] = np.where(n >= need, total / n, np.nan)
        # Keep the instrument's scale order in the output.
        ordered = {s.id: out[s.id] for s in self.scales}
        return ScoredParts(ordered, keyed, counts)


@dataclass(frozen=True)
class ScaleScore:
    scale_id: str
    name: str
    value: float | None
    answered: int
    needed: int
    of: int
    reason: str | None


@dataclass(frozen=True)
class ScoredResponse:
    instrument_id: str
    answers: dict[str, int]
    scales: dict[str, ScaleScore]
    response_range: ResponseRange

    def value(self, scale_id: str) -> float | None:
        return self.scales[scale_id].value


_SCORERS: dict[tuple[int, ResponseRange | None], tuple[Instrument, ScaleScorer]] = {}


def scorer_for(instrument: Instrument, response_range: ResponseRange | None = None) -> ScaleScorer:
    """A shared scorer per instrument object and range: building one costs more than scoring a
    person. Keyed by identity (instruments hold lists, so they are not hashable)."""
    key = (id(instrument), response_range)
    hit = _SCORERS.get(key)
    if hit is None or hit[0] is not instrument:
        if len(_SCORERS) > 256:
            _SCORERS.clear()
        hit = (instrument, ScaleScorer(instrument, response_range))
        _SCORERS[key] = hit
    return hit[1]


def _coerce_key(instrument: Instrument, key: object) -> str:
    text = str(key) if isinstance(key, int) and not isinstance(key, bool) else key
    if not isinstance(text, str) or text not in instrument.item_keys:
        raise ResponseError(f"{instrument.id}: unknown item {key!r}")
    return text


def _coerce_value(instrument: Instrument, key: str, value: object, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ResponseError(
            f"{instrument.id} item {key}: value {value!r} has the wrong type "
            f"({type(value).__name__}); expected a whole number {lo}-{hi}"
        )
    if isinstance(value, float) and not value.is_integer():
        raise ResponseError(f"{instrument.id} item {key}: value {value!r} is not a whole number")
    if not lo <= value <= hi:
        raise ResponseError(f"{instrument.id} item {key}: value {value!r} is outside {lo}-{hi}")
    return int(value)


def validate_answers(
    instrument: Instrument,
    answers: Mapping[object, object] | Iterable[tuple[object, object]],
    response_range: ResponseRange | None = None,
) -> dict[str, int]:
    """Check each answer; None means skipped. Errors name the item and the value."""
    pairs = answers.items() if isinstance(answers, Mapping) else answers
    lows, highs = item_bounds(instrument, response_range)
    index = {k: i for i, k in enumerate(instrument.item_keys)}
    clean: dict[str, int] = {}
    for raw_key, raw_value in pairs:
        key = _coerce_key(instrument, raw_key)
        if key in clean:
            raise ResponseError(f"{instrument.id} item {key}: answered twice")
        if raw_value is None:
            continue
        i = index[key]
        clean[key] = _coerce_value(instrument, key, raw_value, int(lows[i]), int(highs[i]))
    return clean


def answers_to_matrix(instrument: Instrument, answers: Mapping[str, int]) -> np.ndarray:
    row = np.full((1, len(instrument.items)), np.nan)
    for i, key in enumerate(instrument.item_keys):
        if key in answers:
            row[0, i] = answers[key]
    return row


def score_responses(
    instrument: Instrument,
    answers: Mapping[object, object] | Iterable[tuple[object, object]],
    response_range: ResponseRange | None = None,
) -> ScoredResponse:
    """Score one person's answers, with the reason wherever a scale gets no score."""
    clean = validate_answers(instrument, answers, response_range)
    scorer = scorer_for(instrument, response_range)
    values = scorer.score(answers_to_matrix(instrument, clean))
    scales: dict[str, ScaleScore] = {}
    for scale in instrument.scales:
        v = float(values[scale.id][0])
        if scale.method == "mean_of_scales":
            have = sum(scales[s].value is not None for s in scale.of_scales)
            of = len(scale.of_scales)
            need = math.ceil(scale.min_answered_fraction * of - 1e-9)
            what = "relationships"
        else:
            have = sum(k in clean for k in scale.item_keys)
            of = len(scale.item_keys)
            need = of if scale.method == "weighted_sum" else scale.min_answered
            what = "items"
        reason = None
        if math.isnan(v):
            reason = f"{have} of {of} {what} answered; at least {need} needed for a score"
        scales[scale.id] = ScaleScore(
            scale.id, scale.name, None if math.isnan(v) else v, have, need, of, reason
        )
    return ScoredResponse(instrument.id, clean, scales, scorer.range)
