"""Progress from practice events: streaks and the weekly summary. Pure functions over dates.

A streak counts consecutive days with at least one practice event (check-in, journal entry,
exercise record), ending today — or yesterday, so a streak is not shown as broken before the day
is over. The weekly summary counts, it does not score: none of these numbers is a measure.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from safebase.core.practice.emotions import family_of
from safebase.core.practice.exercises import PHASES, all_exercises


def streak(days: Iterable[date], today: date) -> int:
    active = set(days)
    start = today if today in active else today - timedelta(days=1)
    n = 0
    while start - timedelta(days=n) in active:
        n += 1
    return n


def longest_streak(days: Iterable[date]) -> int:
    ordered = sorted(set(days))
    best = run = 0
    for i, d in enumerate(ordered):
        run = run + 1 if i and d - ordered[i - 1] == timedelta(days=1) else 1
        best = max(best, run)
    return best


@dataclass(frozen=True)
class CheckInEvent:
    day: date
    emotion: str
    intensity: int


@dataclass(frozen=True)
class ExerciseEvent:
    day: date
    exercise_id: str


@dataclass(frozen=True)
class WeeklySummary:
    week_start: date
    exercises_per_phase: dict[str, int]
    exercises_total: int
    checkins: int
    families: dict[str, int]
    families_by_day: dict[date, dict[str, int]]
    intensity_by_day: dict[date, float]
    gratitude_count: int
    journal_entries: int
    active_days: int
    notes: tuple[str, ...] = field(default=())


def weekly_summary(
    week_start: date,
    checkins: Sequence[CheckInEvent],
    exercises: Sequence[ExerciseEvent],
    journal_days: Sequence[date],
) -> WeeklySummary:
    """The seven days from ``week_start``: practice per phase, feelings, intensity, gratitude."""
    end = week_start + timedelta(days=7)

    def in_week(d: date) -> bool:
        return week_start <= d < end

    week_checkins = [c for c in checkins if in_week(c.day)]
    week_exercises = [e for e in exercises if in_week(e.day)]
    library = all_exercises()
    per_phase: Counter[str] = Counter({p: 0 for p in PHASES})
    # A check-in is the emotion check-in exercise.
    for ex_id in [e.exercise_id for e in week_exercises] + ["emotion-check-in"] * len(
        week_checkins
    ):
        ex = library.get(ex_id)
        if ex is not None:
            for phase in ex.phases:
                per_phase[phase] += 1
    families = Counter(family_of(c.emotion) or "other" for c in week_checkins)
    by_day: dict[date, Counter[str]] = {}
    intensity: dict[date, list[int]] = {}
    for c in week_checkins:
        by_day.setdefault(c.day, Counter())[family_of(c.emotion) or "other"] += 1
        intensity.setdefault(c.day, []).append(c.intensity)
    active = {c.day for c in week_checkins} | {e.day for e in week_exercises}
    active |= {d for d in journal_days if in_week(d)}
    return WeeklySummary(
        week_start=week_start,
        exercises_per_phase=dict(per_phase),
        exercises_total=len(week_exercises) + len(week_checkins),
        checkins=len(week_checkins),
        families=dict(families),
        families_by_day={d: dict(c) for d, c in sorted(by_day.items())},
        intensity_by_day={d: sum(v) / len(v) for d, v in sorted(intensity.items())},
        gratitude_count=sum(1 for e in week_exercises if e.exercise_id == "gratitude"),
        journal_entries=sum(1 for d in journal_days if in_week(d)),
        active_days=len(active),
    )
