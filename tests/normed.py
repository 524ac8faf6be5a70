"""A test-only copy of ECR-S with a made-up norm (M 3, SD 1; M 2.5, SD .5) and retest .80.

Never shipped: it exists so that percentile, band, norm shading and RCI code paths can be tested
while no published norm is cited for any shipped instrument.
"""

from __future__ import annotations

from pathlib import Path

from safebase.core.instrument import Instrument, instruments_dir, load_instrument_file


def normed_ecr_s(tmp_path: Path) -> Instrument:
    text = (instruments_dir() / "ecr-s.toml").read_text(encoding="utf-8")
    text += """
[[norms]]
scale = "anxiety"
mean = 3.0
sd = 1.0
sample = "test fixture"
source = "test fixture"

[[norms]]
scale = "avoidance"
mean = 2.5
sd = 0.5
sample = "test fixture"
source = "test fixture"

[[test_retest]]
scales = ["anxiety", "avoidance"]
statistic = "observed test-retest correlation"
value = 0.80
interval = "1 month"
source = "test fixture"
"""
    path = tmp_path / "ecr-s.toml"
    path.write_text(text, encoding="utf-8")
    return load_instrument_file(path)
