"""Scoring tables chunk by chunk: scores per row, and a summary that grows with each chunk.

The summary (rows read and scored, missing per scale, invalid cells, score means and SDs,
alpha/omega/item–total per scale) is built from running sums so memory stays bounded however
long the input is. No I/O here: readers hand in NumPy blocks (see ``safebase.tables``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from safebase.core.instrument import Instrument
from safebase.core.profile import is_high, style_from
from safebase.core.reliability import MomentAccumulator, reliability_from_cov
from safebase.core.scoring import ResponseRange, ScaleScorer


@dataclass
class _ScaleTally:
    scored: int = 0
    total: float = 0.0
    total_sq: float = 0.0


@dataclass
class BatchSummary:
    instrument_id: str
    response_range: str
    rows_read: int = 0
    rows_scored: int = 0
    invalid_cells: int = 0
    missing: dict[str, int] = field(default_factory=dict)
    scale_stats: dict[str, dict[str, float | int | None]] = field(default_factory=dict)
    reliability: dict[str, dict[str, object]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "instrument": self.instrument_id,
            "response_range": self.response_range,
            "rows_read": self.rows_read,
            "rows_scored": self.rows_scored,
            "invalid_cells_counted_missing": self.invalid_cells,
            "missing_per_scale": self.missing,
            "scale_scores": self.scale_stats,
            "reliability": self.reliability,
        }


STYLE_CODES = np.array(
    ["", "secure", "anxious-preoccupied", "dismissing-avoidant", "fearful-avoidant"]
)


class BatchScorer:
    """Feed it matrices (rows × instrument items, NaN = missing); read ``summary()`` at the end."""

    def __init__(self, instrument: Instrument, response_range: ResponseRange | None = None):
        self.instrument = instrument
        self.scorer = ScaleScorer(instrument, response_range)
        self._tallies = {s.id: _ScaleTally() for s in instrument.scales}
        self._rows = 0
        self._scored = 0
        self.invalid_cells = 0
        self._moments = {
            s.id: MomentAccumulator(len(s.item_keys))
            for s in instrument.scales
            if s.method == "mean" and len(s.item_keys) >= 2
        }
        self._cols = {sid: self.scorer.columns(instrument.scale(sid)) for sid in self._moments}
        # No style column where the instrument computes no style label (the RQ).
        profile = instrument.profile
        self._profile = profile if profile is not None and profile.style_label else None
        self._cuts: tuple[float, float] | None = None
        if self._profile is not None:
            self._cuts = (
                self.scorer.midpoint(instrument.scale(self._profile.anxiety)),
                self.scorer.midpoint(instrument.scale(self._profile.avoidance)),
            )

    def add(self, matrix: np.ndarray) -> dict[str, np.ndarray]:
        """Score one chunk; returns the scale columns and, for style measures, ``style`` as
        int8 codes into ``STYLE_CODES`` (0 = no style: a dimension is missing)."""
        parts = self.scorer.score_parts(matrix)
        scores = dict(parts.scores)
        self._rows += matrix.shape[0]
        any_scored = np.zeros(matrix.shape[0], dtype=bool)
        for sid, values in scores.items():
            if sid == "style":
                continue
            ok = ~np.isnan(values)
            any_scored |= ok
            t = self._tallies[sid]
            t.scored += int(ok.sum())
            v = values[ok]
            t.total += float(v.sum())
            t.total_sq += float((v * v).sum())
        self._scored += int(any_scored.sum())
        for sid, acc in self._moments.items():
            # Rows complete on the scale: the answered count already says so, no second scan.
            complete = parts.counts[sid] == acc.k
            acc.add_complete(parts.keyed[np.ix_(complete, self._cols[sid])])
        if self._profile is not None and self._cuts is not None:
            scores["style"] = self._styles(scores)
        return scores

    def _styles(self, scores: dict[str, np.ndarray]) -> np.ndarray:
        assert self._profile is not None and self._cuts is not None
        anx = scores[self._profile.anxiety]
        avo = scores[self._profile.avoidance]
        # The one rule (profile.HIGH_RULE): exactly at the cut-off counts as low.
        if self._profile.positive_is_secure:
            anx_high, avo_high = is_high(-anx, -self._cuts[0]), is_high(-avo, -self._cuts[1])
        else:
            anx_high, avo_high = is_high(anx, self._cuts[0]), is_high(avo, self._cuts[1])
        code = 1 + anx_high.astype(np.int8) + 2 * avo_high.astype(np.int8)
        # code: 1 secure, 2 anxious, 3 avoidant, 4 fearful — matches style_from's quadrants.
        return np.where(np.isnan(anx) | np.isnan(avo), 0, code).astype(np.int8)

    def summary(self) -> BatchSummary:
        s = BatchSummary(self.instrument.id, str(self.scorer.range))
        s.rows_read, s.rows_scored, s.invalid_cells = self._rows, self._scored, self.invalid_cells
        for sid, t in self._tallies.items():
            s.missing[sid] = self._rows - t.scored
            mean = t.total / t.scored if t.scored else None
            sd = None
            if t.scored > 1 and mean is not None:
                var = (t.total_sq - t.scored * mean * mean) / (t.scored - 1)
                sd = float(np.sqrt(max(var, 0.0)))
            s.scale_stats[sid] = {"n": t.scored, "mean": mean, "sd": sd}
        for sid, acc in self._moments.items():
            keys = list(self.instrument.scale(sid).item_keys)
            if acc.n >= 3:
                rel = reliability_from_cov(sid, keys, acc.n, acc.covariance())
                s.reliability[sid] = rel.as_dict()
            else:
                s.reliability[sid] = {"n_complete": acc.n, "alpha": None, "omega_total": None}
        return s


# Keep the quadrant mapping in one place: _styles must agree with style_from.
assert [style_from(a, v).value for v in (False, True) for a in (False, True)] == list(
    STYLE_CODES[1:]
)
