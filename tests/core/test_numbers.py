"""Whole numbers typed by a person: ASCII digits only, bounded length, never a crash."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safebase.core.numbers import MAX_DIGITS, parse_whole_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7", 7),
        (" 10 ", 10),
        ("007", 7),
        ("9" * MAX_DIGITS, int("9" * MAX_DIGITS)),
        ("²", None),  # isdigit() is true, int() raises
        ("①", None),
        ("٣", None),  # int() reads it as 3; a person typing it did not mean ASCII 3
        ("３", None),  # fullwidth 3
        ("9" * (MAX_DIGITS + 1), None),
        ("9" * 5000, None),  # int() refuses more than 4,300 digits
        ("-1", None),
        ("+1", None),
        ("1.0", None),
        ("1_000", None),  # int() accepts underscores
        ("5\n", 5),
        ("", None),
        ("q", None),
    ],
)
def test_parse_whole_number(text, expected):
    assert parse_whole_number(text) == expected


@given(st.text())
def test_any_text_gives_a_bounded_int_or_none(text):
    value = parse_whole_number(text)
    assert value is None or 0 <= value < 10**MAX_DIGITS


@given(st.integers(0, 10**MAX_DIGITS - 1))
def test_every_short_number_round_trips(n):
    assert parse_whole_number(str(n)) == n


NON_ASCII_DIGITS = st.characters(categories=["Nd", "No", "Nl"]).filter(lambda c: not c.isascii())


@given(st.text(NON_ASCII_DIGITS, min_size=1))
def test_no_digit_outside_ascii_is_read(digits):
    assert parse_whole_number(digits) is None
    assert parse_whole_number("1" + digits) is None
