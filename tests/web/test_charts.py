"""Charts are drawn by matplotlib from the profile: shading, band, percentiles, accessibility."""

from __future__ import annotations

import re

from safebase.core.instrument import get_instrument
from safebase.core.profile import build_profile
from safebase.core.scoring import score_responses
from safebase.web.charts import history_chart, profile_chart
from tests.normed import fixture_sample, normed_ecr_s


def test_profile_chart_with_norms_shades_middle_half_and_writes_percentiles(tmp_path):
    inst = normed_ecr_s(tmp_path)
    answers = score_responses(inst, {n: 4 for n in range(1, 13)})
    profile = build_profile(inst, answers, reference=fixture_sample(inst))
    svg = profile_chart(inst, profile)
    assert svg.startswith("<svg") and 'role="img"' in svg and "aria-label=" in svg
    assert "Middle 50% of the reference sample (normal approximation)" in svg
    # Anxiety 4.0: 75 of the fixture's 100 below, 25 at it → 87.5 → "88th"; avoidance above all.
    assert "anxiety: 88th percentile" in svg
    assert "avoidance: 100th percentile" in svg
    assert "You (95% band)" in svg
    for quadrant in ("Secure", "Fearful-avoidant", "Preoccupied", "Dismissing-"):
        assert quadrant in svg
    assert not re.search(r"https?://(?!www\.w3\.org)", svg)  # nothing fetched from elsewhere


def test_profile_chart_without_norms_has_no_shading_or_percentiles():
    inst = get_instrument("ecr-r")
    profile = build_profile(inst, score_responses(inst, {n: 3 for n in range(1, 37)}))
    svg = profile_chart(inst, profile)
    assert "Middle 50%" not in svg and "percentile" not in svg
    assert ">You<" in svg or "You</text>" in svg


def test_history_chart_numbers_each_result(tmp_path):
    from datetime import UTC, datetime

    inst = get_instrument("ecr-r")
    points = [(datetime(2026, 1, d, tzinfo=UTC), 5.0 - d / 10, 3.0) for d in (1, 15, 29)]
    svg = history_chart(inst, ("anxiety", "avoidance"), points)
    assert "Path across the plane" in svg and "Over time" in svg
