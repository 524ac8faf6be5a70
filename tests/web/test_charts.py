"""Charts are drawn by matplotlib from the profile: regions, band, percentiles, accessibility, and
a style that scales with its box and follows the page's theme."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from safebase.core.instrument import get_instrument
from safebase.core.profile import build_profile
from safebase.core.scoring import score_responses
from safebase.web.charts import history_charts, mini_plane, profile_chart
from tests.normed import fixture_sample, normed_ecr_s


def _texts(svg: str) -> list[str]:
    """The visible text of an SVG (matplotlib writes text as <text> elements, fonttype none)."""
    return [
        re.sub(r"<[^>]+>", "", t).strip() for t in re.findall(r"<text[^>]*>.*?</text>", svg, re.S)
    ]


def test_profile_chart_with_norms_draws_the_band_and_writes_percentiles(tmp_path):
    inst = normed_ecr_s(tmp_path)
    answers = score_responses(inst, {n: 4 for n in range(1, 13)})
    profile = build_profile(inst, answers, reference=fixture_sample(inst))
    svg = profile_chart(inst, profile)
    assert svg.startswith("<svg") and 'role="img"' in svg and "aria-label=" in svg
    assert "Middle 50% of the reference sample (normal approximation)" in svg
    # Anxiety 4.0: 75 of the fixture's 100 below, 25 at it → 87.5 → "88th"; avoidance above all.
    assert "anxiety: 88th percentile" in svg
    assert "avoidance: 100th percentile" in svg
    assert "You (95% band)" in svg and "<path" in svg
    assert not re.search(r"https?://(?!www\.w3\.org)", svg)  # nothing fetched from elsewhere


def test_the_plane_names_its_four_regions_in_words():
    inst = get_instrument("ecr-r")
    profile = build_profile(inst, score_responses(inst, {n: 3 for n in range(1, 37)}))
    words = " ".join(_texts(profile_chart(inst, profile)))
    for region in ("Secure", "Anxious", "(preoccupied)", "Avoidant", "(dismissing)", "Fearful-"):
        assert region in words
    assert "percentile" not in words and "Middle 50%" not in words
    assert "You" in words


def test_charts_scale_with_their_box_and_follow_the_theme():
    inst = get_instrument("ecr-s")
    profile = build_profile(inst, score_responses(inst, {n: 2 for n in range(1, 13)}))
    for svg in (profile_chart(inst, profile), mini_plane(inst, profile)):
        root = svg[: svg.index(">")]
        assert "viewBox=" in root and " width=" not in root and " height=" not in root
        assert "currentColor" in svg and "#010203" not in svg
        assert 'fill="#ffffff"' not in svg  # clear background: the page's colour shows through


def _tick_labels(svg: str) -> list[str]:
    words = _texts(svg)
    return [w for w in words if w and not re.fullmatch(r"[\d.]+", w)]


@pytest.mark.parametrize(
    ("gaps", "must_not"),
    [
        ([], r"\b20(?!26)\d\d\b"),  # one result: no axis spanning other years
        ([timedelta(minutes=7)], r"\d\d:\d\d\.\d{6}|\b20(?!26)\d\d\b"),  # no microseconds
        ([timedelta(days=400)], r"\d\d:\d\d\.\d{6}"),
    ],
)
def test_history_date_axis_reads_well(gaps, must_not):
    inst = get_instrument("ecr-r")
    start = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
    dates = [start, *(start + g for g in gaps)]
    points = [(d, 4.0 - i / 2, 3.0) for i, d in enumerate(dates)]
    over_time, path = history_charts(inst, ("anxiety", "avoidance"), points)
    labels = " ".join(_tick_labels(over_time))
    assert not re.search(must_not, labels), labels
    assert re.search(r"Mar|May|2026", labels), labels
    assert "1" in _texts(path)


def test_text_is_readable_on_a_phone():
    """At 375 px a chart fills about 343 px; its smallest text must stay at least 9 px there."""
    inst = get_instrument("ecr-r")
    points = [(datetime(2026, 1, d, tzinfo=UTC), 5.0 - d / 10, 3.0) for d in (1, 15, 29)]
    profile = build_profile(inst, score_responses(inst, {n: 3 for n in range(1, 37)}))
    for svg in (
        *history_charts(inst, ("anxiety", "avoidance"), points),
        profile_chart(inst, profile),
    ):
        width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
        sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)px"', svg)]
        assert sizes, "no text sizes found"
        assert min(sizes) * 343 / width >= 7.5, (min(sizes), width)


def test_charts_never_touch_pyplot_and_escape_their_names():
    """The server draws charts in several threads: pyplot's global figure state must not be used.
    A chart's accessible name is escaped like any other text."""
    import subprocess
    import sys

    probe = "import safebase.web.charts, sys; print('matplotlib.pyplot' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True).stdout == (
        "False\n"
    )
    from safebase.web.charts import _figure, _svg

    fig = _figure(2, 2)
    fig.subplots().plot([1, 2], [1, 2])
    svg = _svg(fig, 'He said "<leave>" & went')
    assert 'aria-label="He said &quot;&lt;leave&gt;&quot; &amp; went"' in svg
