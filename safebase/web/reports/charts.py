"""The report's charts as PNG: the app's plane and time axis (``safebase.web.charts``), drawn for
paper.

The web charts are SVG in ``currentColor`` on a clear background for the page's theme; on paper
the ink is dark and the background white, so the same drawing is saved as PNG at print
resolution. Figures are ``Figure`` objects, never pyplot: reports can be made in several threads.
"""

from __future__ import annotations

import io
from datetime import datetime

from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.patches import Ellipse

from safebase.core.instrument import Instrument
from safebase.core.profile import Profile
from safebase.core.scoring import scorer_for
from safebase.reports.pdf import Chart
from safebase.web import charts

PAPER = {
    **charts.STYLE,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "axes.facecolor": "white",
}
DPI = 150
MARKERS = "os^Dv<>phP*X"


def _png(fig: Figure, caption: str) -> Chart:
    """PNG cut to the drawing (as the web's SVG is), with the size it came out at."""
    from PIL import Image  # Pillow: a dependency of matplotlib

    buf = io.BytesIO()
    fig.savefig(
        buf,
        format="png",
        dpi=DPI,
        bbox_inches="tight",
        facecolor="white",
        metadata={"Software": None},
    )
    width, height = Image.open(io.BytesIO(buf.getvalue())).size
    return Chart(buf.getvalue(), caption, width / DPI, height / DPI)


def plane_chart(
    inst: Instrument, profile: Profile, points: list[tuple[str, float, float]]
) -> Chart:
    """The results of the period on the anxiety × avoidance plane, numbered in time order and
    joined by their path; the latest carries its 95% band when there is one."""
    with rc_context(PAPER):
        fig, ax = charts._plane(inst, profile)  # the app's plane: regions, cut-offs, orientation
        xs, ys = [p[2] for p in points], [p[1] for p in points]
        if len(points) > 1:
            ax.plot(xs, ys, "-", color=charts.INK, alpha=0.4)
        anx, avo = profile.anxiety, profile.avoidance
        if anx.band and avo.band and anx.score is not None and avo.score is not None:
            ax.add_patch(
                Ellipse(
                    (avo.score, anx.score),
                    avo.band[1] - avo.band[0],
                    anx.band[1] - anx.band[0],
                    color=charts.ACCENT,
                    alpha=0.25,
                    lw=0,
                )
            )
        for label, y, x in points:
            ax.plot(x, y, "o", color=charts.ACCENT, mec="white", mew=1.2, ms=9)
            ax.annotate(label, (x, y), textcoords="offset points", xytext=(6, 6), fontsize=9)
        banded = " The shaded oval is the latest result's 95% band." if anx.band else ""
        caption = (
            f"{inst.spec.short_name} results of the period on the plane of "
            f"{anx.name.lower()} and {avo.name.lower()} (1 = first; cut-offs: "
            f"{profile.cutoff_rule}).{banded}"
        )
        return _png(fig, caption)


def over_time_chart(
    inst: Instrument, series: dict[str, list[tuple[datetime, float]]]
) -> Chart | None:
    """Each scale's score over the period, on the scale's whole range."""
    drawn = {sid: pts for sid, pts in series.items() if pts}
    if not drawn:
        return None
    with rc_context(PAPER):
        fig = Figure(figsize=(5.0, 4.2))
        ax = fig.subplots()
        lows, highs = [], []
        for i, (sid, pts) in enumerate(drawn.items()):
            scale = inst.scale(sid)
            lo, hi = scorer_for(inst).bounds(scale)
            lows.append(lo)
            highs.append(hi)
            colour = charts.ACCENT if i % 2 == 0 else charts.SECOND
            ax.plot(
                [p[0] for p in pts],
                [p[1] for p in pts],
                marker=MARKERS[i % len(MARKERS)],
                ls="-" if i % 2 == 0 else "--",
                color=colour,
                label=scale.name,
            )
        ax.set_ylim(min(lows), max(highs))
        charts._date_axis(ax, [p[0] for pts in drawn.values() for p in pts])
        ax.legend(
            fontsize=9, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2
        )
        return _png(fig, f"{inst.spec.short_name} scores over the period")
