"""Test-only reference data: a copy of ECR-S with a cited-looking retest of .80, and a small made-up
reference sample for it, built through the real builder so that it is internally consistent.

Never shipped: they exist so that percentile, band, shading and RCI code paths can be tested with
hand-worked numbers. The shipped sample is tested against the real data in test_norms_realdata.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np

from safebase.core.instrument import Instrument, instruments_dir, load_instrument_file
from safebase.core.norms import InputFacts, ReferenceBuilder, ReferenceSample

# 100 people: anxiety 2, 3, 4 and avoidance 1.5, 2.5, 3.5 with counts 25, 50, 25.
# Mean 3.0 / 2.5; SD = √(50/99) = 0.710669 for both; percentile rank of 4.0 = (75 + 12.5) = 87.5.
FIXTURE_ANXIETY = np.repeat([2.0, 3.0, 4.0], [25, 50, 25])
FIXTURE_AVOIDANCE = FIXTURE_ANXIETY - 0.5
FIXTURE_SD = float(np.sqrt(50 / 99))
FIXTURE_ALPHA = 0.85


def normed_ecr_s(tmp_path: Path, retest: bool = True) -> Instrument:
    """ECR-S with an observed test–retest of .80 on both scales (a fixture value)."""
    text = (instruments_dir() / "ecr-s.toml").read_text(encoding="utf-8")
    if retest:
        text += """
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


def fixture_sample(inst: Instrument, sample_id: str = "ecr-s-fixture") -> ReferenceSample:
    builder = ReferenceBuilder(inst)
    builder.add({"anxiety": FIXTURE_ANXIETY, "avoidance": FIXTURE_AVOIDANCE})
    rel = {"n_complete": 100, "alpha": FIXTURE_ALPHA, "omega_total": 0.86}
    return builder.finish(
        sample_id=sample_id,
        label="a made-up test sample of 100 people",
        source="test fixture, not real answers",
        response_range=(1, 7),
        built=date(2026, 1, 1),
        built_with="tests/normed.py",
        input_facts=InputFacts(
            file="fixture.csv",
            sha256="0" * 64,
            rows_read=100,
            rows_scored=100,
            invalid_cells_counted_missing=0,
        ),
        reliability={"anxiety": rel, "avoidance": rel},
    )
