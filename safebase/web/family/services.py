"""Family writes and reads as named functions: the web pages and (later) the CLI call these.

Bad input raises ``FamilyInputError`` — a ``ValueError`` (and a ``SafebaseError``) whose message is
one line a person can act on. Every free-text field is read by the safety screen as it is saved
(the entry is always kept; the caller shows crisis resources, worded for the kind found — a
child at risk gets child-protection lines). Who may see a child is the access policy's caregiver
rule; each caregiver's observations are their own (``access.own``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from safebase.core import caregiving
from safebase.core.errors import SafebaseError
from safebase.core.practice import safety
from safebase.core.practice.plan import PATTERN_OF_STYLE
from safebase.core.styles import Style
from safebase.web import access
from safebase.web.family.models import (
    MAX_NAME,
    AttunedMoment,
    Child,
    FiveConditionsCheck,
    RuptureRepair,
    SignsObservation,
)
from safebase.web.practice import services as practice
from safebase.web.practice.services import MAX_TEXT, Saved
from safebase.web.relationships.services import partner_of

EARLIEST_BIRTH_YEAR = 1900


class FamilyInputError(SafebaseError, ValueError):
    """Input a person can fix; the message is one line."""


def _screen(*texts: str) -> safety.SafetyResult:
    return safety.screen_text("\n".join(t for t in texts if t))


def _text(value: object, name: str, *, required: bool = False) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise FamilyInputError(f"{name}: please write a few words")
    if len(text) > MAX_TEXT:
        raise FamilyInputError(f"{name}: at most {MAX_TEXT:,} characters")
    return text


def _whole_number(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FamilyInputError(f"{name}: {value!r} is not a whole number")
    return value


def clean_name(name: object) -> str:
    text = "" if name is None else " ".join(str(name).split())
    if not text:
        raise FamilyInputError("name: give a first name or a nickname")
    if len(text) > MAX_NAME:
        raise FamilyInputError(f"name: at most {MAX_NAME} characters (a first name or nickname)")
    if any(not ch.isprintable() for ch in text):
        raise FamilyInputError("name: letters, spaces and punctuation only")
    return text


def clean_birth_year(born: object, today: date | None = None) -> int:
    year = _whole_number(born, "birth year")
    this_year = (today or timezone.localdate()).year
    if not EARLIEST_BIRTH_YEAR <= year <= this_year:
        raise FamilyInputError(f"birth year: {year} is outside {EARLIEST_BIRTH_YEAR}..{this_year}")
    return year


# --- children ---------------------------------------------------------------------------------


def children_of(caregiver) -> list[Child]:
    """The children the person cares for (the access policy's caregiver rule)."""
    return list(access.scope(caregiver, Child).distinct())


def _check_caregiver(caregiver, child: Child) -> Child:
    if not isinstance(child, Child) or not access.scope(caregiver, Child).filter(pk=child.pk):
        raise FamilyInputError("child: not one of the children you care for")
    return child


def find_child(caregiver, name: str) -> Child:
    """The child of this caregiver with this name (names are encrypted, so compared here)."""
    wanted = " ".join(str(name).split()).casefold()
    found = [c for c in children_of(caregiver) if c.name.casefold() == wanted]
    if not found:
        raise FamilyInputError(f"child: no child called '{name}' in your care")
    if len(found) > 1:
        raise FamilyInputError(f"child: more than one child called '{name}'; use the web page")
    return found[0]


@transaction.atomic
def add_child(caregiver, name: str, born: int) -> Child:
    """Add a child with a first name or nickname and a birth year — nothing more."""
    name = clean_name(name)
    year = clean_birth_year(born)
    child = Child.objects.create(name=name, birth_year=year, created_by=caregiver)
    child.caregivers.add(caregiver)
    return child


def add_child_screened(caregiver, name: str, born: int) -> Saved:
    """``add_child`` for the web page: the name is free text, so the screen reads it too."""
    child = add_child(caregiver, name, born)
    return Saved(child, _screen(child.name))


@transaction.atomic
def add_co_caregiver(caregiver, child: Child):
    """Make the caregiver's linked partner a co-caregiver of ``child``; returns the partner.

    Only the person who added the child may: a co-caregiver who later links with someone new
    cannot bring that person to the child."""
    _check_caregiver(caregiver, child)
    if child.created_by_id != caregiver.pk:
        raise FamilyInputError(
            "co-caregiver: only the caregiver who added the child can add a co-caregiver"
        )
    partner = partner_of(caregiver)
    if partner is None:
        raise FamilyInputError("co-caregiver: link with your partner first (Together page)")
    child.caregivers.add(partner)
    return partner


@transaction.atomic
def step_away(caregiver, child: Child) -> bool:
    """Stop being a caregiver of ``child``: the person's own observations of the child are
    deleted; the child stays for any other caregiver, and is deleted when none is left.
    Returns whether the child itself was deleted."""
    _check_caregiver(caregiver, child)
    for model in OBSERVATION_MODELS:
        access.own(caregiver, model).filter(child=child).delete()
    child.caregivers.remove(caregiver)
    if not child.caregivers.exists():
        child.delete()
        return True
    return False


def co_caregivers(caregiver, child: Child) -> list:
    """The child's other caregivers (their names are shown; their observations are not)."""
    return [u for u in child.caregivers.all() if u.pk != caregiver.pk]


def age_in(child: Child, today: date | None = None) -> int:
    return max(0, (today or timezone.localdate()).year - child.birth_year)


# --- five conditions --------------------------------------------------------------------------


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def clean_ratings(ratings: Mapping[str, object]) -> dict[str, int]:
    if not isinstance(ratings, Mapping):
        raise FamilyInputError("ratings: give one rating per condition")
    ids = caregiving.condition_ids()
    unknown = sorted(set(ratings) - set(ids))
    if unknown:
        raise FamilyInputError(f"ratings: unknown condition(s) {', '.join(unknown)}")
    missing = [c for c in ids if c not in ratings]
    if missing:
        raise FamilyInputError(f"ratings: missing {', '.join(missing)}")
    low, high, _ = caregiving.scale()
    clean = {}
    for cid in ids:
        value = _whole_number(ratings[cid], cid)
        if not low <= value <= high:
            raise FamilyInputError(f"{cid}: {value} is outside {low}-{high}")
        clean[cid] = value
    return clean


@transaction.atomic
def record_five_conditions(
    caregiver, child: Child, ratings: dict, note: str = "", *, day: date | None = None
) -> Saved:
    """This week's self-check for one child (saved again in the same week, it is replaced)."""
    _check_caregiver(caregiver, child)
    clean = clean_ratings(ratings)
    note = _text(note, "note")
    week = week_of(day or timezone.localdate())
    obj, _ = FiveConditionsCheck.objects.update_or_create(
        owner=caregiver, child=child, week=week, defaults={**clean, "note": note}
    )
    return Saved(obj, _screen(note))


def five_conditions_checks(caregiver, child: Child) -> list[FiveConditionsCheck]:
    return list(access.own(caregiver, FiveConditionsCheck).filter(child=child).order_by("week"))


@dataclass(frozen=True)
class ConditionTrend:
    condition: caregiving.Condition
    latest: int | None
    earlier_mean: float | None  # mean of up to four checks before the latest
    word: str


def trend(checks: list[FiveConditionsCheck], window: int = 4) -> list[ConditionTrend]:
    """Per condition: the latest rating against the mean of the few before it, in words.
    A reflection on the caregiver's own view, not a measure of the child."""
    ordered = sorted(checks, key=lambda c: c.week)
    out = []
    for cond in caregiving.five_conditions():
        values = [getattr(c, cond.id) for c in ordered]
        latest = values[-1] if values else None
        before = values[-1 - window : -1] if len(values) > 1 else []
        mean = sum(before) / len(before) if before else None
        if latest is None:
            word = "no check yet"
        elif mean is None:
            word = "first check"
        elif latest > mean + 0.5:
            word = "higher than your recent weeks"
        elif latest < mean - 0.5:
            word = "lower than your recent weeks"
        else:
            word = "about the same as your recent weeks"
        out.append(ConditionTrend(cond, latest, mean, word))
    return out


# --- signs, attuned moments, repairs ----------------------------------------------------------


@transaction.atomic
def record_signs(caregiver, child: Child, age_band: str, noticed: list[str], note: str = ""):
    _check_caregiver(caregiver, child)
    try:
        allowed = caregiving.sign_ids(age_band)
    except caregiving.CaregivingContentError:
        raise FamilyInputError(f"age band: '{age_band}' is not one of the bands") from None
    unknown = sorted(set(noticed) - set(allowed))
    if unknown:
        raise FamilyInputError(f"signs: not in the {age_band} list: {', '.join(unknown)}")
    note = _text(note, "note")
    chosen = [s for s in allowed if s in set(noticed)]  # checklist order, no duplicates
    obj = SignsObservation.objects.create(
        owner=caregiver, child=child, age_band=age_band, noticed=chosen, note=note
    )
    return Saved(obj, _screen(note))


@transaction.atomic
def record_attuned_moment(
    caregiver, child: Child, *, read: str, respond: str = "", received: str = "", next_time=""
) -> Saved:
    _check_caregiver(caregiver, child)
    texts = {
        "read": _text(read, "what you read", required=True),
        "respond": _text(respond, "how you responded"),
        "received": _text(received, "how it landed"),
        "next_time": _text(next_time, "next time"),
    }
    obj = AttunedMoment.objects.create(owner=caregiver, child=child, **texts)
    return Saved(obj, _screen(*texts.values()))


@transaction.atomic
def log_repair(
    caregiver,
    child: Child,
    *,
    what_happened: str,
    reconnect: str,
    minutes_to_repair: int,
    happened_on: date | None = None,
) -> Saved:
    _check_caregiver(caregiver, child)
    what_happened = _text(what_happened, "what happened", required=True)
    reconnect = _text(reconnect, "what you did to reconnect", required=True)
    minutes = _whole_number(minutes_to_repair, "minutes to repair")
    limit = caregiving.repair_framing().max_minutes
    if not 0 <= minutes <= limit:
        raise FamilyInputError(f"minutes to repair: {minutes} is outside 0-{limit}")
    today = timezone.localdate()
    day = happened_on or today
    if day > today:
        raise FamilyInputError(f"date: {day.isoformat()} is in the future")
    if day.year < child.birth_year:
        raise FamilyInputError(f"date: {day.isoformat()} is before the child's birth year")
    obj = RuptureRepair.objects.create(
        owner=caregiver,
        child=child,
        happened_on=day,
        what_happened=what_happened,
        reconnect=reconnect,
        minutes_to_repair=minutes,
    )
    return Saved(obj, _screen(what_happened, reconnect))


def monthly_repairs(caregiver, child: Child | None = None) -> list[caregiving.MonthOfRepairs]:
    rows = access.own(caregiver, RuptureRepair)
    if child is not None:
        rows = rows.filter(child=child)
    return caregiving.repairs_by_month(rows.values_list("happened_on", "minutes_to_repair"))


# --- the caregiver's own pattern --------------------------------------------------------------


@dataclass(frozen=True)
class CaregiverView:
    result: object  # the Assessment the plan follows
    pattern: caregiving.CaregiverPattern


def caregiver_pattern(caregiver) -> CaregiverView | None:
    """How the caregiver's own result (the one their plan follows) may show up with a child."""
    basis = practice.plan_basis(caregiver)
    if basis is None:
        return None
    pattern = PATTERN_OF_STYLE[Style(basis.style)]
    return CaregiverView(basis, caregiving.caregiver_patterns().by_pattern[pattern])


OBSERVATION_MODELS = (FiveConditionsCheck, SignsObservation, AttunedMoment, RuptureRepair)
