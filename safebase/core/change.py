"""Reliable change between two administrations (Jacobson & Truax, 1991).

    SE_diff = √2 · SEM = √2 · SD · √(1 − r_xx)
    RCI     = (x₂ − x₁) / SE_diff

|RCI| > 1.96 is a change larger than measurement error alone would produce 95% of the time.
SD is the cited norm sample's SD and r_xx the cited test–retest reliability. Jacobson, N. S., &
Truax, P. (1991). Clinical significance: A statistical approach to defining meaningful change in
psychotherapy research. Journal of Consulting and Clinical Psychology, 59(1), 12–19.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from safebase.core.instrument import Instrument
from safebase.core.profile import Z_95, standard_error_of_measurement
from safebase.core.scoring import ScoredResponse


class Verdict(StrEnum):
    IMPROVED = "reliable improvement"
    NO_CHANGE = "no reliable change"
    DETERIORATED = "reliable deterioration"
    UNAVAILABLE = "not available"


def reliable_change_index(before: float, after: float, sd: float, reliability: float) -> float:
    se_diff = math.sqrt(2.0) * standard_error_of_measurement(sd, reliability)
    return (after - before) / se_diff


def verdict_for(rci: float, lower_is_better: bool) -> Verdict:
    if abs(rci) <= Z_95:
        return Verdict.NO_CHANGE
    improved = rci < 0 if lower_is_better else rci > 0
    return Verdict.IMPROVED if improved else Verdict.DETERIORATED


@dataclass(frozen=True)
class ScaleChange:
    scale_id: str
    before: float | None
    after: float | None
    difference: float | None
    rci: float | None
    verdict: Verdict
    reason: str | None


def lower_is_better(inst: Instrument, scale_id: str) -> bool:
    """Anxiety and avoidance: lower is more secure. RQ models and reflections: higher is."""
    if inst.profile and inst.profile.positive_is_secure:
        return False
    return inst.scale(scale_id).dimension in {"anxiety", "avoidance"}


def compare(inst: Instrument, before: ScoredResponse, after: ScoredResponse) -> list[ScaleChange]:
    """Per-scale change and verdict; the reason is given wherever no verdict is possible."""
    changes = []
    for scale in inst.scales:
        if scale.method == "choice":
            continue
        b, a = before.value(scale.id), after.value(scale.id)
        diff = None if a is None or b is None else a - b
        rng = after.response_range
        norm = inst.norm(scale.id, rng.low, rng.high)
        retest = inst.test_retest(scale.id)
        reason = None
        if diff is None:
            reason = "a score is missing in one of the two administrations"
        elif norm is None:
            reason = "no cited norm SD for this scale"
        elif retest is None:
            reason = "no cited test–retest reliability for this scale"
        if reason or norm is None or retest is None or diff is None or a is None or b is None:
            changes.append(ScaleChange(scale.id, b, a, diff, None, Verdict.UNAVAILABLE, reason))
            continue
        rci = reliable_change_index(b, a, norm.sd, retest.value)
        verdict = verdict_for(rci, lower_is_better(inst, scale.id))
        changes.append(ScaleChange(scale.id, b, a, diff, rci, verdict, None))
    return changes
