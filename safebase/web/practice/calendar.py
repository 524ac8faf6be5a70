"""Reminders other contexts add to the practice calendar file.

The calendar (``views.schedule``) belongs to practice, but a couple's rituals belong to the
``couple`` app, which depends on practice and not the other way round. So the couple app
registers a function here at start-up, and practice asks every registered function for its
reminders without importing it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from safebase.core.couple.rituals import Reminder

ReminderSource = Callable[[object, date], list[Reminder]]
SOURCES: list[ReminderSource] = []


def register(source: ReminderSource) -> ReminderSource:
    if source not in SOURCES:
        SOURCES.append(source)
    return source


def extra_reminders(user, today: date) -> list[Reminder]:
    return [r for source in SOURCES for r in source(user, today)]
