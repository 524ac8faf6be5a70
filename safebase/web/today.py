"""What the home page shows a signed-in person: today at a glance.

It gathers from the bounded contexts (assessments, practice) and is imported by none of them.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from safebase.core.instrument import get_instrument
from safebase.core.practice.emotions import EMOTION_FAMILIES, NEEDS
from safebase.core.profile import build_profile
from safebase.web import access, charts
from safebase.web.assessments import services as assessments
from safebase.web.assessments.models import Assessment
from safebase.web.assessments.views import stored_chart
from safebase.web.practice import services as practice
from safebase.web.practice.models import CheckIn, ExerciseRecord, JournalEntry

FIRST_LINE_CHARS = 80


def _mini_chart(result: Assessment) -> str:
    """The small plane of the latest result, kept with it like its other charts."""
    inst = get_instrument(result.instrument_id)
    return stored_chart(
        result, "mini", lambda: charts.mini_plane(inst, build_profile(inst, result.scored()))
    )


def _dimensions(result: Assessment) -> list:
    inst = get_instrument(result.instrument_id)
    profile = build_profile(inst, result.scored())
    return [profile.anxiety, profile.avoidance]


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= FIRST_LINE_CHARS else line[: FIRST_LINE_CHARS - 1].rstrip() + "…"


def is_first_visit(user) -> bool:
    """Nothing started or recorded yet: the home page welcomes instead of summarising."""
    return not (
        access.own(user, Assessment).exists()
        or access.own(user, CheckIn).exists()
        or access.own(user, JournalEntry).exists()
        or access.own(user, ExerciseRecord).exists()
    )


def today_context(user) -> dict:
    if is_first_visit(user):
        return {
            "first_visit": True,
            "quick": get_instrument("ecr-s"),
            "full": get_instrument("ecr-r"),
        }
    today = timezone.localdate()
    week_start = today - timedelta(days=today.weekday())
    plan = practice.current_plan(user, today)
    latest = practice.dimensional_results(user).first()
    streak, best = practice.streaks(user, today)
    week = practice.week_days(user, week_start, today)
    journal = access.own(user, JournalEntry).first()
    return {
        "first_visit": False,
        "families": EMOTION_FAMILIES,
        "needs": NEEDS,
        "plan": plan,
        "next_step": plan.next_step() if plan else None,
        "streak": streak,
        "best_streak": best,
        "week": week,
        "practised_this_week": sum(1 for d in week if d.practised),
        "latest": latest,
        "latest_chart": _mini_chart(latest) if latest is not None else None,
        "latest_dims": _dimensions(latest) if latest is not None else [],
        "journal_line": _first_line(journal.body) if journal else None,
        "journal_date": journal.created_at if journal else None,
        "in_progress": assessments.in_progress_for(user),
    }
