"""The couple's rituals and repair, as data and small functions over dates.

Rituals (daily check-in for two, weekly relationship time, yearly review) follow the article
"Secure Attachment Style: Characteristics and How to Develop It" (daily check-ins, weekly time,
annual reviews); the daily questions follow the emotion check-in of "Secure Attachment: Building
Safe, Strong, and Lasting Bonds", whose three repair steps the repair flow follows too.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from safebase.core.couple.sources import COPEHOUSE, DEVELOP_IT, LASTING_BONDS, Source


class Kind(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    YEARLY = "yearly"
    COREGULATE = "coregulate"


@dataclass(frozen=True)
class Prompt:
    name: str
    label: str
    free_text: bool = True


@dataclass(frozen=True)
class Ritual:
    kind: Kind
    title: str
    summary: str
    prompts: tuple[Prompt, ...]
    source: Source


RITUALS: dict[Kind, Ritual] = {
    Kind.DAILY: Ritual(
        Kind.DAILY,
        "Two-minute check-in for two",
        "Each of you answers two questions; you see your partner's answer once you have given "
        "your own.",
        (Prompt("feel", "What I feel"), Prompt("need", "What I need today")),
        LASTING_BONDS,
    ),
    Kind.WEEKLY: Ritual(
        Kind.WEEKLY,
        "Weekly relationship time",
        "Once a week: one appreciation, one thing that was hard, one request.",
        (
            Prompt("appreciation", "An appreciation"),
            Prompt("hard", "One thing that was hard"),
            Prompt("request", "One request"),
        ),
        DEVELOP_IT,
    ),
    Kind.YEARLY: Ritual(
        Kind.YEARLY,
        "Yearly review",
        "Once a year, look back together at your results and your practice.",
        (
            Prompt("worked", "What worked for us this year"),
            Prompt("change", "What I would like us to change"),
        ),
        DEVELOP_IT,
    ),
    Kind.COREGULATE: Ritual(
        Kind.COREGULATE,
        "Co-regulation for two",
        "Breathe together at a slow pace, then each names one feeling and one need.",
        (Prompt("feeling", "One feeling", False), Prompt("need", "One need", False)),
        COPEHOUSE,
    ),
}


def period_start(kind: Kind, day: date) -> date:
    """The day a ritual's period begins: the day itself, its Monday, or 1 January."""
    if kind == Kind.WEEKLY:
        return day - timedelta(days=day.weekday())
    if kind == Kind.YEARLY:
        return date(day.year, 1, 1)
    return day


def shared_days(mine: Iterable[date], theirs: Iterable[date]) -> set[date]:
    """Days both partners answered: a shared streak counts only these."""
    return set(mine) & set(theirs)


def weekly_streak(weeks: Iterable[date], this_monday: date) -> int:
    """Consecutive weeks (by their Monday) ending this week or last week."""
    active = set(weeks)
    start = this_monday if this_monday in active else this_monday - timedelta(weeks=1)
    n = 0
    while start - timedelta(weeks=n) in active:
        n += 1
    return n


# --- repair -----------------------------------------------------------------------------------

REPAIR_SOURCE = LASTING_BONDS
REPAIR_STEPS: tuple[Prompt, ...] = (
    Prompt("own_part", "Own your part"),
    Prompt("acknowledge", "Acknowledge their experience"),
    Prompt("path_forward", "Offer a path forward"),
)
REPAIR_EXAMPLES = {  # the article's examples, paraphrased
    "own_part": "For example: I got defensive.",
    "acknowledge": "For example: I can see that it hurt you.",
    "path_forward": "For example: next time I will slow down and listen.",
}


def hours_to_repair(ruptured: datetime, repaired: datetime) -> float:
    """Hours from the moment of rupture to the moment both marked it repaired (never negative:
    a rupture dated after its repair counts as repaired at once)."""
    return max(0.0, (repaired - ruptured).total_seconds() / 3600)


@dataclass(frozen=True)
class MonthRow:
    month: date  # the first of the month
    repaired: int
    median_hours: float | None
    open: int


def repair_months(
    repairs: Iterable[tuple[datetime, datetime | None]], *, today: date
) -> list[MonthRow]:
    """Per month of rupture, newest first: how many were repaired, the median hours from rupture
    to repair of those, and how many are still open. Counts of the pair's own log, not a
    measure."""
    by_month: dict[date, tuple[list[float], list[int]]] = {}
    for ruptured, repaired in repairs:
        month = date(ruptured.year, ruptured.month, 1)
        hours, open_ = by_month.setdefault(month, ([], []))
        if repaired is None:
            open_.append(1)
        else:
            hours.append(hours_to_repair(ruptured, repaired))
    return [
        MonthRow(
            m,
            len(hours),
            statistics.median(hours) if hours else None,
            len(open_),
        )
        for m, (hours, open_) in sorted(by_month.items(), reverse=True)
        if m <= today
    ]


# --- calendar reminders -----------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    """A calendar event for ``core.practice.schedule``; ``repeat`` is an RFC 5545 FREQ."""

    uid: str
    summary: str
    start: datetime
    minutes: int
    description: str
    repeat: str | None = None


def ritual_reminders(
    *, today: date, partner_name: str, at: time = time(21, 0), weekly_at: time = time(19, 0)
) -> list[Reminder]:
    """The rituals of two linked partners as repeating calendar events."""
    sunday = today + timedelta(days=(6 - today.weekday()) % 7)
    return [
        Reminder(
            "couple-daily",
            f"safebase: two-minute check-in with {partner_name}",
            datetime.combine(today, at),
            2,
            "What I feel, what I need today. You see each other's answer once you have both "
            "answered.",
            "DAILY",
        ),
        Reminder(
            "couple-weekly",
            f"safebase: relationship time with {partner_name}",
            datetime.combine(sunday, weekly_at),
            30,
            "One appreciation, one thing that was hard, one request.",
            "WEEKLY",
        ),
        Reminder(
            "couple-yearly",
            f"safebase: yearly review with {partner_name}",
            datetime.combine(today + timedelta(days=365), weekly_at),
            60,
            "Look back together at your results and your practice this year.",
            "YEARLY",
        ),
    ]
