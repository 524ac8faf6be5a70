"""A personal plan of practice, built from the latest profile and moved on by practice.

The plan walks the four overlapping phases of earned security — pattern recognition, emotional
processing, skill development, integration and maintenance — with the exercises that fit the
person's pattern, each with the reason it is there. It advances as exercises are completed (a
phase counts as done after ``PHASE_TARGET`` completed records among its exercises) and suggests
re-assessment at a fixed interval (default 4 weeks), when the reliable change index is shown.
The targets are practice conventions, not clinical thresholds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from safebase.core.practice.exercises import (
    PHASE_TITLES,
    PHASES,
    Exercise,
    Pattern,
    all_exercises,
)
from safebase.core.styles import Style

PHASE_TARGET = 5
REASSESS_EVERY = timedelta(weeks=4)

PATTERN_OF_STYLE: dict[Style, Pattern] = {
    Style.SECURE: "secure",
    Style.ANXIOUS: "anxious",
    Style.AVOIDANT: "avoidant",
    Style.FEARFUL: "fearful",
}

FOCUS = {
    "anxious": "Self-soothing before reaching out, direct requests instead of protest, checking "
    "catastrophic beliefs such as 'people always leave', and tolerating distance.",
    "avoidant": "Naming feelings, graduated vulnerability, asking for and accepting support, and "
    "staying present in conflict.",
    "fearful": "Grounding and safety first, then small trust experiments — alongside an "
    "attachment-informed therapist.",
    "secure": "Maintenance: rituals of connection, repair, and supporting others' security.",
}
THERAPIST_RECOMMENDATION = (
    "We recommend working with an attachment-informed therapist: fearful-avoidant patterns often "
    "carry old hurt, and a safe relationship with a professional is one of the surest routes to "
    "earned security."
)


@dataclass(frozen=True)
class PlannedExercise:
    exercise: Exercise
    why: str
    completed: int


@dataclass(frozen=True)
class PlanPhase:
    id: str
    title: str
    exercises: tuple[PlannedExercise, ...]
    completed: int
    target: int

    @property
    def progress(self) -> float:
        return min(1.0, self.completed / self.target) if self.target else 1.0

    @property
    def done(self) -> bool:
        return self.completed >= self.target


@dataclass(frozen=True)
class Plan:
    pattern: Pattern
    focus: str
    phases: tuple[PlanPhase, ...]
    current_phase: str
    recommendation: str | None
    focus_relationship: str | None
    reassess_due: date | None
    reassess_now: bool
    notes: tuple[str, ...] = field(default=())

    def next_step(self) -> PlannedExercise | None:
        """Today's suggestion: in the current phase, the exercise done least often so far (the
        first such in the phase's order)."""
        exercises = self.phase(self.current_phase).exercises
        return min(exercises, key=lambda e: e.completed) if exercises else None

    def phase(self, phase_id: str) -> PlanPhase:
        return next(p for p in self.phases if p.id == phase_id)

    @property
    def next_exercises(self) -> tuple[PlannedExercise, ...]:
        """The current phase's exercises, least practised first."""
        current = self.phase(self.current_phase).exercises
        return tuple(sorted(current, key=lambda p: (p.completed, p.exercise.minutes)))


def build_plan(
    *,
    style: Style,
    completions: Mapping[str, int],
    last_assessed: date | None,
    today: date,
    relationships: Mapping[str, tuple[float | None, float | None]] | None = None,
    reassess_every: timedelta = REASSESS_EVERY,
) -> Plan:
    """``completions``: exercise id → every record of that exercise the person has ever made.
    ``relationships``: label → (anxiety, avoidance), e.g. from the ECR-RS."""
    pattern = PATTERN_OF_STYLE[style]
    chosen = [ex for ex in all_exercises().values() if pattern in ex.patterns]
    phases = []
    for phase_id in PHASES:
        planned = tuple(
            PlannedExercise(ex, ex.why[pattern], completions.get(ex.id, 0))
            for ex in chosen
            if phase_id in ex.phases
        )
        # A record of an exercise that serves two phases counts towards both.
        done = sum(p.completed for p in planned)
        phases.append(PlanPhase(phase_id, PHASE_TITLES[phase_id], planned, done, PHASE_TARGET))
    current = next((p.id for p in phases if not p.done), PHASES[-1])
    due = last_assessed + reassess_every if last_assessed else None
    focus_rel, notes = None, []
    if relationships:
        scored = {k: v for k, v in relationships.items() if None not in v}
        if scored:
            # The least secure relationship: the largest sum of anxiety and avoidance. Named only
            # when one relationship stands out; a tie names none.
            totals = {k: sum(x for x in v if x is not None) for k, v in scored.items()}
            top = max(totals.values())
            leaders = [k for k, t in totals.items() if abs(t - top) < 1e-9]
            if len(leaders) == 1:
                focus_rel = leaders[0]
                notes.append(
                    f"Your answers suggest the least secure relationship is with your "
                    f"{focus_rel.lower()}: try the practices there first."
                )
            elif len(leaders) < len(totals):
                names = ", ".join(k.lower() for k in leaders)
                notes.append(
                    f"Your answers are equally insecure with your {names}: the practices "
                    "apply to each of them."
                )
    return Plan(
        pattern=pattern,
        focus=FOCUS[pattern],
        phases=tuple(phases),
        current_phase=current,
        recommendation=THERAPIST_RECOMMENDATION if pattern == "fearful" else None,
        focus_relationship=focus_rel,
        reassess_due=due,
        reassess_now=due is not None and today >= due,
        notes=tuple(notes),
    )
