"""The safety screen's rules, read from data files a clinician can review.

Each kind of risk has one TOML file in ``safety_rules/`` (like the questionnaires in
``safebase/instruments``): every rule has an id, a pattern, whether a negation before it cancels
it, and whole entries it must and must not flag; ``lookalikes.toml`` lists the idioms and
look-alikes blanked out before the rules read a sentence; ``fragments.toml`` holds pattern
pieces several rules share. Files are schema-checked with pydantic on load (a malformed file
fails naming the file and the field) and ``tests/core/test_safety_rules.py`` checks every
example against the screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from safebase.core.datafile import load_toml_model
from safebase.core.errors import InstrumentFileError
from safebase.core.practice.rule_files import (
    StrictModel,
    compile_pattern,
    duplicate_ids,
)

# Order is priority: the first kind found chooses the wording the person sees (see safety.py).
CATEGORIES: tuple[str, ...] = (
    "suicide",
    "child_at_risk",
    "abuse_danger",
    "harm_to_others",
    "self_harm",
)
Kind = Literal["suicide", "child_at_risk", "abuse_danger", "harm_to_others", "self_harm"]


class RuleSpec(StrictModel):
    id: str = Field(pattern=r"^[a-z_]+\.[a-z_]+$")
    pattern: str = Field(min_length=3)
    negatable: bool = True
    inner: bool = False
    note: str = ""
    must_match: list[str] = Field(min_length=1)
    must_not_match: list[str] = Field(min_length=1)


class RuleFile(StrictModel):
    id: str
    kind: Kind
    title: str
    rule: list[RuleSpec] = Field(min_length=1)

    @field_validator("rule")
    @classmethod
    def _ids_unique(cls, rules: list[RuleSpec]) -> list[RuleSpec]:
        if dupes := duplicate_ids([r.id for r in rules]):
            raise ValueError(f"duplicate rule ids: {dupes}")
        return rules


class MaskSpec(StrictModel):
    id: str = Field(pattern=r"^[a-z_]+\.[a-z_]+$")
    pattern: str = Field(min_length=3)
    must_match: list[str] = Field(min_length=1)
    must_not_match: list[str] = Field(min_length=1)


class MaskFile(StrictModel):
    id: Literal["lookalikes"]
    mask: list[MaskSpec] = Field(min_length=1)


class FragmentFile(StrictModel):
    id: Literal["fragments"]
    fragments: dict[str, str]


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    pattern: re.Pattern[str]
    negatable: bool
    inner: bool
    must_match: tuple[str, ...]
    must_not_match: tuple[str, ...]


@dataclass(frozen=True)
class Mask:
    id: str
    pattern: re.Pattern[str]
    must_match: tuple[str, ...]
    must_not_match: tuple[str, ...]


def rules_dir() -> Path:
    return Path(str(resources.files("safebase.core.practice") / "safety_rules"))


def load_rules(
    directory: Path | None = None,
) -> tuple[tuple[Rule, ...], tuple[Mask, ...]]:
    """All rules (in ``CATEGORIES`` order, file order within a kind) and all look-alike masks."""
    directory = directory or rules_dir()
    fragments = load_toml_model(directory / "fragments.toml", FragmentFile).fragments
    rules: list[Rule] = []
    for kind in CATEGORIES:
        path = directory / f"{kind}.toml"
        spec = load_toml_model(path, RuleFile)
        for r in spec.rule:
            if not r.id.startswith(f"{kind}."):
                raise InstrumentFileError(f"{path.name}: rule '{r.id}' must start with '{kind}.'")
            rules.append(
                Rule(
                    r.id,
                    kind,
                    compile_pattern(r.pattern, fragments, f"{path.name}: rule '{r.id}'"),
                    r.negatable,
                    r.inner,
                    tuple(r.must_match),
                    tuple(r.must_not_match),
                )
            )
    masks_path = directory / "lookalikes.toml"
    masks = tuple(
        Mask(
            m.id,
            compile_pattern(m.pattern, fragments, f"{masks_path.name}: mask '{m.id}'"),
            tuple(m.must_match),
            tuple(m.must_not_match),
        )
        for m in load_toml_model(masks_path, MaskFile).mask
    )
    return tuple(rules), masks


@cache
def shipped_rules() -> tuple[tuple[Rule, ...], tuple[Mask, ...]]:
    return load_rules()
