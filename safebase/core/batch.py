"""The summary of a scored table and the style codes its ``style`` column uses.

The summary (rows read and scored, missing per scale, invalid cells, score means and SDs,
alpha/omega/item–total per scale) is built from sums that add across batches and partitions
(``core.compiled.Moments``), so memory stays bounded however long the input is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from safebase.core.profile import style_from


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


# Keep the quadrant mapping in one place: code 1 + anxious + 2·avoidant must agree with style_from.
assert [style_from(a, v).value for v in (False, True) for a in (False, True)] == list(
    STYLE_CODES[1:]
)
