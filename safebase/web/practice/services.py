"""Practice writes and reads as named functions over the pure core.

Free text is screened for risk as it is saved (``core.practice.safety``): the entry is always
kept, and the caller shows crisis resources when the screen says so. Nothing of the text is
logged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from safebase.core.change import change_summary
from safebase.core.errors import SafebaseError
from safebase.core.instrument import all_instruments, get_instrument
from safebase.core.practice import safety
from safebase.core.practice.emotions import NEEDS, family_of
from safebase.core.practice.exercises import Exercise, get_exercise
from safebase.core.practice.plan import Plan, build_plan
from safebase.core.practice.progress import (
    CheckInEvent,
    ExerciseEvent,
    WeeklySummary,
    longest_streak,
    streak,
    weekly_summary,
)
from safebase.core.styles import Style
from safebase.web import access
from safebase.web.assessments import services as assessments
from safebase.web.assessments.models import Assessment
from safebase.web.practice.models import (
    CheckIn,
    ExerciseRecord,
    JournalEntry,
    PlanBasis,
    TriggerLog,
)

MAX_TEXT = 20_000


@dataclass(frozen=True)
class Saved:
    """What was saved, and the safety screen's verdict on its free text."""

    obj: object
    screen: safety.SafetyResult

    @property
    def show_resources(self) -> bool:
        return self.screen.risk

    @property
    def gentle(self) -> bool:
        """Word the offer of help softly: only the classifier, not a rule, flagged the text."""
        return self.screen.only_by_classifier


def crisis_resources(category: str | None = None) -> list:
    return safety.crisis_resources(
        local_number=getattr(settings, "SAFEBASE_CRISIS_NUMBER", None) or None,
        local_label=getattr(settings, "SAFEBASE_CRISIS_LABEL", None) or None,
        category=category,
    )


def _screen(*texts: str) -> safety.SafetyResult:
    return safety.screen_text("\n".join(t for t in texts if t))


def _text(value: object, name: str, required: bool = False) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise SafebaseError(f"{name}: please write something")
    if len(text) > MAX_TEXT:
        raise SafebaseError(f"{name}: at most {MAX_TEXT:,} characters")
    return text


@transaction.atomic
def record_checkin(*, owner, emotion: str, intensity: int, need: str, note: str = "") -> Saved:
    family = family_of(emotion)
    if family is None:
        raise SafebaseError(f"emotion: '{emotion}' is not in the emotion vocabulary")
    if not isinstance(intensity, int) or not 0 <= intensity <= 10:
        raise SafebaseError(f"intensity: {intensity!r} is not a whole number 0-10")
    if need not in NEEDS:
        raise SafebaseError(f"need: '{need}' is not one of {', '.join(NEEDS)}")
    note = _text(note, "note")
    obj = CheckIn.objects.create(
        owner=owner,
        emotion=emotion.strip().lower(),
        family=family,
        intensity=intensity,
        need=need,
        note=note,
    )
    return Saved(obj, _screen(note))


@transaction.atomic
def add_journal_entry(*, owner, body: str) -> Saved:
    body = _text(body, "entry", required=True)
    return Saved(JournalEntry.objects.create(owner=owner, body=body), _screen(body))


@transaction.atomic
def log_trigger(
    *, owner, situation: str, pattern: str, what_i_did: str = "", repair: str = ""
) -> Saved:
    if pattern not in TriggerLog.Pattern.values:
        raise SafebaseError(
            f"pattern: '{pattern}' is not one of {', '.join(TriggerLog.Pattern.values)}"
        )
    situation = _text(situation, "situation", required=True)
    what_i_did, repair = _text(what_i_did, "what I did"), _text(repair, "repair")
    obj = TriggerLog.objects.create(
        owner=owner, situation=situation, pattern=pattern, what_i_did=what_i_did, repair=repair
    )
    return Saved(obj, _screen(situation, what_i_did, repair))


def clean_exercise_data(exercise: Exercise, data: Mapping[str, object]) -> dict[str, object]:
    """Validate a record against the exercise's fields; errors name the field."""
    unknown = set(data) - set(exercise.fields)
    if unknown:
        raise SafebaseError(f"{exercise.id}: unknown field(s) {sorted(unknown)}")
    clean: dict[str, object] = {}
    for name, spec in exercise.fields.items():
        raw = data.get(name)
        if raw in (None, ""):
            continue
        if spec.type == "scale":
            try:
                value = int(str(raw))
            except ValueError:
                raise SafebaseError(f"{spec.label}: '{raw}' is not a whole number") from None
            if not (spec.min or 0) <= value <= (spec.max or 10):
                raise SafebaseError(f"{spec.label}: {value} is outside {spec.min}-{spec.max}")
            clean[name] = value
        elif spec.type == "choice":
            if raw not in spec.choices:
                raise SafebaseError(f"{spec.label}: '{raw}' is not one of {spec.choices}")
            clean[name] = raw
        else:
            clean[name] = _text(raw, spec.label)
    if not clean:
        raise SafebaseError(f"{exercise.title}: fill in at least one field")
    return clean


@transaction.atomic
def record_exercise(*, owner, exercise_id: str, data: Mapping[str, object]) -> Saved:
    exercise = get_exercise(exercise_id)
    if exercise.kind == "checkin":
        raise SafebaseError("use a check-in to record the emotion check-in")
    clean = clean_exercise_data(exercise, data)
    obj = ExerciseRecord.objects.create(owner=owner, exercise_id=exercise.id, data=clean)
    texts = [v for v in clean.values() if isinstance(v, str)]
    return Saved(obj, _screen(*texts))


def completions(owner) -> dict[str, int]:
    counts: dict[str, int] = {}
    for ex_id in access.own(owner, ExerciseRecord).values_list("exercise_id", flat=True):
        counts[ex_id] = counts.get(ex_id, 0) + 1
    counts["emotion-check-in"] = access.own(owner, CheckIn).count()
    return counts


def dimensional_instrument_ids() -> list[str]:
    """Instruments that measure attachment anxiety and avoidance themselves (ECR-R, ECR, ECR-S,
    ECR-RS): the RQ's model-of-self and model-of-others scores and reflections are not."""
    return [
        inst.id
        for inst in all_instruments().values()
        if inst.is_validated and inst.profile is not None and not inst.profile.positive_is_secure
    ]


def dimensional_results(owner):
    """The person's finished dimensional results with a pattern, newest first."""
    return (
        access.own(owner, Assessment)
        .filter(status=Assessment.Status.COMPLETE, instrument_id__in=dimensional_instrument_ids())
        .exclude(style="")
        .order_by("-completed_at", "-id")
    )


def plan_basis(owner) -> Assessment | None:
    """The result the plan follows: the one the person chose, else the latest dimensional one."""
    chosen = PlanBasis.objects.filter(owner=owner).select_related("assessment").first()
    if chosen is not None and dimensional_results(owner).filter(pk=chosen.assessment_id).exists():
        return chosen.assessment
    return dimensional_results(owner).first()


@transaction.atomic
def choose_plan_basis(*, owner, assessment_id: int | None) -> None:
    """Base the plan on one of the person's dimensional results; None follows the latest."""
    if assessment_id is None:
        PlanBasis.objects.filter(owner=owner).delete()
        return
    result = dimensional_results(owner).filter(pk=assessment_id).first()
    if result is None:
        raise SafebaseError("Choose one of your finished anxiety-and-avoidance results.")
    PlanBasis.objects.update_or_create(owner=owner, defaults={"assessment": result})


def current_plan(owner, today: date | None = None) -> Plan | None:
    latest = plan_basis(owner)
    if latest is None:
        return None
    today = today or timezone.localdate()
    relationships = None
    rs = (
        access.own(owner, Assessment)
        .filter(status="complete", instrument_id="ecr-rs")
        .order_by("-completed_at")
        .first()
    )
    if rs is not None:
        inst = get_instrument("ecr-rs")
        relationships = {
            t.label: (rs.scores.get(f"{t.id}_anxiety"), rs.scores.get(f"{t.id}_avoidance"))
            for t in inst.spec.targets
        }
    return build_plan(
        style=Style(latest.style),
        completions=completions(owner),
        last_assessed=timezone.localdate(latest.completed_at),
        today=today,
        relationships=relationships,
    )


def _day(dt) -> date:
    return timezone.localdate(dt)


def practice_days(owner) -> list[date]:
    days = [_day(d) for d in access.own(owner, CheckIn).values_list("created_at", flat=True)]
    days += [_day(d) for d in access.own(owner, JournalEntry).values_list("created_at", flat=True)]
    days += [
        _day(d) for d in access.own(owner, ExerciseRecord).values_list("created_at", flat=True)
    ]
    return days


def streaks(owner, today: date | None = None) -> tuple[int, int]:
    days = practice_days(owner)
    return streak(days, today or timezone.localdate()), longest_streak(days)


def summary_for_week(owner, week_start: date) -> WeeklySummary:
    end = week_start + timedelta(days=7)
    checkins = [
        CheckInEvent(_day(c.created_at), c.emotion, c.intensity)
        for c in access.own(owner, CheckIn).only("created_at", "emotion", "intensity")
        if week_start <= _day(c.created_at) < end
    ]
    exercises = [
        ExerciseEvent(_day(at), ex_id)
        for ex_id, at in access.own(owner, ExerciseRecord).values_list("exercise_id", "created_at")
    ]
    journal = [
        _day(d) for d in access.own(owner, JournalEntry).values_list("created_at", flat=True)
    ]
    return weekly_summary(week_start, checkins, exercises, journal)


@dataclass(frozen=True)
class Day:
    """One day of a week as the progress and home pages draw it."""

    day: date
    is_today: bool
    practised: bool
    feelings: tuple[str, ...]  # one family name per check-in, in order of families


def week_days(owner, week_start: date, today: date, summary: WeeklySummary | None = None) -> list:
    summary = summary or summary_for_week(owner, week_start)
    practised = set(practice_days(owner))
    days = []
    for i in range(7):
        d = week_start + timedelta(days=i)
        counts = summary.families_by_day.get(d, {})
        feelings = tuple(fam for fam in sorted(counts) for _ in range(counts[fam]))
        days.append(Day(d, d == today, d in practised, feelings))
    return days


def change_since_previous(owner) -> tuple[Assessment, Assessment, list[str]] | None:
    """The plan's result against the person's previous result of the same questionnaire: one
    line per scale with the reliable-change verdict, or exactly what is missing for one."""
    basis = plan_basis(owner)
    if basis is None:
        return None
    previous = (
        access.own(owner, Assessment)
        .filter(
            status=Assessment.Status.COMPLETE,
            instrument_id=basis.instrument_id,
            completed_at__lt=basis.completed_at,
        )
        .order_by("-completed_at")
        .first()
    )
    if previous is None:
        return None
    inst = basis.instrument
    lines = change_summary(
        inst, previous.scored(), basis.scored(), assessments.reference_for(owner, inst)
    )
    return previous, basis, lines
