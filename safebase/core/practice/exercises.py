"""The exercise library: one TOML file per exercise in ``safebase/exercises/``, checked on load.

Like the instruments, exercises are data: adding one means adding a file. Each says which phases
of earned security and which steps of the guide it serves, which patterns it is for and *why*,
its steps in safebase's own words, the seed idea it comes from, and what is recorded. None of
them is a measure: what they record is reflection, not a score.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from safebase.core.datafile import load_toml_model
from safebase.core.errors import SafebaseError

Phase = Literal[
    "pattern_recognition", "emotional_processing", "skill_development", "integration_maintenance"
]
PHASES: tuple[Phase, ...] = (
    "pattern_recognition",
    "emotional_processing",
    "skill_development",
    "integration_maintenance",
)
PHASE_TITLES = {
    "pattern_recognition": "Pattern recognition",
    "emotional_processing": "Emotional processing",
    "skill_development": "Skill development",
    "integration_maintenance": "Integration and maintenance",
}
GuideStep = Literal[
    "assess",
    "attuned_communication",
    "emotional_safety_trust",
    "autonomy_exploration",
    "co_regulation",
    "support_professional_help",
]
GUIDE_STEP_TITLES = {
    "assess": "1. Assess your attachment",
    "attuned_communication": "2. Attuned communication",
    "emotional_safety_trust": "3. Emotional safety and trust",
    "autonomy_exploration": "4. Autonomy and exploration",
    "co_regulation": "5. Co-regulation",
    "support_professional_help": "6. Support and professional help",
}
Pattern = Literal["anxious", "avoidant", "fearful", "secure"]
Kind = Literal[
    "checkin",
    "istatement",
    "repair",
    "thought_record",
    "timer",
    "steps",
    "gratitude",
    "narrative",
    "ladder",
]


class Field_(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    label: str
    type: Literal["text", "longtext", "scale", "choice"]
    min: int | None = None
    max: int | None = None
    choices: list[str] = Field(default_factory=list)


class Exercise(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    schema_version: Literal[1]
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    title: str
    kind: Kind
    phases: list[Phase] = Field(min_length=1)
    guide_steps: list[GuideStep] = Field(min_length=1)
    patterns: list[Pattern] = Field(min_length=1)
    minutes: int = Field(gt=0)
    timer_minutes: int | None = None
    summary: str
    seed_idea: str
    steps: list[str] = Field(min_length=1)
    records: list[str] = Field(min_length=1)
    fields: dict[str, Field_] = Field(default_factory=dict)
    why: dict[Pattern, str]

    @model_validator(mode="after")
    def _consistent(self) -> Exercise:
        missing = [p for p in self.patterns if p not in self.why]
        if missing:
            raise ValueError(f"why: no reason given for pattern(s) {missing}")
        if self.kind != "checkin" and set(self.records) != set(self.fields):
            raise ValueError("fields: must define exactly the names listed in 'records'")
        return self

    @property
    def label(self) -> str:
        return "Reflection, not a measure"


def exercises_dir() -> Path:
    return Path(str(resources.files("safebase") / "exercises"))


def load_exercise_file(path: Path) -> Exercise:
    return load_toml_model(path, Exercise)


@cache
def all_exercises() -> dict[str, Exercise]:
    return {ex.id: ex for ex in map(load_exercise_file, sorted(exercises_dir().glob("*.toml")))}


def get_exercise(exercise_id: str) -> Exercise:
    try:
        return all_exercises()[exercise_id]
    except KeyError:
        raise SafebaseError(
            f"unknown exercise '{exercise_id}'; known: {', '.join(sorted(all_exercises()))}"
        ) from None
