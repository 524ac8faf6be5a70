"""From two scale scores to a profile: dimensions first, the four-style label second.

* Against a chosen reference sample (``safebase.core.norms``): the percentile rank of the score in
  that sample's own table, and the sample's label and N shown with it. No sample, no percentile
  (and the reason).
* SEM = SD·√(1 − r), SD from the reference sample and r from ``norms.reliability_for`` (a cited
  observed test–retest correlation, else the sample's internal consistency, labelled which); the
  95% band is x ± 1.96·SEM, cut to the scale's possible range (Harvill, L. M., 1991, An NCME
  instructional module on standard error of measurement, *Educational Measurement: Issues and
  Practice*, 10(2), 33–41).
* Quadrant: see ``HIGH_RULE``, the one rule for "high" and "low", used here and by batch scoring.
* Where the authors advise against classifying individuals (the RQ; ``style_label = false`` in the
  instrument file), no style label is computed; the profile shows the person's own forced choice
  and the four ratings instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from safebase.core.errors import SafebaseError
from safebase.core.instrument import Instrument
from safebase.core.norms import ReferenceSample, ReferenceScale, reliability_for
from safebase.core.scoring import ScoredResponse, scorer_for
from safebase.core.styles import Style

Cutoff = Literal["midpoint", "norm"]
Z_95 = 1.959963984540054

HIGH_RULE = "a score exactly at the cut-off counts as low; only a score above it counts as high"


def is_high(score, cutoff):
    """``HIGH_RULE`` as code, for one score or an array of them (batch scoring uses it too)."""
    return np.greater(score, cutoff)


def normal_cdf(z: float) -> float:
    """Φ(z), the standard normal distribution function."""
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def standard_error_of_measurement(sd: float, reliability: float) -> float:
    """SEM = SD·√(1 − r) (classical test theory; Harvill, 1991)."""
    return sd * math.sqrt(1.0 - reliability)


@dataclass(frozen=True)
class Dimension:
    scale_id: str
    name: str
    score: float | None
    cutoff: float
    high: bool | None
    norm: ReferenceScale | None  # the reference sample's statistics for this scale
    z: float | None
    percentile: float | None
    sem: float | None
    band: tuple[float, float] | None
    reliability: float | None
    notes: tuple[str, ...]
    reference_label: str | None = None
    reference_n: int | None = None
    reliability_kind: str | None = None
    percentile_band: tuple[float, float] | None = None


@dataclass(frozen=True)
class Rating:
    label: str  # e.g. "A (secure)"
    text: str
    value: int | None


@dataclass(frozen=True)
class Profile:
    instrument_id: str
    anxiety: Dimension
    avoidance: Dimension
    style: Style | None
    cutoff_rule: str
    positive_is_secure: bool
    reference: ReferenceSample | None = None
    # Where no label is computed (the RQ): the person's own choice and ratings, as answered.
    forced_choice: str | None = None
    ratings: tuple[Rating, ...] = ()
    style_note: str | None = None


def _dimension(
    inst: Instrument,
    scored: ScoredResponse,
    scale_id: str,
    cutoff: Cutoff,
    reference: ReferenceSample | None,
) -> Dimension:
    scale = inst.scale(scale_id)
    score = scored.value(scale_id)
    rng = scored.response_range
    scorer = scorer_for(inst, rng)
    notes: list[str] = []
    ref = reference.scale(scale_id) if reference is not None else None
    if reference is not None and tuple(reference.response_range) != (rng.low, rng.high):
        notes.append(
            f"No percentile: the reference sample was collected on {reference.response_range[0]}"
            f"–{reference.response_range[1]}, these answers on {rng}."
        )
        ref = None
    if cutoff == "norm":
        if ref is None:
            raise SafebaseError(
                f"{inst.id} {scale_id}: no reference sample for the {rng} range; use the midpoint"
            )
        cut = ref.mean
    else:
        cut = scorer.midpoint(scale)
    z = pct = sem = None
    band = pct_band = None
    if reference is None:
        notes.append(
            f"No percentile and no band: safebase has no reference sample for "
            f"{inst.spec.short_name} in this response format (no published norm could be "
            f"verified)."
        )
    elif ref is None and not notes:
        notes.append(f"No percentile: the reference sample has no statistics for {scale.name}.")
    elif ref is not None and score is not None:
        z = (score - ref.mean) / ref.sd
        pct = ref.percentile_rank(score)
        assert reference is not None  # ref comes from it
        notes.append(
            f"{scale.name}, percentile: the share of the reference sample scoring lower, counting "
            f"half of those with the same score, against {reference.describe(scale_id)}."
        )
    choice = reliability_for(inst, scale_id, reference if ref is not None else None)
    if ref is not None and choice is None:
        notes.append(
            "No confidence band: the reference sample has no reliability for this scale and no "
            "test–retest correlation is cited."
        )
    elif ref is not None and choice is not None:
        sem = standard_error_of_measurement(ref.sd, choice.value)
        if score is not None:
            lo, hi = scorer.bounds(scale)
            band = (max(lo, score - Z_95 * sem), min(hi, score + Z_95 * sem))
            pct_band = (ref.percentile_rank(band[0]), ref.percentile_rank(band[1]))
            notes.append(
                f"{scale.name}, 95% band: score ± 1.96 × SEM, SEM = SD × √(1 − r) = {sem:.2f}, "
                f"with the sample's SD {ref.sd:.2f} and r = {choice.description}."
            )
    if score is None:
        notes.append(scored.scales[scale_id].reason or "not scored")
    high = None if score is None else bool(is_high(score, cut))
    return Dimension(
        scale_id,
        scale.name,
        score,
        cut,
        high,
        ref,
        z,
        pct,
        sem,
        band,
        choice.value if choice and ref is not None else None,
        tuple(notes),
        reference.label if ref is not None and reference is not None else None,
        ref.n if ref is not None else None,
        choice.kind if choice and ref is not None else None,
        pct_band,
    )


def style_from(anxiety_high: bool, avoidance_high: bool) -> Style:
    if anxiety_high:
        return Style.FEARFUL if avoidance_high else Style.ANXIOUS
    return Style.AVOIDANT if avoidance_high else Style.SECURE


def _choice_and_ratings(inst: Instrument, scored: ScoredResponse) -> tuple[str | None, tuple]:
    """The forced choice's option label and each rated paragraph, as the person answered."""
    choice_scale = next((s for s in inst.scales if s.method == "choice"), None)
    if choice_scale is None:
        return None, ()
    item = inst.item(choice_scale.item_keys[0])
    chosen = scored.answers.get(item.key)
    options = {o.value: o.label for o in item.response.options}
    rated = [i for i in inst.items if i.key != item.key]
    ratings = tuple(
        Rating(
            next((lbl for lbl in options.values() if lbl.startswith(f"{i.label} ")), i.label),
            i.text,
            scored.answers.get(i.key),
        )
        for i in rated
    )
    return inst.choice_text(chosen), ratings


def build_profile(
    inst: Instrument,
    scored: ScoredResponse,
    cutoff: Cutoff = "midpoint",
    reference: ReferenceSample | None = None,
) -> Profile:
    """The anxiety × avoidance profile, with percentiles and bands against ``reference`` (pass
    ``norms.default_reference_sample(inst)`` for the instrument's default, or the sample the
    person chose). For the RQ: model of self/others with signs flipped, and no style label."""
    spec = inst.profile
    if spec is None:
        raise SafebaseError(
            f"{inst.id} has no anxiety/avoidance profile (it is not a style measure)"
        )
    if reference is not None and reference.instrument != inst.id:
        raise SafebaseError(
            f"reference sample '{reference.id}' belongs to {reference.instrument}, not {inst.id}"
        )
    anx = _dimension(inst, scored, spec.anxiety, cutoff, reference)
    avo = _dimension(inst, scored, spec.avoidance, cutoff, reference)
    style = None
    if spec.style_label and anx.score is not None and avo.score is not None:
        if spec.positive_is_secure:
            # A positive model of self means low anxiety; a positive model of others, low avoidance.
            style = style_from(
                bool(is_high(-anx.score, -anx.cutoff)), bool(is_high(-avo.score, -avo.cutoff))
            )
        else:
            style = style_from(bool(anx.high), bool(avo.high))
    where = "reference sample mean" if cutoff == "norm" else "scale midpoint"
    rule = f"{where}; {HIGH_RULE}"
    forced, ratings, note = None, (), None
    if not spec.style_label:
        forced, ratings = _choice_and_ratings(inst, scored)
        note = (
            "No style label is computed from these scores: the measure's authors advise against "
            "classifying individuals with it. Your own choice and your four ratings are shown."
        )
    return Profile(
        inst.id,
        anx,
        avo,
        style,
        rule,
        spec.positive_is_secure,
        reference,
        forced,
        ratings,
        note,
    )
