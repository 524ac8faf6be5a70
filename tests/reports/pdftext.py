"""Read a PDF report back as text (pypdf), and its score rows as data, for the report tests."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

SCORE = re.compile(r"^-?\d+\.\d\d$")
DATE = re.compile(r"^\d{1,2} [A-Z][a-z]{2} \d{4}")


def pdf_text(body: bytes) -> str:
    assert body.startswith(b"%PDF-"), body[:20]
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def flat(text: str) -> str:
    """Text with every run of white space as one space: wrapped lines joined again."""
    return " ".join(text.split())


def score_rows(body: bytes) -> list[tuple[str, str, str, str]]:
    """(number, completed, scale, score) for each row of the report's scores tables; pypdf gives
    one cell per line, row by row."""
    lines = [line.strip() for line in pdf_text(body).splitlines()]
    rows = []
    for i, line in enumerate(lines[:-3]):
        if re.fullmatch(r"\d+", line) and DATE.match(lines[i + 1]) and SCORE.match(lines[i + 3]):
            rows.append((line, lines[i + 1], lines[i + 2], lines[i + 3]))
    return rows
