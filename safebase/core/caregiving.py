"""Content for parents and caregivers, read from the data files in ``safebase/caregiving``.

The five conditions a child needs, signs of a secure bond per age band, the three steps of an
attuned response, the 'good enough' framing of rupture and repair, and how a caregiver's own
pattern may show up with their child. It is content, not code, so a clinician can read and
correct it without touching Python; every entry names its source (an id of ``sources.toml``) and
where in that article it comes from, and this module refuses a file that does not. Everything
here is reflection, not a measure: nothing is scored against a norm, nothing is a diagnosis.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from statistics import median

from safebase.core.errors import SafebaseError

LABEL = "Reflection, not a measure"
FAMILY_PRACTICE_PREFIX = "family:"  # practices of the family pages rather than the library


class CaregivingContentError(SafebaseError):
    """A content file is missing a field or a source."""


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    site: str
    url: str = ""

    def cite(self, where: str = "") -> str:
        text = f"“{self.title}” ({self.site})"
        return f"{text}, {where}" if where else text


@dataclass(frozen=True)
class Condition:
    id: str
    title: str
    description: str
    how: str
    citation: str
    also: str
    practices: tuple[str, ...]


@dataclass(frozen=True)
class Sign:
    id: str
    text: str
    citation: str


@dataclass(frozen=True)
class AgeBand:
    id: str
    title: str
    youngest: int
    oldest: int
    signs: tuple[Sign, ...]


@dataclass(frozen=True)
class Professional:
    title: str
    points: tuple[str, ...]
    whom: str
    danger: str
    citation: str
    also: str


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    explain: str
    prompt: str


@dataclass(frozen=True)
class Attuned:
    title: str
    intro: str
    citation: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class RepairFraming:
    title: str
    quote: str
    citation: str
    framing: str
    also: str
    max_minutes: int


@dataclass(frozen=True)
class CaregiverPattern:
    id: str
    title: str
    may_show: str
    practices: tuple[str, ...]
    cite: str


@dataclass(frozen=True)
class Patterns:
    basis: str
    citations: tuple[str, ...]
    label: str
    by_pattern: dict[str, CaregiverPattern]


def content_dir() -> Path:
    return Path(str(resources.files("safebase") / "caregiving"))


def _read(name: str) -> dict:
    path = content_dir() / name
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CaregivingContentError(f"{name}: {exc}") from None


def _need(entry: dict, key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CaregivingContentError(f"{where}: '{key}' is missing")
    return " ".join(value.split())


@cache
def sources() -> dict[str, Source]:
    raw = _read("sources.toml")["sources"]
    return {
        sid: Source(sid, _need(s, "title", sid), _need(s, "site", sid), s.get("url", ""))
        for sid, s in raw.items()
    }


def _cite(source_id: str, where: str, context: str) -> str:
    found = sources().get(source_id)
    if found is None:
        raise CaregivingContentError(f"{context}: unknown source '{source_id}'")
    return found.cite(where)


@cache
def five_conditions() -> tuple[Condition, ...]:
    raw = _read("five_conditions.toml")
    out = []
    for c in raw["condition"]:
        cid = _need(c, "id", "condition")
        out.append(
            Condition(
                id=cid,
                title=_need(c, "title", cid),
                description=_need(c, "description", cid),
                how=_need(c, "how", cid),
                citation=_cite(_need(c, "source", cid), _need(c, "where", cid), cid),
                also=c.get("also", ""),
                practices=tuple(c.get("practices", ())),
            )
        )
    return tuple(out)


def condition_ids() -> tuple[str, ...]:
    return tuple(c.id for c in five_conditions())


@cache
def scale() -> tuple[int, int, tuple[str, ...]]:
    """The weekly self-check's answer range and the words for each point."""
    raw = _read("five_conditions.toml")
    low, high, labels = raw["scale_low"], raw["scale_high"], tuple(raw["scale_labels"])
    if len(labels) != high - low + 1:
        raise CaregivingContentError("five_conditions.toml: one label per scale point")
    return low, high, labels


@cache
def signs_intro() -> str:
    return " ".join(_read("signs.toml")["intro"].split())


@cache
def age_bands() -> tuple[AgeBand, ...]:
    raw = _read("signs.toml")
    where = raw["where"]
    bands = []
    for b in raw["band"]:
        bid = _need(b, "id", "band")
        signs = []
        for s in b["sign"]:
            sid = _need(s, "id", bid)
            src = _need(s, "source", sid)
            detail = where.get(src, "")
            if s.get("also"):
                detail = f"{detail}: {s['also']}" if detail else s["also"]
            signs.append(Sign(sid, _need(s, "text", sid), _cite(src, detail, sid)))
        youngest, oldest = b["ages"]
        bands.append(AgeBand(bid, _need(b, "title", bid), youngest, oldest, tuple(signs)))
    return tuple(bands)


def band_for_age(age: int) -> AgeBand:
    """The age band a child of ``age`` whole years falls in (the oldest band past its end)."""
    bands = age_bands()
    for band in bands:
        if band.youngest <= age <= band.oldest:
            return band
    return bands[-1] if age > bands[-1].oldest else bands[0]


def sign_ids(band_id: str) -> tuple[str, ...]:
    for band in age_bands():
        if band.id == band_id:
            return tuple(s.id for s in band.signs)
    raise CaregivingContentError(f"no age band '{band_id}'")


@cache
def professional() -> Professional:
    p = _read("signs.toml")["professional"]
    return Professional(
        title=_need(p, "title", "professional"),
        points=tuple(" ".join(x.split()) for x in p["points"]),
        whom=_need(p, "whom", "professional"),
        danger=_need(p, "danger", "professional"),
        citation=_cite(_need(p, "source", "professional"), _need(p, "where", "professional"), ""),
        also=p.get("also", ""),
    )


@cache
def attuned() -> Attuned:
    raw = _read("attuned.toml")
    steps = tuple(
        Step(
            _need(s, "id", "step"),
            _need(s, "title", "step"),
            _need(s, "explain", "step"),
            _need(s, "prompt", "step"),
        )
        for s in raw["step"]
    )
    return Attuned(
        title=_need(raw, "title", "attuned"),
        intro=_need(raw, "intro", "attuned"),
        citation=_cite(_need(raw, "source", "attuned"), _need(raw, "where", "attuned"), "attuned"),
        steps=steps,
    )


@cache
def repair_framing() -> RepairFraming:
    raw = _read("repair.toml")
    return RepairFraming(
        title=_need(raw, "title", "repair"),
        quote=_need(raw, "quote", "repair"),
        citation=_cite(_need(raw, "source", "repair"), _need(raw, "where", "repair"), "repair"),
        framing=_need(raw, "framing", "repair"),
        also=_cite(_need(raw, "also_source", "repair"), _need(raw, "also_where", "repair"), ""),
        max_minutes=int(raw["max_minutes"]),
    )


@cache
def caregiver_patterns() -> Patterns:
    raw = _read("patterns.toml")
    by_pattern = {
        pid: CaregiverPattern(
            pid,
            _need(p, "title", pid),
            _need(p, "may_show", pid),
            tuple(p["practices"]),
            p.get("cite", ""),
        )
        for pid, p in raw["pattern"].items()
    }
    return Patterns(
        basis=_need(raw, "basis", "patterns"),
        citations=tuple(_cite(s["source"], s["where"], "patterns") for s in raw["sources"]),
        label=_need(raw, "label", "patterns"),
        by_pattern=by_pattern,
    )


def all_practice_ids() -> set[str]:
    """Every practice id the content links to (library ids and ``family:`` pages)."""
    ids = {p for c in five_conditions() for p in c.practices}
    ids |= {p for pat in caregiver_patterns().by_pattern.values() for p in pat.practices}
    return ids


@dataclass(frozen=True)
class MonthOfRepairs:
    """Repairs made in one calendar month: how many, and the median time to reconnect."""

    month: date
    count: int
    median_minutes: float


def repairs_by_month(rows: Iterable[tuple[date, int]]) -> list[MonthOfRepairs]:
    """Group (day, minutes to repair) by calendar month, newest month first. The median, not
    the mean, so one long estrangement does not hide many quick repairs."""
    by_month: dict[date, list[int]] = {}
    for day, minutes in rows:
        by_month.setdefault(day.replace(day=1), []).append(minutes)
    return [
        MonthOfRepairs(month, len(values), float(median(values)))
        for month, values in sorted(by_month.items(), reverse=True)
    ]
