"""Weekly practice charts (matplotlib SVG): feelings by family per day, and intensity."""

from __future__ import annotations

from datetime import timedelta

from safebase.core.practice.emotions import EMOTION_FAMILIES
from safebase.core.practice.progress import WeeklySummary
from safebase.web.assessments.charts import _svg, plt


def week_chart(s: WeeklySummary) -> str:
    days = [s.week_start + timedelta(days=i) for i in range(7)]
    labels = [d.strftime("%a") for d in days]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 5), sharex=True)
    bottoms = [0] * 7
    for family in [*EMOTION_FAMILIES, "other"]:
        counts = [s.families_by_day.get(d, {}).get(family, 0) for d in days]
        if any(counts):
            top.bar(labels, counts, bottom=bottoms, label=family)
            bottoms = [b + c for b, c in zip(bottoms, counts, strict=True)]
    top.set_ylabel("check-ins")
    top.set_title("Feelings by family")
    top.legend(fontsize=8, frameon=False, ncol=3)
    xs = [labels[i] for i, d in enumerate(days) if d in s.intensity_by_day]
    ys = [s.intensity_by_day[d] for d in days if d in s.intensity_by_day]
    bottom.plot(xs, ys, "o-", color="#7a1f5c")
    bottom.set_ylim(0, 10)
    bottom.set_ylabel("intensity (0–10)")
    bottom.set_title("Average intensity")
    return _svg(fig, "Check-ins this week by emotion family, and average intensity per day")
