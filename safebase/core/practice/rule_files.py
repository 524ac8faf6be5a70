"""What the safety screen's and the coach's rule files share: strict schemas and fragments.

Both read rules from TOML a reviewer can check (``safety_rules.py``, ``coach_rules.py``); both let
a pattern name a shared piece as ``<<name>>``, defined once in the folder's ``fragments.toml``.
One copy of that expansion and compilation keeps the two readers' errors alike (the file, the
rule, the field) and means a fix reaches both. Each reader keeps its own schema, because the
two kinds of rule carry different fields.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from safebase.core.errors import InstrumentFileError

FRAGMENT_REF = re.compile(r"<<([a-z_]+)>>")
_MAX_DEPTH = 5


class StrictModel(BaseModel):
    """A rule file's schema: unknown fields are an error (a typo must not pass silently)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def duplicate_ids(ids: list[str]) -> list[str]:
    """The ids that occur more than once, sorted (empty when every id is unique)."""
    return sorted({i for i in ids if ids.count(i) > 1})


def expand_fragments(pattern: str, fragments: dict[str, str], where: str, depth: int = 0) -> str:
    """``pattern`` with every ``<<name>>`` replaced by its fragment, recursively (a few levels)."""
    if depth > _MAX_DEPTH:
        raise InstrumentFileError(f"{where}: fragments nest too deeply")

    def one(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in fragments:
            raise InstrumentFileError(f"{where}: unknown fragment <<{name}>>")
        return expand_fragments(fragments[name], fragments, where, depth + 1)

    return FRAGMENT_REF.sub(one, pattern)


def compile_pattern(pattern: str, fragments: dict[str, str], where: str) -> re.Pattern[str]:
    """The expanded pattern, compiled; a bad one fails naming the file and rule (``where``)."""
    try:
        return re.compile(expand_fragments(pattern, fragments, where))
    except re.error as exc:
        raise InstrumentFileError(f"{where}: field 'pattern': not a valid pattern: {exc}") from exc
