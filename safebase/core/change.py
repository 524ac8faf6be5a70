"""Reliable change between two administrations (Jacobson & Truax, 1991).

    SE_diff = √2 · SEM = √2 · SD · √(1 − r)
    RCI     = (x₂ − x₁) / SE_diff

|RCI| > 1.96 means a change this large is unlikely to be measurement error alone (p < .05,
two-sided); it does not say why the score changed. SD is the chosen reference sample's SD on the
scale; r is a cited *observed* test–retest correlation where the instrument file has one, otherwise
the reference sample's internal consistency (Cronbach's alpha) — see ``norms.reliability_for`` —
and every verdict says which. A latent stability (e.g. the ECR-R's 85% shared variance, Sibley,
Fischer & Liu, 2005) is corrected for measurement error and never used here.

Jacobson, N. S., & Truax, P. (1991). Clinical significance: A statistical approach to defining
meaningful change in psychotherapy research. Journal of Consulting and Clinical Psychology, 59(1),
12–19. An introduction: Evans, C., Margison, F., & Barkham, M. (1998). The contribution of reliable
and clinically significant change methods to evidence-based mental health. Evidence-Based Mental
Health, 1(3), 70–72. That the computation's options (here: which reliability) must be stated with
the result: Blampied, N. M. (2022). Reliable change and the reliable change index: still useful
after all these years? The Cognitive Behaviour Therapist.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from safebase.core.instrument import Instrument
from safebase.core.norms import ReferenceSample, reliability_for
from safebase.core.profile import Z_95, standard_error_of_measurement
from safebase.core.scoring import ScoredResponse


class Verdict(StrEnum):
    IMPROVED = "reliable improvement"
    NO_CHANGE = "no reliable change"
    DETERIORATED = "reliable deterioration"
    UNAVAILABLE = "not available"


RELIABLE = "unlikely to be measurement error alone (p < .05)"


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
    reason: str | None  # exactly what is missing, whenever there is no verdict
    name: str = ""
    sd: float | None = None
    reliability: float | None = None
    reliability_kind: str | None = None  # "test-retest" or "internal consistency"
    basis: str | None = None  # where SD and r come from, in words
    smallest_reliable_change: float | None = None  # 1.96 · SE_diff

    @property
    def explanation(self) -> str:
        """The verdict's meaning in words, or what is missing."""
        if self.verdict in (Verdict.IMPROVED, Verdict.DETERIORATED):
            return RELIABLE
        if self.verdict is Verdict.NO_CHANGE:
            return (
                f"a change this size could be measurement error alone (it would need to be "
                f"larger than ±{self.smallest_reliable_change:.2f})"
            )
        return self.reason or "not available"

    def line(self) -> str:
        """One line for history, the plan and the re-assessment reminder."""
        label = self.name or self.scale_id
        if self.verdict is Verdict.UNAVAILABLE:
            return f"{label}: reliable change not available — {self.reason}"
        return f"{label}: {self.verdict.value} ({self.difference:+.2f}) — {self.explanation}"


def lower_is_better(inst: Instrument, scale_id: str) -> bool:
    """Anxiety and avoidance: lower is more secure. RQ models and reflections: higher is."""
    if inst.profile and inst.profile.positive_is_secure:
        return False
    return inst.scale(scale_id).dimension in {"anxiety", "avoidance"}


def _missing(
    inst: Instrument, scale_id: str, reference: ReferenceSample | None, have_sd: bool, have_r: bool
) -> str | None:
    """Exactly what is missing for a verdict, and why, in one phrase."""
    no_sample = f"no reference sample for {inst.spec.short_name} in this response format"
    no_retest = "no cited observed test–retest correlation"
    if not have_sd and not have_r:
        return f"missing: the SD and a reliability ({no_sample}, and {no_retest})"
    if not have_sd:
        why = no_sample if reference is None else f"the reference sample has none for {scale_id}"
        return f"missing: the SD ({why})"
    if not have_r:
        return (
            f"missing: a reliability ({no_retest}, and the reference sample has no internal "
            f"consistency for {scale_id})"
        )
    return None


def compare(
    inst: Instrument,
    before: ScoredResponse,
    after: ScoredResponse,
    reference: ReferenceSample | None = None,
) -> list[ScaleChange]:
    """Per-scale change and verdict against ``reference`` (the SD and, without a cited retest
    correlation, the reliability come from it); the reason wherever no verdict is possible."""
    if reference is not None and (
        reference.instrument != inst.id
        or tuple(reference.response_range) != (after.response_range.low, after.response_range.high)
    ):
        reference = None
    changes = []
    for scale in inst.scales:
        if scale.method == "choice":
            continue
        b, a = before.value(scale.id), after.value(scale.id)
        diff = None if a is None or b is None else a - b
        ref = reference.scale(scale.id) if reference is not None else None
        choice = reliability_for(inst, scale.id, reference)
        common = {"name": scale.name}
        if diff is None or a is None or b is None:
            reason = "a score is missing in one of the two administrations"
        elif before.response_range != after.response_range:
            reason = "the two results used different response formats"
        else:
            reason = _missing(inst, scale.id, reference, ref is not None, choice is not None)
        if reason or ref is None or choice is None or diff is None or a is None or b is None:
            changes.append(
                ScaleChange(scale.id, b, a, diff, None, Verdict.UNAVAILABLE, reason, **common)
            )
            continue
        rci = reliable_change_index(b, a, ref.sd, choice.value)
        se_diff = math.sqrt(2.0) * standard_error_of_measurement(ref.sd, choice.value)
        verdict = verdict_for(rci, lower_is_better(inst, scale.id))
        basis = f"SD {ref.sd:.2f} from {reference.describe(scale.id)}; r = {choice.description}"  # type: ignore[union-attr]
        changes.append(
            ScaleChange(
                scale.id,
                b,
                a,
                diff,
                rci,
                verdict,
                None,
                scale.name,
                ref.sd,
                choice.value,
                choice.kind,
                basis,
                Z_95 * se_diff,
            )
        )
    return changes


def change_summary(
    inst: Instrument,
    before: ScoredResponse,
    after: ScoredResponse,
    reference: ReferenceSample | None = None,
) -> list[str]:
    """One line per scale (verdict and meaning, or what is missing), for the plan and reminder."""
    return [c.line() for c in compare(inst, before, after, reference)]
