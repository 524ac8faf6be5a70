"""Questionnaires a therapist assigned, as iCalendar events (RFC 5545) with an alarm, so the
client's own calendar reminds them — as the practice schedule does (``core.practice.schedule``)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from icalendar import Alarm, Calendar, Event

PRODID = "-//safebase//questionnaires from my therapist//EN"
AT = time(19, 0)


def assignments_ics(assignments, *, made: datetime | None = None) -> bytes:
    """One event per assigned questionnaire at its next due date; a recurring one repeats every
    N weeks."""
    made = (made or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    for a in assignments:
        if a.next_due is None:
            continue
        inst = a.instrument
        ev = Event()
        ev.add("uid", f"clinic-assignment-{a.pk}@safebase.local")
        summary = f"safebase: {inst.spec.short_name} questionnaire"
        ev.add("summary", summary)
        start = datetime.combine(a.next_due, AT)
        ev.add("dtstart", start)
        ev.add("dtend", start + timedelta(minutes=15))
        ev.add("dtstamp", made)
        ev.add(
            "description",
            f"{a.record.owner.get_username()} asked you to answer the {inst.name} "
            f"within {a.window_days} days of this date.",
        )
        if a.every_weeks:
            ev.add("rrule", {"freq": "weekly", "interval": a.every_weeks})
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", timedelta(minutes=0))
        ev.add_component(alarm)
        cal.add_component(ev)
    return cal.to_ical()
