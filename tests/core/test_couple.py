"""The pure couple core: the pair's combination, the twelve signs against the material, the
repair log's arithmetic and the rituals' calendar events."""

from __future__ import annotations

import re
import statistics
from datetime import date, datetime, timedelta
from itertools import product

from icalendar import Calendar

from safebase.core.couple import signs
from safebase.core.couple.pair import SIDE_HELPS, Combination, combination, read_pair
from safebase.core.couple.rituals import (
    Kind,
    hours_to_repair,
    period_start,
    repair_months,
    ritual_reminders,
    weekly_streak,
)
from safebase.core.practice.schedule import schedule_ics
from safebase.core.styles import Style
from tests.conftest import shared_path

EXPECTED = {  # worked out from the list, by hand
    frozenset({Style.ANXIOUS, Style.AVOIDANT}): Combination.PURSUE_WITHDRAW,
    frozenset({Style.ANXIOUS}): Combination.BOTH_ANXIOUS,
    frozenset({Style.AVOIDANT}): Combination.BOTH_AVOIDANT,
    frozenset({Style.SECURE}): Combination.BOTH_SECURE,
    frozenset({Style.SECURE, Style.ANXIOUS}): Combination.SECURE_BASE,
    frozenset({Style.SECURE, Style.AVOIDANT}): Combination.SECURE_BASE,
    frozenset({Style.SECURE, Style.FEARFUL}): Combination.SECURE_BASE,
    frozenset({Style.FEARFUL}): Combination.FEARFUL,
    frozenset({Style.FEARFUL, Style.ANXIOUS}): Combination.FEARFUL,
    frozenset({Style.FEARFUL, Style.AVOIDANT}): Combination.FEARFUL,
}


def test_every_pair_of_patterns_has_one_combination_whatever_the_order():
    for a, b in product(Style, Style):
        assert combination(a, b) == combination(b, a) == EXPECTED[frozenset({a, b})]


def test_every_claim_carries_a_source_or_the_summary_label():
    for a, b in product(Style, Style):
        reading = read_pair(a, b)
        assert set(reading.helps_side) == {a, b}
        for claim in (*reading.explanation, *reading.helps_both):
            assert claim.attribution.startswith(('Source: "', "Safebase's summary"))
    for helps in SIDE_HELPS.values():
        assert helps and all(c.attribution for c in helps)
    pursue = read_pair(Style.ANXIOUS, Style.AVOIDANT)
    assert "reach" in pursue.explanation[0].text and "step" in pursue.explanation[0].text
    for claim in (*pursue.explanation,):
        assert not re.search(r"\d+\s*%", claim.text)  # no statistic without a source


def test_the_twelve_signs_are_the_materials_twelve():
    text = shared_path("source-material", "004_7fb87439ed1cc348.txt").read_text(encoding="utf-8")
    section = text.split("Signs you are dating a person with a secure attachment")[1]
    section = section.split("Secure attachment sounds like")[0]
    numbered = re.findall(r"^(\d+)\. ", section, flags=re.M)
    assert [int(n) for n in numbered] == list(range(1, 13))
    assert len(signs.SIGNS) == 12 and [s.number for s in signs.SIGNS] == list(range(1, 13))
    # spot checks that each of ours is the material's sign of the same number
    keywords = {9: "ex-partners", 11: "own interests", 12: "boundaries", 4: "Warm"}
    for n, word in keywords.items():
        line = re.search(rf"^{n}\. (.*)$", section, flags=re.M).group(1)
        assert word.lower() in line.lower()
    assert "former partners" in signs.SIGNS[8].about_partner
    assert "interests" in signs.SIGNS[10].about_partner
    assert "boundaries" in signs.SIGNS[11].about_self
    assert signs.LABEL == "Reflection, not a measure"
    assert len(signs.statements("self")) == len(signs.statements("partner")) == 12


def test_the_repair_log_by_month_against_a_direct_computation():
    t0 = datetime(2026, 1, 3, 21, 0)
    repairs = [
        (t0, t0 + timedelta(hours=2)),
        (t0 + timedelta(days=10), t0 + timedelta(days=12)),
        (t0 + timedelta(days=20), None),
        (datetime(2026, 2, 14, 9), datetime(2026, 2, 14, 9, 30)),
        (datetime(2026, 2, 20, 9), datetime(2026, 2, 19, 9)),  # dated after its repair: 0 hours
    ]
    rows = repair_months(repairs, today=date(2026, 3, 1))
    assert [r.month for r in rows] == [date(2026, 2, 1), date(2026, 1, 1)]
    feb, jan = rows
    assert (jan.repaired, jan.open) == (2, 1)
    assert jan.median_hours == statistics.median([2.0, 48.0]) == 25.0
    assert (feb.repaired, feb.open, feb.median_hours) == (2, 0, 0.25)
    assert hours_to_repair(t0, t0 - timedelta(hours=1)) == 0.0


def test_periods_and_the_weekly_streak():
    wed = date(2026, 3, 11)
    assert period_start(Kind.DAILY, wed) == wed
    assert period_start(Kind.WEEKLY, wed) == date(2026, 3, 9)
    assert period_start(Kind.YEARLY, wed) == date(2026, 1, 1)
    mondays = [date(2026, 3, 2), date(2026, 2, 23), date(2026, 2, 9)]
    assert weekly_streak(mondays, date(2026, 3, 9)) == 2  # this week not yet: last week counts
    assert weekly_streak(mondays, date(2026, 3, 16)) == 0


def test_the_rituals_as_calendar_events_without_a_plan():
    reminders = ritual_reminders(today=date(2026, 3, 11), partner_name="Bob")
    cal = Calendar.from_ical(schedule_ics(None, start=date(2026, 3, 11), extra=reminders))
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {
        "couple-daily@safebase.local",
        "couple-weekly@safebase.local",
        "couple-yearly@safebase.local",
    }
    weekly = events["couple-weekly@safebase.local"]
    assert weekly.decoded("dtstart").weekday() == 6  # the Sunday after a Wednesday
    assert weekly.decoded("dtstart").date() == date(2026, 3, 15)
    assert "Bob" in str(events["couple-daily@safebase.local"]["summary"])
