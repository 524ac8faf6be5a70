"""From two scale scores to a profile: dimensions first, the four-style label second.

* z = (x − M) / SD and percentile = 100·Φ(z) against the instrument's cited norm sample, assuming
  scores are roughly normal in that sample; no cited norm, no percentile (and the reason).
* SEM = SD·√(1 − r) with r the cited test–retest reliability; the 95% band is x ± 1.96·SEM
  (Harvill, 1991, "Standard error of measurement", Educational Measurement 10(2), 33–41).
* Quadrant: each dimension is "high" when above the cut-off — the scale midpoint by default
  (e.g. 4 on a 1–7 scale), or the norm mean when ``cutoff="norm"``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from safebase.core.errors import SafebaseError
from safebase.core.instrument import Instrument, Norm
from safebase.core.scoring import ScoredResponse, scorer_for
from safebase.core.styles import Style

Cutoff = Literal["midpoint", "norm"]
Z_95 = 1.959963984540054


def normal_cdf(z: float) -> float:
    """Φ(z), the standard normal distribution function."""
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def standard_error_of_measurement(sd: float, reliability: float) -> float:
    """SEM = SD·√(1 − r) (classical test theory)."""
    return sd * math.sqrt(1.0 - reliability)


@dataclass(frozen=True)
class Dimension:
    scale_id: str
    name: str
    score: float | None
    cutoff: float
    high: bool | None
    norm: Norm | None
    z: float | None
    percentile: float | None
    sem: float | None
    band: tuple[float, float] | None
    reliability: float | None
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Profile:
    instrument_id: str
    anxiety: Dimension
    avoidance: Dimension
    style: Style | None
    cutoff_rule: str
    positive_is_secure: bool


def _dimension(
    inst: Instrument, scored: ScoredResponse, scale_id: str, cutoff: Cutoff
) -> Dimension:
    scale = inst.scale(scale_id)
    score = scored.value(scale_id)
    rng = scored.response_range
    norm = inst.norm(scale_id, rng.low, rng.high)
    retest = inst.test_retest(scale_id)
    notes: list[str] = []
    if cutoff == "norm":
        if norm is None:
            raise SafebaseError(
                f"{inst.id} {scale_id}: no cited norm for the {rng} range; use the midpoint rule"
            )
        cut = norm.mean
    else:
        cut = scorer_for(inst, rng).midpoint(scale)
    z = pct = sem = None
    band = None
    if norm is None:
        notes.append("No percentile: no published norm sample for this scale could be verified.")
    elif score is not None:
        z = (score - norm.mean) / norm.sd
        pct = 100.0 * normal_cdf(z)
    if retest is None or norm is None:
        notes.append(
            "No confidence band: it needs both a cited norm SD and a cited test–retest reliability."
        )
    else:
        sem = standard_error_of_measurement(norm.sd, retest.value)
        if score is not None:
            band = (score - Z_95 * sem, score + Z_95 * sem)
    if score is None:
        notes.append(scored.scales[scale_id].reason or "not scored")
    high = None if score is None else score > cut
    return Dimension(
        scale_id,
        scale.name,
        score,
        cut,
        high,
        norm,
        z,
        pct,
        sem,
        band,
        retest.value if retest else None,
        tuple(notes),
    )


def style_from(anxiety_high: bool, avoidance_high: bool) -> Style:
    if anxiety_high:
        return Style.FEARFUL if avoidance_high else Style.ANXIOUS
    return Style.AVOIDANT if avoidance_high else Style.SECURE


def build_profile(inst: Instrument, scored: ScoredResponse, cutoff: Cutoff = "midpoint") -> Profile:
    """The anxiety × avoidance profile; for the RQ, model of self/others with signs flipped."""
    spec = inst.profile
    if spec is None:
        raise SafebaseError(
            f"{inst.id} has no anxiety/avoidance profile (it is not a style measure)"
        )
    anx = _dimension(inst, scored, spec.anxiety, cutoff)
    avo = _dimension(inst, scored, spec.avoidance, cutoff)
    style = None
    if anx.score is not None and avo.score is not None:
        if spec.positive_is_secure:
            # A positive model of self means low anxiety; a positive model of others, low avoidance.
            style = style_from(anx.score < anx.cutoff, avo.score < avo.cutoff)
        else:
            style = style_from(bool(anx.high), bool(avo.high))
    rule = "norm mean of the cited sample" if cutoff == "norm" else "scale midpoint"
    return Profile(inst.id, anx, avo, style, rule, spec.positive_is_secure)
