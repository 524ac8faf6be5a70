"""Whole numbers typed by a person: ASCII digits only, and few of them.

``str.isdigit`` is true for characters ``int`` refuses ('²', '①') and ``int`` reads other
scripts' digits ('٣' is 3); and ``int`` refuses more than 4,300 digits (CPython's guard against
slow conversion). So a check of "is this a number?" followed by ``int()`` can crash on input the
check let through. One regular expression over ASCII digits, with a length bound, cannot.
"""

from __future__ import annotations

import re

MAX_DIGITS = 6
_WHOLE = re.compile(rf"[0-9]{{1,{MAX_DIGITS}}}")


def parse_whole_number(text: str) -> int | None:
    """The number ``text`` spells in at most MAX_DIGITS ASCII digits (surrounding whitespace
    ignored), or None for anything else: signs, fractions, other scripts, longer numbers."""
    text = text.strip()
    return int(text) if _WHOLE.fullmatch(text) else None


def shorten(text: str, limit: int = 40) -> str:
    """``text`` cut to ``limit`` characters for an error message (a pasted 5,000-digit number
    should not become a 5,000-character message)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
