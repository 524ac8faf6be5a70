"""Writes and reads of assessments, as named functions over the pure core."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from safebase.core.change import ScaleChange, compare
from safebase.core.errors import SafebaseError
from safebase.core.instrument import get_instrument
from safebase.core.norms import (
    ReferenceSample,
    chosen_or_default,
)
from safebase.core.profile import build_profile
from safebase.core.scoring import ScoredResponse, validate_answers
from safebase.web import access
from safebase.web.accounts.services import chosen_reference_samples
from safebase.web.assessments.models import Assessment


class AlreadyComplete(SafebaseError):
    """The questionnaire was finished (perhaps a moment ago, in another tab): answers are final."""


def _scores_of(scored: ScoredResponse) -> dict[str, float | None]:
    return {sid: s.value for sid, s in scored.scales.items()}


def start_assessment(*, owner, instrument_id: str) -> Assessment:
    get_instrument(instrument_id)  # unknown ids fail here, before anything is saved
    return Assessment.objects.create(owner=owner, instrument_id=instrument_id)


@transaction.atomic
def save_answers(*, assessment: Assessment, answers: Mapping[str, object]) -> Assessment:
    """Merge a page of answers (None clears one) into an in-progress assessment.

    Autosave sends each answer as it is chosen, so two saves of one questionnaire can overlap
    (two tabs, two server processes). The row is re-read under a write lock and merged there;
    merging into the caller's copy would let the later save drop the earlier one's answer."""
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if current.status != Assessment.Status.IN_PROGRESS:
        raise AlreadyComplete("This questionnaire is already complete; its answers are final.")
    merged = {**current.answers}
    for key, value in answers.items():
        merged[str(key)] = value
    clean = validate_answers(current.instrument, merged, current.response_range)
    assessment.answers = clean
    assessment.save(update_fields=["answers", "updated_at"])
    return assessment


@transaction.atomic
def complete_assessment(*, assessment: Assessment) -> Assessment:
    """Score and close the questionnaire from its stored answers, read under the same write lock
    as ``save_answers``, so an autosave that lands just before finishing is part of the result."""
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if current.status != Assessment.Status.IN_PROGRESS:
        raise AlreadyComplete("This questionnaire is already complete.")
    assessment.answers = current.answers
    inst = assessment.instrument
    scored = assessment.scored()
    assessment.scores = _scores_of(scored)
    assessment.instrument_version = inst.version
    style = ""
    if inst.profile is not None:
        profile = build_profile(inst, scored)
        style = profile.style.value if profile.style else ""
    assessment.style = style
    assessment.status = Assessment.Status.COMPLETE
    assessment.completed_at = timezone.now()
    assessment.save()
    return assessment


def record_assessment(*, owner, instrument_id: str, answers: Mapping[str, object]) -> Assessment:
    """Start, fill and complete in one step (the CLI's path)."""
    with transaction.atomic():
        a = start_assessment(owner=owner, instrument_id=instrument_id)
        save_answers(assessment=a, answers=answers)
        return complete_assessment(assessment=a)


def completed_for(owner, instrument_id: str | None = None):
    """The person's own finished results, oldest first."""
    qs = access.own(owner, Assessment).filter(status=Assessment.Status.COMPLETE)
    if instrument_id:
        qs = qs.filter(instrument_id=instrument_id)
    return qs.order_by("completed_at", "id")


def in_progress_for(owner, instrument_id: str | None = None):
    """The person's own unfinished questionnaires, most recently touched first."""
    qs = access.own(owner, Assessment).filter(status=Assessment.Status.IN_PROGRESS)
    if instrument_id:
        qs = qs.filter(instrument_id=instrument_id)
    return qs.order_by("-updated_at")


def reference_for(owner, inst) -> ReferenceSample | None:
    """The reference sample the person compares this instrument's results with: their choice
    in settings when it still exists, else the instrument's default (its first sample)."""
    chosen = chosen_reference_samples(owner).get(inst.id) if owner is not None else None
    return chosen_or_default(inst, chosen)


def change_between(before: Assessment, after: Assessment) -> list[ScaleChange]:
    """Reliable change between two of the owner's results, against the owner's reference sample."""
    if before.instrument_id != after.instrument_id:
        raise ValueError("change needs two administrations of the same instrument")
    inst = after.instrument
    return compare(inst, before.scored(), after.scored(), reference_for(after.owner, inst))


def local_owner():
    """The one person who owns the data in single-person mode (CLI and local web app)."""
    from django.contrib.auth import get_user_model

    user, created = get_user_model().objects.get_or_create(username="local")
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def unscorable_scales(assessment: Assessment) -> list[str]:
    """Each scale that the answers so far cannot score, with what it still needs, in words:
    "Attachment anxiety: 4 more answers needed (15 of 18)"."""
    out = []
    for s in assessment.scored().scales.values():
        if s.value is not None:
            continue
        if s.needed > s.answered:
            more = s.needed - s.answered
            out.append(
                f"{s.name}: {more} more answer{'s' if more != 1 else ''} needed "
                f"({s.needed} of {s.of})"
            )
        else:
            out.append(f"{s.name}: {s.reason or 'no score yet'}")
    return out
