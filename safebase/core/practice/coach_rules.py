"""The I-statement coach's rules, read from data files a reader can review.

Why data and not code: every flag the coach raises comes from one of these rules, and a
clinician or reviewer should be able to read each one, with the hint the person sees and
sentences it must and must not flag, without reading Python. It follows the safety screen's
rule files (``safety_rules.py``): each kind of flag has one TOML file in ``coach_rules/`` and
``fragments.toml`` holds pattern pieces several rules share, inserted where a pattern says
``<<name>>``. Files are schema-checked with pydantic on load (a malformed file fails naming the
file and the field) and ``tests/core/test_coach_rules.py`` checks every example.

What stays in code (``coach_flags.py``): the checks a rule's ``check`` names (praise, a
complaint in the sentence, a question, a softener, ...), misspelt insults, warmth that follows a
tease, rewrites and where the learned model may speak.

Order: rules are read kind by kind (``KINDS`` order, the tone kind has no file: it is the learned
model's) and in file order within a kind. Only the order within a kind can change what the coach
says: a flag is keyed by its kind and span, so when two rules of one kind match the same words
the first one's hint is shown.

Two additions to the safety files' format, to keep long patterns reviewable: a rule's
``pattern`` may be a list of alternatives, joined with ``|``; a fragment may be a list of
alternatives, read as one group ``(?:a|b|c)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Final, Literal, get_args

from pydantic import Field, field_validator

from safebase.core.datafile import load_toml_model
from safebase.core.errors import InstrumentFileError
from safebase.core.practice.rule_files import (
    StrictModel,
    compile_pattern,
    duplicate_ids,
    expand_fragments,
)

# Every kind a rule can flag, as its file is named. Order is priority: it sorts flags that start
# at the same place and picks which flag the rewrite speaks to.
Kind = Literal[
    "threat",
    "command",
    "absolute",
    "you_make_me",
    "blame",
    "mind_reading",
    "character_attack",
    "name_calling",
    "contempt",
    "defensiveness",
    "stonewalling",
    "disguised_you",
]
RULE_KINDS: Final[tuple[str, ...]] = get_args(Kind)
# And "tone", the learned model's flag (coach_model.py), last.
KINDS: Final[tuple[str, ...]] = (*RULE_KINDS, "tone")
# What a match must pass before it stands (``_accept`` in coach_flags.py):
#   ""                nothing more
#   "polarity"        not praise ("you always make me laugh", "you never judge me")
#   "complaint"       the sentence carries a complaint word ("every time you …" + late, yell, …)
#   "statement"       not a question, and "you" is in the sentence
#   "command"         not a question and no softener ("please", "could you", "take your time")
#   "label"           the label is not denied ("you're not lazy", "the least selfish")
#   "urgent"          like "command", and the message presses for it now ("Right now.")
#   "after_complaint" the message carries a complaint ("Great job." after one is sarcasm)
#   "not_sincere"     the message carries no sincere thanks, pride or love
#   "terse"           two or more one-word answers in the message ("Yep. Ok. Noted.")
#   "stonewall"       no time-out with a return ("after dinner") and not a scoped refusal
Check = Literal[
    "",
    "polarity",
    "complaint",
    "statement",
    "command",
    "label",
    "urgent",
    "after_complaint",
    "not_sincere",
    "terse",
    "stonewall",
]


class RuleSpec(StrictModel):
    id: str = Field(pattern=r"^[a-z_]+\.[a-z_]+$")
    pattern: str | list[str] = Field(min_length=1)
    why: str = Field(min_length=10)
    check: Check = ""
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


class FragmentFile(StrictModel):
    id: Literal["fragments"]
    fragments: dict[str, str | list[str]]


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    pattern: re.Pattern[str]
    why: str
    check: str
    must_match: tuple[str, ...]
    must_not_match: tuple[str, ...]


@dataclass(frozen=True)
class CoachRules:
    rules: tuple[Rule, ...]
    fragments: dict[str, str]  # expanded: what each <<name>> stands for


def rules_dir() -> Path:
    return Path(str(resources.files("safebase.core.practice") / "coach_rules"))


def _joined(value: str | list[str], group: bool) -> str:
    if isinstance(value, str):
        return value
    return "(?:" + "|".join(value) + ")" if group else "|".join(value)


def load_rules(directory: Path | None = None) -> CoachRules:
    """Every rule (``RULE_KINDS`` order, file order within a kind) and the expanded fragments."""
    directory = directory or rules_dir()
    fragments_path = directory / "fragments.toml"
    raw = {
        name: _joined(value, group=True)
        for name, value in load_toml_model(fragments_path, FragmentFile).fragments.items()
    }
    expanded = {
        name: expand_fragments(value, raw, f"{fragments_path.name}: fragment '{name}'")
        for name, value in raw.items()
    }
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for kind in RULE_KINDS:
        path = directory / f"{kind}.toml"
        spec = load_toml_model(path, RuleFile)
        if spec.kind != kind:
            raise InstrumentFileError(f"{path.name}: field 'kind': '{spec.kind}' must be '{kind}'")
        for r in spec.rule:
            if not r.id.startswith(f"{kind}."):
                raise InstrumentFileError(f"{path.name}: rule '{r.id}' must start with '{kind}.'")
            if r.id in seen:
                raise InstrumentFileError(f"{path.name}: rule '{r.id}' is also in {seen[r.id]}")
            seen[r.id] = path.name
            rules.append(
                Rule(
                    r.id,
                    kind,
                    compile_pattern(
                        _joined(r.pattern, group=False), raw, f"{path.name}: rule '{r.id}'"
                    ),
                    r.why,
                    r.check,
                    tuple(r.must_match),
                    tuple(r.must_not_match),
                )
            )
    return CoachRules(tuple(rules), expanded)


@cache
def shipped_rules() -> CoachRules:
    return load_rules()
