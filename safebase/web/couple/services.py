"""Writes and reads of the couple practices, as named functions over the pure core.

Every write checks the link first (``partners.partner_of``): nothing joint can be started or
answered with someone one is not linked with. Free text is screened as it is saved, exactly as
the journal's is (``practice.services``): the entry is kept, and the caller shows crisis
resources when the screen says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from safebase.core.couple import signs
from safebase.core.couple.rituals import (
    REPAIR_STEPS,
    RITUALS,
    Kind,
    MonthRow,
    period_start,
    repair_months,
    shared_days,
    weekly_streak,
)
from safebase.core.errors import SafebaseError
from safebase.core.practice import safety
from safebase.core.practice.emotions import NEEDS, family_of
from safebase.core.practice.progress import longest_streak, streak
from safebase.web import access
from safebase.web.couple.models import (
    Repair,
    RepairPart,
    Ritual,
    RitualAnswer,
    SignsReflection,
    pair_key,
)
from safebase.web.practice.services import MAX_TEXT, Saved
from safebase.web.relationships.services import partner_of

NOT_LINKED = "Link with your partner first, on the Together page."


def _screen(*texts: str) -> safety.SafetyResult:
    return safety.screen_text("\n".join(t for t in texts if t))


def screen_part(texts) -> bool:
    """Whether a partner's words, as shown to the other, call for the crisis resources."""
    return _screen(*[t for t in texts if isinstance(t, str)]).risk


def _text(value: object, name: str, *, required: bool = True) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise SafebaseError(f"{name}: please write something")
    if len(text) > MAX_TEXT:
        raise SafebaseError(f"{name}: at most {MAX_TEXT:,} characters")
    return text


def _linked(user):
    partner = partner_of(user)
    if partner is None:
        raise SafebaseError(NOT_LINKED)
    return partner


# --- rituals ----------------------------------------------------------------------------------


def _ritual_for(user, partner, kind: Kind, period: date) -> Ritual:
    """The pair's ritual of this period, made by whoever comes first (the unique pair key keeps
    two simultaneous first answers from making two)."""
    key = pair_key(user, partner)
    found = Ritual.objects.filter(pair=key, kind=kind, period=period).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Ritual.objects.create(
                owner=user, partner=partner, pair=key, kind=kind, period=period
            )
    except IntegrityError:
        return Ritual.objects.get(pair=key, kind=kind, period=period)


def clean_answers(kind: Kind, data: dict[str, object]) -> dict[str, str]:
    ritual = RITUALS[kind]
    clean: dict[str, str] = {}
    for prompt in ritual.prompts:
        value = _text(data.get(prompt.name), prompt.label)
        if kind == Kind.COREGULATE:
            if prompt.name == "feeling" and family_of(value) is None:
                raise SafebaseError(f"{prompt.label}: '{value}' is not in the feelings list")
            if prompt.name == "need" and value not in NEEDS:
                raise SafebaseError(f"{prompt.label}: '{value}' is not in the needs list")
        clean[prompt.name] = value
    return clean


@transaction.atomic
def answer_ritual(*, owner, kind: Kind, answers: dict[str, object], day: date | None = None):
    """Give (or correct) one's own answer to this period's ritual."""
    partner = _linked(owner)
    clean = clean_answers(kind, answers)
    period = period_start(kind, day or timezone.localdate())
    ritual = _ritual_for(owner, partner, kind, period)
    if ritual.partner_id is None or ritual.owner_id is None:
        raise SafebaseError("This ritual was left by one of you; start a new one.")
    part, _ = RitualAnswer.objects.update_or_create(
        joint=ritual, owner=owner, defaults={"answers": clean}
    )
    return Saved(part, _screen(*clean.values()))


@dataclass(frozen=True)
class RitualView:
    ritual: Ritual | None
    mine: RitualAnswer | None
    theirs: RitualAnswer | None  # only once mine exists (the access policy's rule)
    partner_answered: bool  # whether they answered: shown without their words
    theirs_flagged: bool


def ritual_today(user, partner, kind: Kind, day: date | None = None) -> RitualView:
    period = period_start(kind, day or timezone.localdate())
    ritual = (
        access.scope(user, Ritual)
        .filter(kind=kind, period=period, pair=pair_key(user, partner))
        .first()
    )
    if ritual is None:
        return RitualView(None, None, None, False, False)
    mine = access.own(user, RitualAnswer).filter(joint=ritual).first()
    theirs = access.scope(user, RitualAnswer).filter(joint=ritual, owner=partner).first()
    answered = RitualAnswer.objects.filter(joint=ritual, owner=partner).exists()
    flagged = theirs is not None and screen_part(theirs.answers.values())
    return RitualView(ritual, mine, theirs, answered, flagged)


def _pair_rituals(user, partner, kind: Kind):
    return access.scope(user, Ritual).filter(kind=kind, pair=pair_key(user, partner))


def both_answered_periods(user, partner, kind: Kind) -> list[date]:
    """Periods in which both partners answered (a shared streak counts only these)."""
    rituals = _pair_rituals(user, partner, kind)
    mine = RitualAnswer.objects.filter(joint__in=rituals, owner=user).values_list(
        "joint__period", flat=True
    )
    theirs = RitualAnswer.objects.filter(joint__in=rituals, owner=partner).values_list(
        "joint__period", flat=True
    )
    return sorted(shared_days(mine, theirs))


@dataclass(frozen=True)
class Streaks:
    daily: int
    daily_best: int
    weekly: int


def shared_streaks(user, partner, today: date | None = None) -> Streaks:
    today = today or timezone.localdate()
    days = both_answered_periods(user, partner, Kind.DAILY)
    weeks = both_answered_periods(user, partner, Kind.WEEKLY)
    return Streaks(
        streak(days, today),
        longest_streak(days),
        weekly_streak(weeks, period_start(Kind.WEEKLY, today)),
    )


# --- repair -----------------------------------------------------------------------------------


def _steps(data: dict[str, object]) -> dict[str, str]:
    return {s.name: _text(data.get(s.name), s.label) for s in REPAIR_STEPS}


@transaction.atomic
def start_repair(*, owner, about: str, ruptured_at: datetime | None, steps: dict[str, object]):
    partner = _linked(owner)
    about = _text(about, "What it is about")
    clean = _steps(steps)
    now = timezone.now()
    when = min(ruptured_at or now, now)  # a moment in the future has not happened yet
    repair = Repair.objects.create(owner=owner, partner=partner, ruptured_at=when)
    part = RepairPart.objects.create(joint=repair, owner=owner, about=about, **clean)
    return Saved(repair, _screen(about, *clean.values())), part


@transaction.atomic
def respond_to_repair(*, owner, repair_id: int, steps: dict[str, object]):
    """The invited partner's three steps (or either's correction of their own)."""
    repair = access.get_or_404(owner, Repair, repair_id)
    partner = _linked(owner)
    if {repair.owner_id, repair.partner_id} != {owner.pk, partner.pk}:
        raise SafebaseError(NOT_LINKED)
    clean = _steps(steps)
    _part, _ = RepairPart.objects.update_or_create(joint=repair, owner=owner, defaults=clean)
    return Saved(repair, _screen(*clean.values()))


@transaction.atomic
def mark_repaired(*, owner, repair_id: int) -> Repair:
    """Mark one's own part repaired; the repair is repaired when both parts are."""
    repair = access.get_or_404(owner, Repair, repair_id)
    _linked(owner)
    part = access.own(owner, RepairPart).filter(joint=repair).first()
    if part is None:
        raise SafebaseError("Write your three steps first, then mark it repaired.")
    if part.marked_repaired_at is None:
        part.marked_repaired_at = timezone.now()
        part.save(update_fields=["marked_repaired_at"])
    marks = list(
        RepairPart.objects.filter(joint=repair).values_list("marked_repaired_at", flat=True)
    )
    if len(marks) == 2 and all(marks) and repair.repaired_at is None:
        repair.repaired_at = max(marks)
        repair.save(update_fields=["repaired_at"])
    return repair


@dataclass(frozen=True)
class RepairView:
    repair: Repair
    mine: RepairPart | None
    theirs: RepairPart | None
    theirs_flagged: bool
    about: str  # the starter's words, if the viewer may read them


def repair_view(user, repair: Repair) -> RepairView:
    parts = list(access.scope(user, RepairPart).filter(joint=repair))
    mine = next((p for p in parts if p.owner_id == user.pk), None)
    theirs = next((p for p in parts if p.owner_id != user.pk), None)
    starter = next((p for p in parts if p.owner_id == repair.owner_id), None)
    flagged = theirs is not None and screen_part(
        [theirs.about, theirs.own_part, theirs.acknowledge, theirs.path_forward]
    )
    return RepairView(repair, mine, theirs, flagged, starter.about if starter else "")


def repairs_of(user):
    return access.scope(user, Repair).order_by("-ruptured_at", "-id")


def repair_log(user, today: date | None = None) -> list[MonthRow]:
    today = today or timezone.localdate()
    rows = [
        (
            timezone.localtime(r.ruptured_at),
            timezone.localtime(r.repaired_at) if r.repaired_at else None,
        )
        for r in repairs_of(user)
    ]
    return repair_months(rows, today=today)


# --- twelve signs -----------------------------------------------------------------------------


@transaction.atomic
def reflect_on_signs(*, owner, about: str, checked: list[int], note: str = "") -> Saved:
    if about not in signs.ABOUT:
        raise SafebaseError(f"about: '{about}' is not one of {', '.join(signs.ABOUT)}")
    if about == "partner" and partner_of(owner) is None:
        raise SafebaseError(NOT_LINKED)
    numbers = sorted({int(n) for n in checked})
    if any(not 1 <= n <= len(signs.SIGNS) for n in numbers):
        raise SafebaseError("signs: choose from the twelve listed")
    note = _text(note, "Note", required=False)
    obj = SignsReflection.objects.create(owner=owner, about=about, checked=numbers, note=note)
    return Saved(obj, _screen(note))


# --- the year in review -----------------------------------------------------------------------


@dataclass(frozen=True)
class Year:
    start: date
    daily_both: int
    weekly_both: int
    coregulations_both: int
    repairs: int
    repaired: int


def year_in_review(user, partner, today: date | None = None) -> Year:
    today = today or timezone.localdate()
    start = today - timedelta(days=365)
    in_year = [d for d in both_answered_periods(user, partner, Kind.DAILY) if d > start]
    weeks = [d for d in both_answered_periods(user, partner, Kind.WEEKLY) if d > start]
    coreg = [d for d in both_answered_periods(user, partner, Kind.COREGULATE) if d > start]
    repairs = repairs_of(user).filter(
        Q(owner=partner) | Q(partner=partner), ruptured_at__date__gt=start
    )
    return Year(
        start,
        len(in_year),
        len(weeks),
        len(coreg),
        repairs.count(),
        repairs.exclude(repaired_at=None).count(),
    )
