"""Two partners' patterns together: which combination they make, in plain words, and what helps.

The patterns themselves come from each person's questionnaire result (``core.profile`` computes
the four-style label from the cut-offs; nothing here draws its own lines). This module only names
the pair's combination and explains it. Every sentence is a ``Claim``: the article it comes from,
or safebase's own summary, labelled as such. No statistics: the material gives none for couples.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from safebase.core.couple.sources import COPEHOUSE, DEVELOP_IT, LASTING_BONDS, SIMPLY_PSYCHOLOGY
from safebase.core.couple.sources import Claim as C
from safebase.core.styles import Style


class Combination(StrEnum):
    PURSUE_WITHDRAW = "anxious-avoidant"
    BOTH_ANXIOUS = "both-anxious"
    BOTH_AVOIDANT = "both-avoidant"
    SECURE_BASE = "secure-insecure"
    BOTH_SECURE = "both-secure"
    FEARFUL = "fearful"


@dataclass(frozen=True)
class PairReading:
    combination: Combination
    title: str
    explanation: tuple[C, ...]
    helps_both: tuple[C, ...]
    # What helps each side: keyed by the side's pattern (the same for both when they share one).
    helps_side: dict[Style, tuple[C, ...]]


def combination(a: Style, b: Style) -> Combination:
    """The pair's combination; order does not matter."""
    pair = {a, b}
    if pair == {Style.SECURE}:
        return Combination.BOTH_SECURE
    if Style.SECURE in pair:
        return Combination.SECURE_BASE
    if Style.FEARFUL in pair:
        return Combination.FEARFUL
    if pair == {Style.ANXIOUS, Style.AVOIDANT}:
        return Combination.PURSUE_WITHDRAW
    return Combination.BOTH_ANXIOUS if pair == {Style.ANXIOUS} else Combination.BOTH_AVOIDANT


_REPAIR = C(
    "After a conflict, repair in three steps: own your part, acknowledge the other's "
    "experience, and offer a path forward.",
    LASTING_BONDS,
)
_RITUALS = C(
    "Rituals keep a couple connected: a daily check-in, regular time together, a yearly review "
    "of the relationship.",
    DEVELOP_IT,
)
_COREG = C(
    "Co-regulation: calm each other down together, with slow breathing, sitting quietly side "
    "by side, a calm tone.",
    COPEHOUSE,
)
_ANXIOUS_SIDE = (
    C(
        "Ask for what you need directly, instead of hoping your partner will guess it "
        "(for example: 'I feel disconnected lately; could we plan time together this week?').",
        LASTING_BONDS,
    ),
    C("Soothe yourself first, then reach out; let some distance be tolerable.", None),
)
_AVOIDANT_SIDE = (
    C(
        "In a disagreement, stay present and engaged rather than withdrawing or shutting down.",
        DEVELOP_IT,
    ),
    C("Name one feeling out loud, even briefly, and say when you will come back.", None),
)
_FEARFUL_SIDE = (
    C("Grounding and safety first; small, steady steps of trust.", None),
    C(
        "Couples therapy can help even a basically healthy relationship work on attachment "
        "patterns together.",
        DEVELOP_IT,
    ),
)
_SECURE_SIDE = (
    C(
        "Be a steady base: consistent, reliable, warm; calm words like 'I'm here, we'll figure "
        "this out together'.",
        LASTING_BONDS,
    ),
)
SIDE_HELPS: dict[Style, tuple[C, ...]] = {
    Style.ANXIOUS: _ANXIOUS_SIDE,
    Style.AVOIDANT: _AVOIDANT_SIDE,
    Style.FEARFUL: _FEARFUL_SIDE,
    Style.SECURE: _SECURE_SIDE,
}

_READINGS: dict[Combination, tuple[str, tuple[C, ...], tuple[C, ...]]] = {
    Combination.PURSUE_WITHDRAW: (
        "Anxious with avoidant: the pursue–withdraw cycle",
        (
            C(
                "One of you tends to reach for closeness when the bond feels uncertain; the "
                "other tends to step back when closeness feels like pressure. Each step feeds "
                "the other: the more one pursues, the more the other withdraws, and the more "
                "the other withdraws, the more the first pursues.",
                None,
            ),
            C(
                "A partner who comes very close and then withdraws or stonewalls, unpredictably, "
                "can leave even a secure person feeling anxious.",
                SIMPLY_PSYCHOLOGY,
            ),
            C(
                "The cycle is a pattern between you, not a fault in either of you; naming it "
                "together is the first step out of it.",
                None,
            ),
        ),
        (_REPAIR, _RITUALS),
    ),
    Combination.BOTH_ANXIOUS: (
        "Both anxious",
        (
            C(
                "You both value closeness and may both look for reassurance at the same moment, "
                "so worry can rise on both sides at once instead of one of you calming it.",
                None,
            ),
        ),
        (_COREG, _REPAIR),
    ),
    Combination.BOTH_AVOIDANT: (
        "Both avoidant",
        (
            C(
                "You both value independence. Things may feel calm, but feelings can go "
                "unsaid and distance can grow without either of you noticing.",
                None,
            ),
        ),
        (
            _RITUALS,
            C(
                "An emotion check-in: pause and ask 'what am I feeling right now, and what do "
                "I need?'",
                LASTING_BONDS,
            ),
        ),
    ),
    Combination.SECURE_BASE: (
        "Secure with insecure: a steady base",
        (
            C(
                "Close relationships with securely attached partners can play a pivotal role "
                "in the growth of someone with an insecure pattern; romantic partners can "
                "become a source of comfort and felt security.",
                SIMPLY_PSYCHOLOGY,
            ),
            C(
                "Security can be built inside a consistent, dependable relationship, though "
                "it is generally thought to take a long time.",
                SIMPLY_PSYCHOLOGY,
            ),
        ),
        (_REPAIR, _RITUALS),
    ),
    Combination.BOTH_SECURE: (
        "Both secure",
        (
            C(
                "You both tend to find closeness safe and independence fine. Security is kept "
                "by practice, not only found: the rituals and repair that keep it.",
                None,
            ),
        ),
        (_RITUALS, _REPAIR),
    ),
    Combination.FEARFUL: (
        "One or both of you fearful-avoidant",
        (
            C(
                "A fearful-avoidant pattern can want closeness and fear it at once, so one "
                "partner may both reach out and pull away; the pair can swing between "
                "pursuing and withdrawing.",
                None,
            ),
        ),
        (_COREG, _REPAIR),
    ),
}


def read_pair(a: Style, b: Style) -> PairReading:
    combo = combination(a, b)
    title, explanation, both = _READINGS[combo]
    return PairReading(combo, title, explanation, both, {s: SIDE_HELPS[s] for s in {a, b}})
