"""The PDF report laid out with ReportLab's Platypus, from plain data only.

Why ReportLab: a maintained PDF library with flowing tables that split across pages; the report
is never hand-built PDF. Text is set in DejaVu Sans, the font matplotlib ships (no system font,
no download), because the report needs characters outside the PDF base fonts (≥, √, −, →), and an
embedded font with its Unicode map lets the text be copied and read back (tests use pypdf).

Every number arrives already chosen by the caller (stored scores, bands, percentiles, reliable
change); this module only formats it, two decimals as on the result page, and prints where each
number comes from beside it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN
ACCENT = colors.HexColor("#3a7ca5")  # the app's chart accent
RULE = colors.HexColor("#9aa5b1")
HEAD = colors.HexColor("#e8eef3")


@dataclass(frozen=True)
class Chart:
    """A chart drawn by matplotlib as PNG, with the sentence that says what it shows."""

    png: bytes
    caption: str
    width_in: float  # the size it was drawn at, so the page keeps its proportions
    height_in: float


@dataclass(frozen=True)
class ScoreRow:
    result: str  # "2": the second result of this questionnaire in the period
    date: str
    scale: str
    score: float | None
    band: tuple[float, float] | None = None  # 95% band around the score
    percentile: float | None = None
    note: str = ""  # e.g. why there is no score, or the forced choice in words


@dataclass(frozen=True)
class ChangeRow:
    pair: str  # "1 → 2"
    scale: str
    before: float | None
    after: float | None
    difference: float | None
    rci: float | None
    verdict: str  # verdict and its meaning, or what is missing


@dataclass(frozen=True)
class Section:
    """One questionnaire: its results in the period, with every source they rest on."""

    title: str
    kind_note: str  # "Reflection, not a validated measure." or ""
    citation: str
    charts: Sequence[Chart] = ()
    scores: Sequence[ScoreRow] = ()
    changes: Sequence[ChangeRow] = ()
    sources: Sequence[str] = ()  # where percentiles, bands, SD and r come from
    patterns: Sequence[tuple[str, str]] = ()  # (result, pattern in words)


@dataclass(frozen=True)
class PracticeCounts:
    """Counts only: a journal's text never reaches a report."""

    checkins: int
    exercises: int
    journal_entries: int


@dataclass(frozen=True)
class ReportData:
    person: str
    period: str  # "1 January 2026 – 31 March 2026" or "all time"
    generated: str
    not_a_diagnosis: str
    sections: Sequence[Section] = ()
    practice: PracticeCounts | None = None
    practice_note: str = ""
    method_notes: Sequence[str] = field(default_factory=tuple)


def number(value: float | None, places: int = 2) -> str:
    return "—" if value is None else f"{value:.{places}f}"


@cache
def _fonts() -> None:
    """Register the DejaVu fonts that ship inside matplotlib, once per process."""
    import matplotlib
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    ttf = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(ttf / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(ttf / "DejaVuSans-Bold.ttf")))


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10.5),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8, leading=10),
        "head": ParagraphStyle("head", parent=body, fontName=BOLD, fontSize=8, leading=10),
        "h1": ParagraphStyle("h1", parent=body, fontName=BOLD, fontSize=17, leading=22),
        "h2": ParagraphStyle(
            "h2", parent=body, fontName=BOLD, fontSize=12.5, leading=16, spaceBefore=10
        ),
        "h3": ParagraphStyle("h3", parent=body, fontName=BOLD, fontSize=10, spaceBefore=6),
        "box": ParagraphStyle(
            "box",
            parent=body,
            fontName=BOLD,
            borderColor=ACCENT,
            borderWidth=1,
            borderPadding=6,
            spaceBefore=8,
            spaceAfter=8,
        ),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: the data's <, > and & are never read as markup."""
    from xml.sax.saxutils import escape

    return Paragraph(escape(text), style)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float], s):
    data = [[_p(h, s["head"]) for h in header]]
    data += [[_p(c, s["cell"]) for c in row] for row in rows]
    table = Table(data, colWidths=[w * WIDTH for w in widths], repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEAD),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _charts(charts: Sequence[Chart], s) -> Flowable:
    """Charts side by side, each above its caption, scaled to its column and kept together."""
    column = WIDTH / max(1, len(charts))
    cells = []
    for chart in charts:
        width = min(column - 6, chart.width_in * 72 * 0.75)
        height = width * chart.height_in / chart.width_in
        cells.append(
            [
                Image(io.BytesIO(chart.png), width=width, height=height),
                _p(chart.caption, s["small"]),
            ]
        )
    table = Table([cells], colWidths=[column] * len(charts), hAlign="LEFT")
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    return KeepTogether([table, Spacer(0, 6)])


def _section(sec: Section, s) -> list[Flowable]:
    out: list[Flowable] = [_p(sec.title, s["h2"])]
    if sec.kind_note:
        out.append(_p(sec.kind_note, s["body"]))
    if sec.charts:
        out.append(_charts(sec.charts, s))
    if sec.scores:
        out.append(_p("Scores", s["h3"]))
        rows = [
            (
                r.result,
                r.date,
                r.scale,
                number(r.score) + (f" ({r.note})" if r.note else ""),
                f"{number(r.band[0])}–{number(r.band[1])}" if r.band else "—",
                number(r.percentile, 0),
            )
            for r in sec.scores
        ]
        header = ("No.", "Completed", "Scale", "Score", "95% band", "Percentile")
        out.append(_table(header, rows, (0.06, 0.22, 0.32, 0.14, 0.14, 0.12), s))
    if sec.patterns:
        text = "; ".join(f"no. {result}: {pattern}" for result, pattern in sec.patterns)
        out.append(
            _p(f"Pattern (a summary of the two dimensions, second to them): {text}.", s["small"])
        )
    if sec.changes:
        out.append(_p("Reliable change", s["h3"]))
        rows = [
            (
                c.pair,
                c.scale,
                number(c.before),
                number(c.after),
                "—" if c.difference is None else f"{c.difference:+.2f}",
                "—" if c.rci is None else f"{c.rci:+.2f}",
                c.verdict,
            )
            for c in sec.changes
        ]
        header = ("Results", "Scale", "Before", "After", "Change", "RCI", "Verdict")
        out.append(_table(header, rows, (0.08, 0.2, 0.08, 0.08, 0.09, 0.08, 0.39), s))
    if sec.sources:
        out.append(_p("Where these numbers come from", s["h3"]))
        out += [_p(text, s["small"]) for text in sec.sources]
    out.append(_p(f"Source: {sec.citation}", s["small"]))
    return out


def _footer(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 7.5)
    canvas.drawString(MARGIN, 10 * mm, "safebase report — not a diagnosis")
    canvas.drawRightString(A4[0] - MARGIN, 10 * mm, f"page {doc.page}")
    canvas.restoreState()


def build_pdf(data: ReportData) -> bytes:
    """The report as PDF bytes (A4). The same input gives the same bytes (``invariant``)."""
    _fonts()
    s = _styles()
    story: list[Flowable] = [
        _p("safebase report", s["h1"]),
        _p(f"For: {data.person}", s["body"]),
        _p(f"Period: {data.period}", s["body"]),
        _p(f"Made: {data.generated}", s["body"]),
        _p(data.not_a_diagnosis, s["box"]),
    ]
    if not data.sections:
        story.append(_p("No finished questionnaire results in this period.", s["body"]))
    for sec in data.sections:
        story += _section(sec, s)
    if data.practice is not None:
        p = data.practice
        story.append(_p("Practice in this period", s["h2"]))
        rows = [
            ("Emotion check-ins", str(p.checkins)),
            ("Exercises done", str(p.exercises)),
            ("Journal entries (count only; their text stays private)", str(p.journal_entries)),
        ]
        story.append(_table(("Record", "Count"), rows, (0.7, 0.3), s))
        if data.practice_note:
            story.append(_p(data.practice_note, s["small"]))
    if data.method_notes:
        story.append(_p("Methods", s["h2"]))
        story += [_p(text, s["small"]) for text in data.method_notes]
    story.append(_p(data.not_a_diagnosis, s["box"]))
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title="safebase report",
        author="safebase",
        invariant=1,
    )
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buf.getvalue()
