"""The practice schedule as iCalendar (RFC 5545), so any calendar app does the reminding.

safebase has no server push: a daily check-in, the plan's next exercises once a week, and the
re-assessment date become calendar events with alarms, and the person's own calendar reminds them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from icalendar import Alarm, Calendar, Event

from safebase.core.couple.rituals import Reminder
from safebase.core.practice.plan import Plan

PRODID = "-//safebase//practice schedule//EN"


def _event(
    uid: str, summary: str, start: datetime, minutes: int, description: str, made: datetime
) -> Event:
    ev = Event()
    ev.add("uid", f"{uid}@safebase.local")
    ev.add("summary", summary)
    ev.add("dtstart", start)
    ev.add("dtend", start + timedelta(minutes=minutes))
    ev.add("dtstamp", made)  # RFC 5545: when the file was made, in UTC, not the event's time
    ev.add("description", description)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", timedelta(minutes=0))
    ev.add_component(alarm)
    return ev


def schedule_ics(
    plan: Plan | None,
    *,
    start: date,
    checkin_at: time = time(20, 0),
    weeks: int = 4,
    made: datetime | None = None,
    last_change: tuple[str, ...] | list[str] = (),
    extra: tuple[Reminder, ...] | list[Reminder] = (),
) -> bytes:
    """Daily check-in, one weekly exercise from the current phase, and re-assessment; then the
    ``extra`` reminders (a linked couple's rituals). Without a plan, only the extra ones.

    ``made`` is the moment the file is created (default: now), written as every event's DTSTAMP."""
    made = (made or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if plan is not None:
        _plan_events(cal, plan, start, checkin_at, weeks, made, last_change)
    for r in extra:
        ev = _event(r.uid, r.summary, r.start, r.minutes, r.description, made)
        if r.repeat:
            ev.add("rrule", {"freq": r.repeat.lower()})
        cal.add_component(ev)
    return cal.to_ical()


def _plan_events(
    cal: Calendar,
    plan: Plan,
    start: date,
    checkin_at: time,
    weeks: int,
    made: datetime,
    last_change: tuple[str, ...] | list[str],
) -> None:
    daily = _event(
        "daily-checkin",
        "safebase: emotion check-in",
        datetime.combine(start, checkin_at),
        5,
        "What am I feeling, and what do I need? One minute in safebase.",
        made,
    )
    daily.add("rrule", {"freq": "daily"})
    cal.add_component(daily)
    weekly = [p for p in plan.next_exercises if p.exercise.kind != "checkin"]
    for week, planned in enumerate(weekly[:weeks]):
        ex = planned.exercise
        when = datetime.combine(start + timedelta(weeks=week, days=1), checkin_at)
        cal.add_component(
            _event(
                f"week{week + 1}-{ex.id}",
                f"safebase: {ex.title}",
                when,
                ex.minutes,
                f"{ex.summary}\nWhy: {planned.why}",
                made,
            )
        )
    if plan.reassess_due is not None:
        due = max(plan.reassess_due, start)
        cal.add_component(
            _event(
                "reassess",
                "safebase: time to re-assess",
                datetime.combine(due, checkin_at),
                15,
                "Take the questionnaire again to see how your scores have moved since last time "
                "(safebase says whether a change is larger than measurement error alone would "
                "likely give, where the questionnaire has the reliability figures for it)."
                + ("\nLast time:\n" + "\n".join(last_change) if last_change else ""),
                made,
            )
        )
