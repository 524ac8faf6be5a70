"""The PDF layout on its own, from plain data: no Django, no database."""

from __future__ import annotations

import io

from reportlab.lib.utils import ImageReader

from safebase.reports.pdf import (
    ChangeRow,
    Chart,
    PracticeCounts,
    ReportData,
    ScoreRow,
    Section,
    build_pdf,
    number,
)
from tests.reports.pdftext import flat, pdf_text, score_rows


def _png() -> bytes:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2, 2))
    fig.subplots().plot([1, 2], [2, 1])
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=50)
    return buf.getvalue()


def _data(**changes) -> ReportData:
    section = Section(
        title="A Questionnaire <with> & markup-like text",
        kind_note="Reflection, not a validated measure.",
        citation="Author, A. (2001). A title. Journal, 1(2), 3–4.",
        charts=[Chart(_png(), "A chart caption", 2, 2)],
        scores=[
            ScoreRow("1", "1 Jan 2026 10:00", "Attachment anxiety", 3.456, (2.5, 4.25), 61.4),
            ScoreRow("1", "1 Jan 2026 10:00", "Attachment avoidance", None, note="too few"),
        ],
        changes=[ChangeRow("1 → 2", "Attachment anxiety", 3.0, 2.0, -1.0, -2.345, "improved")],
        sources=["SD 1.10 from a cited sample (N = 1,234)."],
    )
    base = {
        "person": "alice",
        "period": "1 January 2026 – 31 March 2026",
        "generated": "1 April 2026 09:00",
        "not_a_diagnosis": "safebase is not a diagnosis.",
        "sections": [section],
        "practice": PracticeCounts(checkins=7, exercises=3, journal_entries=2),
        "method_notes": ["Jacobson & Truax (1991)."],
    }
    return ReportData(**{**base, **changes})


def test_every_part_reads_back():
    body = build_pdf(_data())
    text = flat(pdf_text(body))
    for part in (
        "A Questionnaire <with> & markup-like text",  # escaped, not read as markup
        "Reflection, not a validated measure.",
        "Source: Author, A. (2001). A title. Journal, 1(2), 3–4.",
        "A chart caption",
        "SD 1.10 from a cited sample (N = 1,234).",
        "Period: 1 January 2026 – 31 March 2026",
        "Emotion check-ins 7",
        "Exercises done 3",
        "2.50–4.25",
        "-1.00",
        "-2.35",
        "Jacobson & Truax (1991).",
    ):
        assert part in text, part
    assert text.count("safebase is not a diagnosis.") == 2  # first and last page
    assert score_rows(body) == [
        ("1", "1 Jan 2026 10:00", "Attachment anxiety", "3.46")
    ]  # the unscored row shows "— (too few)", not a number
    assert "— (too few)" in text


def test_no_practice_section_unless_given():
    text = pdf_text(build_pdf(_data(practice=None)))
    assert "Practice in this period" not in text and "Emotion check-ins" not in text


def test_no_results_says_so_and_the_same_input_gives_the_same_bytes():
    data = _data(sections=[])
    assert "No finished questionnaire results in this period." in pdf_text(build_pdf(data))
    assert build_pdf(data) == build_pdf(data)


def test_the_chart_is_embedded_as_an_image():
    assert ImageReader(io.BytesIO(_png())).getSize() == (100, 100)
    assert b"/Subtype /Image" in build_pdf(_data())


def test_number_formats_like_the_result_page():
    assert (number(None), number(3.14159), number(61.5, 0), number(2.0)) == (
        "—",
        "3.14",
        "62",
        "2.00",
    )


def test_the_layout_package_is_free_of_django_and_the_web_app():
    """So the therapist side (or a script) can lay out a report from any data source."""
    import ast
    from pathlib import Path

    import safebase.reports

    for path in Path(safebase.reports.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                assert not name.startswith(("django", "safebase.web", "safebase.cli")), path
