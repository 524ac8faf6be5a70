"""The exercise library, the plan (different for each pattern), progress and the calendar."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from icalendar import Calendar

from safebase.core.errors import InstrumentFileError
from safebase.core.practice.emotions import EMOTION_FAMILIES, NEEDS, WORD_TO_FAMILY
from safebase.core.practice.exercises import (
    PHASES,
    all_exercises,
    exercises_dir,
    load_exercise_file,
)
from safebase.core.practice.plan import PHASE_TARGET, THERAPIST_RECOMMENDATION, build_plan
from safebase.core.practice.progress import (
    CheckInEvent,
    ExerciseEvent,
    longest_streak,
    streak,
    weekly_summary,
)
from safebase.core.practice.schedule import schedule_ics
from safebase.core.styles import Style

TODAY = date(2026, 11, 23)
REQUIRED = {
    "emotion-check-in",
    "self-soothing",
    "i-statement",
    "active-listening",
    "repair",
    "boundary-reflection",
    "gratitude",
    "affirmation",
    "vulnerability-ladder",
    "belief-check",
    "relationship-story",
    "body-scan",
    "rituals",
}


def _plan(style: Style, completions=None, last=TODAY - timedelta(days=3), **kw):
    return build_plan(
        style=style, completions=completions or {}, last_assessed=last, today=TODAY, **kw
    )


def _ids(plan) -> set[str]:
    return {p.exercise.id for ph in plan.phases for p in ph.exercises}


def test_library_has_every_required_exercise_with_why_and_steps():
    library = all_exercises()
    assert set(library) >= REQUIRED
    for ex in library.values():
        assert ex.steps and ex.seed_idea and ex.records
        assert set(ex.patterns) == set(ex.why)
    assert library["repair"].records == [
        "situation",
        "own_part",
        "their_experience",
        "path_forward",
    ]
    assert library["belief-check"].records == [
        "situation",
        "automatic_thought",
        "evidence_for",
        "evidence_against",
        "balanced_thought",
    ]
    assert 10 <= library["body-scan"].timer_minutes <= 15


def test_a_malformed_exercise_file_names_the_field(tmp_path):
    text = (exercises_dir() / "repair.toml").read_text(encoding="utf-8")
    path = tmp_path / "repair.toml"
    path.write_text(text.replace('secure = "Reliable repair', 'sekure = "Reliable repair'))
    with pytest.raises(InstrumentFileError, match=r"repair\.toml: field .why"):
        load_exercise_file(path)


def test_emotion_vocabulary_is_large_enough_and_in_families():
    assert len(WORD_TO_FAMILY) >= 60
    assert len(EMOTION_FAMILIES) >= 6
    assert {"comfort", "space", "reassurance", "connection", "rest"} <= set(NEEDS)


def test_plan_differs_by_pattern_in_the_ways_the_guide_says():
    anxious, avoidant = _plan(Style.ANXIOUS), _plan(Style.AVOIDANT)
    fearful, secure = _plan(Style.FEARFUL), _plan(Style.SECURE)
    assert {"self-soothing", "tolerate-distance", "belief-check"} <= _ids(anxious)
    assert "vulnerability-ladder" not in _ids(anxious)
    assert {"vulnerability-ladder", "support-seeking", "stay-present"} <= _ids(avoidant)
    assert "tolerate-distance" not in _ids(avoidant)
    assert "grounding" in _ids(fearful)
    assert fearful.recommendation == THERAPIST_RECOMMENDATION
    assert anxious.recommendation is None and secure.recommendation is None
    assert "rituals" in _ids(secure) and "self-soothing" not in _ids(secure)
    assert [p.id for p in anxious.phases] == list(PHASES)


def test_each_planned_exercise_says_why_for_this_pattern():
    plan = _plan(Style.AVOIDANT)
    ladder = next(
        p for ph in plan.phases for p in ph.exercises if p.exercise.id == "vulnerability-ladder"
    )
    assert ladder.why == all_exercises()["vulnerability-ladder"].why["avoidant"]


def test_plan_moves_on_with_practice():
    fresh = _plan(Style.ANXIOUS)
    assert fresh.current_phase == "pattern_recognition"
    # Pattern recognition for anxious: belief-check, emotion check-in, relationship story.
    done = {"emotion-check-in": PHASE_TARGET}
    moved = _plan(Style.ANXIOUS, done)
    assert moved.phase("pattern_recognition").done
    # The check-in also serves emotional processing, so that phase has progressed too.
    assert moved.phase("emotional_processing").completed == PHASE_TARGET
    assert moved.current_phase == "skill_development"
    assert _plan(Style.ANXIOUS, {"emotion-check-in": 2}).phase(
        "pattern_recognition"
    ).progress == pytest.approx(2 / PHASE_TARGET)


def test_reassessment_every_four_weeks():
    assert not _plan(Style.SECURE, last=TODAY - timedelta(days=27)).reassess_now
    due = _plan(Style.SECURE, last=TODAY - timedelta(days=28))
    assert due.reassess_now and due.reassess_due == TODAY


def test_least_secure_relationship_is_the_focus():
    plan = _plan(
        Style.ANXIOUS,
        relationships={
            "Mother or mother-like figure": (1.5, 2.0),
            "Dating or marital partner": (5.5, 3.0),
            "Best friend": (None, None),
        },
    )
    assert plan.focus_relationship == "Dating or marital partner"


def test_streaks():
    days = [TODAY, TODAY - timedelta(days=1), TODAY - timedelta(days=2), TODAY - timedelta(days=5)]
    assert streak(days, TODAY) == 3
    # Nothing yet today: yesterday's run still counts until the day is over.
    assert streak(days[1:], TODAY) == 2
    assert streak([TODAY - timedelta(days=2)], TODAY) == 0
    assert longest_streak(days) == 3


def test_weekly_summary_counts_by_phase_family_and_day():
    monday = date(2026, 11, 16)
    checkins = [
        CheckInEvent(monday, "anxious", 8),
        CheckInEvent(monday, "lonely", 6),
        CheckInEvent(monday + timedelta(days=2), "content", 3),
        CheckInEvent(monday + timedelta(days=7), "happy", 2),  # next week: excluded
    ]
    exercises = [
        ExerciseEvent(monday + timedelta(days=1), "gratitude"),
        ExerciseEvent(monday + timedelta(days=1), "repair"),
    ]
    s = weekly_summary(monday, checkins, exercises, [monday + timedelta(days=3)])
    assert s.checkins == 3
    assert s.families == {"fear": 1, "sadness": 1, "joy": 1}
    assert s.intensity_by_day[monday] == pytest.approx(7.0)
    assert s.gratitude_count == 1
    # gratitude → integration; repair → skill + integration; 3 check-ins → recognition + processing
    assert s.exercises_per_phase == {
        "pattern_recognition": 3,
        "emotional_processing": 3,
        "skill_development": 1,
        "integration_maintenance": 2,
    }
    assert s.active_days == 4


def test_schedule_is_valid_icalendar_with_reminders():
    plan = _plan(Style.ANXIOUS, last=TODAY - timedelta(days=10))
    cal = Calendar.from_ical(schedule_ics(plan, start=TODAY))
    events = [c for c in cal.walk("VEVENT")]
    daily = [e for e in events if "check-in" in str(e["summary"])]
    assert daily and daily[0]["rrule"]["FREQ"] == ["DAILY"]
    assert all(list(e.walk("VALARM")) for e in events)
    reassess = [e for e in events if "re-assess" in str(e["summary"])]
    assert reassess[0].decoded("dtstart").date() == TODAY + timedelta(days=18)


def test_a_tie_between_relationships_names_none_as_least_secure():
    from datetime import date

    from safebase.core.practice.plan import build_plan
    from safebase.core.styles import Style

    tie = {"Mother": (5.0, 4.0), "Partner": (4.0, 5.0), "Friend": (2.0, 2.0)}
    plan = build_plan(
        style=Style("fearful-avoidant"),
        completions={},
        last_assessed=None,
        today=date(2026, 11, 29),
        relationships=tie,
    )
    assert plan.focus_relationship is None
    assert not any("least secure relationship is with" in n for n in plan.notes)
    assert any("mother, partner" in n for n in plan.notes)
    clear = {**tie, "Partner": (4.0, 4.5)}
    plan = build_plan(
        style=Style("fearful-avoidant"),
        completions={},
        last_assessed=None,
        today=date(2026, 11, 29),
        relationships=clear,
    )
    assert plan.focus_relationship == "Mother"


def test_next_step_is_the_least_practised_exercise_of_the_current_phase():
    from datetime import date

    from safebase.core.practice.plan import build_plan
    from safebase.core.styles import Style

    plan = build_plan(
        style=Style("anxious-preoccupied"),
        completions={},
        last_assessed=None,
        today=date(2026, 1, 1),
    )
    first = plan.next_step()
    assert first is not None and first.completed == 0
    done = {first.exercise.id: 3}
    plan = build_plan(
        style=Style("anxious-preoccupied"),
        completions=done,
        last_assessed=None,
        today=date(2026, 1, 1),
    )
    assert plan.next_step().exercise.id != first.exercise.id


def test_calendar_dtstamp_is_when_the_file_was_made():
    from datetime import UTC, date, datetime

    from icalendar import Calendar

    from safebase.core.practice.plan import build_plan
    from safebase.core.practice.schedule import schedule_ics
    from safebase.core.styles import Style

    plan = build_plan(
        style=Style("secure"),
        completions={},
        last_assessed=date(2026, 11, 1),
        today=date(2026, 11, 29),
    )
    made = datetime(2026, 11, 29, 15, 4, 5, tzinfo=UTC)
    cal = Calendar.from_ical(schedule_ics(plan, start=date(2026, 12, 1), made=made))
    events = list(cal.walk("VEVENT"))
    assert events
    for ev in events:
        assert ev.decoded("dtstamp") == made
        assert ev.decoded("dtstart") != made
