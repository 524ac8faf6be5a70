"""Every chart of the web app, in one visual style: the attachment plane, relationships side by
side, results over time and the path across the plane, and check-in intensity over a week.

- Each chart is SVG drawn by matplotlib and has a data table in the page beside it.
- Figures are at most 5 inches wide with 11-point text, and the SVG keeps only its viewBox, so it
  scales with its box: on a 375 px phone the text stays about 10 px.
- Text, axes and marks in ink are written as ``currentColor``, and the background is clear, so a
  chart follows the page's light or dark theme; the other colours are the stylesheet's palette.
- Text stays text (fonttype none): small, selectable, read by assistive technology. No fonts or
  scripts are fetched. No CSS inside the SVG: the pages' Content-Security-Policy allows the site's
  stylesheet only, so styles become SVG presentation attributes.
- Figures are ``matplotlib.figure.Figure`` objects, never pyplot's global state: the server draws
  in several threads at once.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from html import escape
from typing import ParamSpec

from matplotlib import dates as mdates
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.patches import Ellipse, Rectangle

from safebase.core.instrument import Instrument
from safebase.core.practice.progress import WeeklySummary
from safebase.core.profile import Profile
from safebase.core.scoring import ScoredResponse, scorer_for

# Part of every stored chart's key: change it when the drawing changes, and charts kept with
# results are drawn again on their next view.
STYLE_VERSION = "2026-11-29"
INK = "#010203"  # drawn as currentColor (see _svg); never appears in the output
ACCENT = "#3a7ca5"  # marks: at least 3:1 on the light and the dark page background
SECOND = "#b8621f"
QUADRANT_FILL = {  # light tints under ink text, in both themes (alpha below)
    "secure": "#2e7d7d",
    "anxious": "#7a59b3",
    "avoidant": "#3f63a0",
    "fearful": "#b3403c",
}
STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "safebase",
    "font.family": "sans-serif",
    "font.size": 11,
    "text.color": INK,
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.facecolor": "none",
    "figure.facecolor": "none",
    "savefig.facecolor": "none",
    "axes.spines.top": False,
    "axes.spines.right": False,
}
P = ParamSpec("P")
IQR_Z = 0.6744897501960817  # the middle 50% of a normal distribution lies within ±0.674 SD


def _styled(draw: Callable[P, str]) -> Callable[P, str]:
    """Draw the whole chart inside the house style: matplotlib reads its settings when each
    text and line is made, not when the figure is saved."""

    @wraps(draw)
    def inner(*args: P.args, **kwargs: P.kwargs) -> str:
        with rc_context(STYLE):
            return draw(*args, **kwargs)

    return inner


def _figure(width: float = 5.0, height: float = 5.0) -> Figure:
    return Figure(figsize=(width, height))


def _svg(fig: Figure, title: str) -> str:
    buf = io.StringIO()
    # No metadata block: it only names RDF namespaces and a date, and makes output non-repeatable.
    no_metadata = {"Date": None, "Creator": None, "Format": None, "Type": None}
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata=no_metadata, transparent=True)
    svg = _without_inline_css(buf.getvalue())
    svg = svg[svg.index("<svg") :]
    svg = svg.replace(INK, "currentColor")
    # Scale with the box: keep the viewBox, drop the fixed width and height.
    svg = re.sub(r'^<svg([^>]*?) width="[^"]*" height="[^"]*"', r"<svg\1", svg, count=1)
    # Name the figure for screen readers; the data table beside it carries the numbers.
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1)


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


def _plane(inst: Instrument, profile: Profile, width: float = 5.0):
    """Axes for the anxiety × avoidance plane, the four regions shaded lightly and named."""
    scorer = scorer_for(inst)
    x_lo, x_hi = scorer.bounds(inst.scale(profile.avoidance.scale_id))
    y_lo, y_hi = scorer.bounds(inst.scale(profile.anxiety.scale_id))
    fig = _figure(width, width)
    ax = fig.subplots()
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    x_cut, y_cut = profile.avoidance.cutoff, profile.anxiety.cutoff
    # In data coordinates before any axis inversion: low avoidance and low anxiety is secure,
    # unless the instrument's scales run the other way (higher = more secure).
    regions = {
        "secure": ((x_lo, y_lo), "Secure"),
        "anxious": ((x_lo, y_cut), "Anxious\n(preoccupied)"),
        "avoidant": ((x_cut, y_lo), "Avoidant\n(dismissing)"),
        "fearful": ((x_cut, y_cut), "Fearful-\navoidant"),
    }
    if profile.positive_is_secure:
        regions = {
            "fearful": ((x_lo, y_lo), "Fearful-\navoidant"),
            "avoidant": ((x_lo, y_cut), "Avoidant\n(dismissing)"),
            "anxious": ((x_cut, y_lo), "Anxious\n(preoccupied)"),
            "secure": ((x_cut, y_cut), "Secure"),
        }
    for key, ((x0, y0), label) in regions.items():
        w = (x_cut - x_lo) if x0 == x_lo else (x_hi - x_cut)
        h = (y_cut - y_lo) if y0 == y_lo else (y_hi - y_cut)
        ax.add_patch(Rectangle((x0, y0), w, h, color=QUADRANT_FILL[key], alpha=0.12, lw=0))
        ax.text(
            x0 + w / 2,
            y0 + h / 2,
            label,
            ha="center",
            va="center",
            fontsize=10,
            color=INK,  # the page's text colour: readable in both themes
            weight="bold",
            alpha=0.75,
        )
    if profile.positive_is_secure:
        ax.invert_xaxis()
        ax.invert_yaxis()
    ax.axvline(x_cut, color=INK, lw=0.8, alpha=0.6)
    ax.axhline(y_cut, color=INK, lw=0.8, alpha=0.6)
    suffix = " (reversed)" if profile.positive_is_secure else ""
    ax.set_xlabel(profile.avoidance.name + suffix)
    ax.set_ylabel(profile.anxiety.name + suffix)
    return fig, ax


@_styled
def profile_chart(inst: Instrument, profile: Profile) -> str:
    """The result on the plane; the 95% band drawn around the point when it is available."""
    fig, ax = _plane(inst, profile)
    anx, avo = profile.anxiety, profile.avoidance
    if anx.norm and avo.norm:
        ax.add_patch(
            Rectangle(
                (avo.norm.mean - IQR_Z * avo.norm.sd, anx.norm.mean - IQR_Z * anx.norm.sd),
                2 * IQR_Z * avo.norm.sd,
                2 * IQR_Z * anx.norm.sd,
                fill=False,
                ec=INK,
                ls="--",
                lw=1,
                label="Middle 50% of the reference sample (normal approximation)",
            )
        )
    if anx.score is not None and avo.score is not None:
        banded = anx.band is not None and avo.band is not None
        if banded:
            ax.add_patch(
                Ellipse(
                    (avo.score, anx.score),
                    avo.band[1] - avo.band[0],  # type: ignore[index]
                    anx.band[1] - anx.band[0],  # type: ignore[index]
                    color=ACCENT,
                    alpha=0.25,
                    lw=0,
                    label="95% band",
                )
            )
        ax.plot(avo.score, anx.score, "o", color=ACCENT, ms=11, mec="white", mew=1.5)
        ax.annotate(
            "You" + (" (95% band)" if banded else ""),
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
                    fontsize=9,
                )
    if anx.norm and avo.norm:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), fontsize=9, frameon=False)
    return _svg(fig, f"{inst.spec.short_name} result on the anxiety and avoidance plane")


@_styled
def mini_plane(inst: Instrument, profile: Profile) -> str:
    """A small plane for the home page: the regions and the point, no labels on the axes."""
    fig, ax = _plane(inst, profile, width=2.6)
    for text in ax.texts:
        text.set_fontsize(7)
    ax.set_xlabel("avoidance", fontsize=8)
    ax.set_ylabel("anxiety", fontsize=8)
    ax.tick_params(labelsize=7)
    anx, avo = profile.anxiety, profile.avoidance
    if anx.score is not None and avo.score is not None:
        ax.plot(avo.score, anx.score, "o", color=ACCENT, ms=8, mec="white", mew=1.2)
    return _svg(fig, f"Your latest {inst.spec.short_name} result on the plane")


@_styled
def relationships_chart(inst: Instrument, profile: Profile, scored: ScoredResponse) -> str:
    fig, ax = _plane(inst, profile)
    seen: dict[tuple[float, float], int] = {}
    for target in inst.spec.targets:
        x, y = scored.value(f"{target.id}_avoidance"), scored.value(f"{target.id}_anxiety")
        if x is None or y is None:
            continue
        ax.plot(x, y, "o", ms=9, color=ACCENT, mec="white", mew=1.2)
        # Stack the labels of relationships that share a point instead of over-printing them.
        n = seen.get((x, y), 0)
        seen[(x, y)] = n + 1
        ax.annotate(
            target.label, (x, y), textcoords="offset points", xytext=(8, 4 - 13 * n), fontsize=9
        )
    return _svg(fig, "Your attachment with each relationship on the anxiety and avoidance plane")


def _date_axis(ax, dates: list[datetime]) -> None:
    """A time axis that reads well for one result, for results minutes apart, and for years:
    at least two days are shown, ticks are chosen and labelled by matplotlib's concise format."""
    first, last = min(dates), max(dates)
    span = last - first
    pad = max(span * 0.08, (timedelta(days=2) - span) / 2, timedelta(hours=6))
    ax.set_xlim(first - pad, last + pad)
    locator = mdates.AutoDateLocator(minticks=2, maxticks=5)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=True))


@_styled
def history_charts(
    inst: Instrument, profile_ids: tuple[str, str], points: list[tuple[datetime, float, float]]
) -> tuple[str, str]:
    """(scores over time, path across the plane), each readable on its own on a phone."""
    anx_id, avo_id = profile_ids
    lo, hi = scorer_for(inst).bounds(inst.scale(anx_id))
    dates = [p[0] for p in points]

    fig = _figure(5.0, 3.4)
    ax = fig.subplots()
    ax.plot(dates, [p[1] for p in points], "o-", color=ACCENT, label=inst.scale(anx_id).name)
    ax.plot(dates, [p[2] for p in points], "s--", color=SECOND, label=inst.scale(avo_id).name)
    ax.set_ylim(lo, hi)
    _date_axis(ax, dates)
    ax.legend(fontsize=9, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2)
    over_time = _svg(fig, f"{inst.spec.short_name} scores over time")

    fig = _figure(5.0, 5.0)
    ax = fig.subplots()
    ax.plot([p[2] for p in points], [p[1] for p in points], "-", color=INK, alpha=0.4)
    for i, p in enumerate(points, start=1):
        ax.plot(p[2], p[1], "o", color=ACCENT, mec="white", mew=1.2, ms=9)
        ax.annotate(str(i), (p[2], p[1]), textcoords="offset points", xytext=(6, 6))
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    mid = (lo + hi) / 2
    ax.axvline(mid, color=INK, lw=0.8, alpha=0.6)
    ax.axhline(mid, color=INK, lw=0.8, alpha=0.6)
    if inst.profile is not None and inst.profile.positive_is_secure:
        # Same orientation as the result chart: the secure corner bottom-left.
        ax.invert_xaxis()
        ax.invert_yaxis()
    ax.set_xlabel(inst.scale(avo_id).name)
    ax.set_ylabel(inst.scale(anx_id).name)
    path = _svg(fig, f"{inst.spec.short_name} results' path across the plane (1 = first)")
    return over_time, path


@_styled
def intensity_chart(s: WeeklySummary) -> str:
    """Average check-in intensity per day of the week (the week's days are drawn in HTML)."""
    days = [s.week_start + timedelta(days=i) for i in range(7)]
    labels = [d.strftime("%a") for d in days]
    fig = _figure(5.0, 2.6)
    ax = fig.subplots()
    xs = [i for i, d in enumerate(days) if d in s.intensity_by_day]
    ys = [s.intensity_by_day[days[i]] for i in xs]
    ax.plot(xs, ys, "o-", color=ACCENT)
    ax.set_xticks(range(7), labels)
    ax.set_xlim(-0.5, 6.5)
    ax.set_ylim(0, 10)
    ax.set_ylabel("intensity (0–10)")
    return _svg(fig, "Average check-in intensity per day this week")


@_styled
def pair_plane(inst: Instrument, profile: Profile, points: list[tuple[str, Profile]]) -> str:
    """Two partners on one plane (the axes of ``profile``'s instrument), each point named."""
    fig, ax = _plane(inst, profile, width=4.0)
    for (name, p), colour, dy in zip(points, (ACCENT, SECOND), (10, -16), strict=False):
        anx, avo = p.anxiety.score, p.avoidance.score
        if anx is None or avo is None:
            continue
        ax.plot(avo, anx, "o", color=colour, ms=10, mec="white", mew=1.4)
        ax.annotate(name, (avo, anx), textcoords="offset points", xytext=(8, dy), weight="bold")
    return _svg(fig, "Both partners' results on one anxiety and avoidance plane")
