"""Every chart of the web app, as SVG from matplotlib: the attachment plane, relationships side
by side, results over time, and the practice week.

Every chart has a data-table alternative in the page. Text stays text in the SVG (fonttype none)
so it is small and readable by assistive technology; no fonts or scripts are fetched. Figures are
``matplotlib.figure.Figure`` objects, never pyplot's global state: the server renders charts in
several threads at once.
"""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from html import escape

from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from safebase.core.instrument import Instrument
from safebase.core.practice.emotions import EMOTION_FAMILIES
from safebase.core.practice.progress import WeeklySummary
from safebase.core.profile import Profile
from safebase.core.scoring import ScoredResponse, scorer_for

STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "safebase",
    "font.family": "sans-serif",
    "font.size": 10,
}
IQR_Z = 0.6744897501960817  # the middle 50% of a normal distribution lies within ±0.674 SD


def _figure(**kwargs) -> Figure:
    with rc_context(STYLE):
        return Figure(**kwargs)


def _svg(fig: Figure, title: str) -> str:
    buf = io.StringIO()
    # No metadata block: it only names RDF namespaces and a date, and makes output non-repeatable.
    no_metadata = {"Date": None, "Creator": None, "Format": None, "Type": None}
    with rc_context(STYLE):
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata=no_metadata)
    svg = _without_inline_css(buf.getvalue())
    svg = svg[svg.index("<svg") :]
    # Name the figure for screen readers; the data table beside it carries the numbers.
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1)
    return svg


_STYLE_ATTR = re.compile(r'style="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"<style[^>]*>(.*?)</style>", re.S)


def _without_inline_css(svg: str) -> str:
    """The same drawing with CSS turned into SVG presentation attributes.

    The pages' Content-Security-Policy allows styles from the site's stylesheet only, which
    blocks ``style="..."`` attributes and ``<style>`` elements; every property matplotlib writes
    (fill, stroke, font-size, text-anchor, ...) is also a presentation attribute, which the
    policy does not govern."""

    def attrs(declarations: str) -> str:
        pairs = (d.split(":", 1) for d in declarations.split(";") if ":" in d)
        return " ".join(f'{k.strip()}="{v.strip()}"' for k, v in pairs)

    found = _STYLE_ELEMENT.search(svg)
    if found:  # matplotlib's one rule, "*{stroke-linejoin: round; stroke-linecap: butt}",
        # becomes attributes of the root element, which every shape inherits
        rule = found.group(1)
        inherited = attrs(rule[rule.find("{") + 1 : rule.rfind("}")])
        svg = svg[: found.start()] + svg[found.end() :]
        svg = svg.replace("<svg ", f"<svg {inherited} ", 1)
    return _STYLE_ATTR.sub(lambda m: attrs(m.group(1)), svg)


def _axes(inst: Instrument, profile: Profile):
    scorer = scorer_for(inst)
    x_lo, x_hi = scorer.bounds(inst.scale(profile.avoidance.scale_id))
    y_lo, y_hi = scorer.bounds(inst.scale(profile.anxiety.scale_id))
    fig = _figure(figsize=(5.2, 5.2))
    ax = fig.subplots()
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    if profile.positive_is_secure:
        ax.invert_xaxis()
        ax.invert_yaxis()
    ax.axvline(profile.avoidance.cutoff, color="#555", lw=1)
    ax.axhline(profile.anxiety.cutoff, color="#555", lw=1)
    ax.set_xlabel(profile.avoidance.name + (" (reversed)" if profile.positive_is_secure else ""))
    ax.set_ylabel(profile.anxiety.name + (" (reversed)" if profile.positive_is_secure else ""))
    corners = {
        "Preoccupied\n(anxious)": (0.03, 0.97, "left", "top"),
        "Fearful-avoidant": (0.97, 0.97, "right", "top"),
        "Secure": (0.03, 0.03, "left", "bottom"),
        "Dismissing-\navoidant": (0.97, 0.03, "right", "bottom"),
    }
    for name, (x, y, ha, va) in corners.items():
        ax.text(x, y, name, transform=ax.transAxes, ha=ha, va=va, color="#333", weight="bold")
    return fig, ax


def profile_chart(inst: Instrument, profile: Profile) -> str:
    fig, ax = _axes(inst, profile)
    anx, avo = profile.anxiety, profile.avoidance
    if anx.norm and avo.norm:
        ax.add_patch(
            Rectangle(
                (avo.norm.mean - IQR_Z * avo.norm.sd, anx.norm.mean - IQR_Z * anx.norm.sd),
                2 * IQR_Z * avo.norm.sd,
                2 * IQR_Z * anx.norm.sd,
                color="#9bb8d3",
                alpha=0.35,
                label="Middle 50% of the reference sample (normal approximation)",
            )
        )
    if anx.score is not None and avo.score is not None:
        xerr = None if avo.band is None else [[avo.score - avo.band[0]], [avo.band[1] - avo.score]]
        yerr = None if anx.band is None else [[anx.score - anx.band[0]], [anx.band[1] - anx.score]]
        ax.errorbar(
            avo.score, anx.score, xerr=xerr, yerr=yerr, fmt="o", color="#7a1f5c", ms=10, capsize=4
        )
        ax.annotate(
            "You" + (" (95% band)" if xerr else ""),
            (avo.score, anx.score),
            textcoords="offset points",
            xytext=(-10, 10),
            ha="right",
            weight="bold",
        )
        for d, dx, dy in ((avo, 8, -14), (anx, 8, 6)):
            if d.percentile is not None:
                ax.annotate(
                    f"{d.name.split()[-1]}: {d.percentile:.0f}th percentile",
                    (avo.score, anx.score),
                    textcoords="offset points",
                    xytext=(dx, dy),
                )
    if anx.norm and avo.norm:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), fontsize=8, frameon=False)
    return _svg(fig, f"{inst.spec.short_name} result on the anxiety and avoidance plane")


def relationships_chart(inst: Instrument, profile: Profile, scored: ScoredResponse) -> str:
    fig, ax = _axes(inst, profile)
    seen: dict[tuple[float, float], int] = {}
    for target in inst.spec.targets:
        x, y = scored.value(f"{target.id}_avoidance"), scored.value(f"{target.id}_anxiety")
        if x is None or y is None:
            continue
        ax.plot(x, y, "o", ms=9, color="#1f5c7a")
        # Stack the labels of relationships that share a point instead of over-printing them.
        n = seen.get((x, y), 0)
        seen[(x, y)] = n + 1
        ax.annotate(
            target.label, (x, y), textcoords="offset points", xytext=(8, 4 - 12 * n), fontsize=8
        )
    return _svg(fig, "Your attachment with each relationship on the anxiety and avoidance plane")


def history_chart(
    inst: Instrument, profile_ids: tuple[str, str], points: list[tuple[datetime, float, float]]
) -> str:
    anx_id, avo_id = profile_ids
    fig = _figure(figsize=(9.5, 4.2))
    left, right = fig.subplots(1, 2)
    dates = [p[0] for p in points]
    left.plot(dates, [p[1] for p in points], "o-", label=inst.scale(anx_id).name)
    left.plot(dates, [p[2] for p in points], "s--", label=inst.scale(avo_id).name)
    lo, hi = scorer_for(inst).bounds(inst.scale(anx_id))
    left.set_ylim(lo, hi)
    left.set_title("Over time")
    left.legend(fontsize=8, frameon=False)
    fig.autofmt_xdate()
    right.plot([p[2] for p in points], [p[1] for p in points], "-", color="#999")
    for i, p in enumerate(points, start=1):
        right.plot(p[2], p[1], "o", color="#7a1f5c")
        right.annotate(str(i), (p[2], p[1]), textcoords="offset points", xytext=(5, 5))
    right.set_xlim(lo, hi)
    right.set_ylim(lo, hi)
    mid = (lo + hi) / 2
    right.axvline(mid, color="#555", lw=1)
    right.axhline(mid, color="#555", lw=1)
    if inst.profile is not None and inst.profile.positive_is_secure:
        # Same orientation as the result chart: the secure corner bottom-left.
        right.invert_xaxis()
        right.invert_yaxis()
    right.set_xlabel(inst.scale(avo_id).name)
    right.set_ylabel(inst.scale(anx_id).name)
    right.set_title("Path across the plane (1 = first)")
    return _svg(fig, f"{inst.spec.short_name} results over time and their path across the plane")


def week_chart(s: WeeklySummary) -> str:
    """Feelings by family per day of the week, and the average intensity per day."""
    days = [s.week_start + timedelta(days=i) for i in range(7)]
    labels = [d.strftime("%a") for d in days]
    fig = _figure(figsize=(7, 5))
    top, bottom = fig.subplots(2, 1, sharex=True)
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
