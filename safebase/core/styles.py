"""The four attachment patterns in plain words (Bartholomew & Horowitz, 1991; Hazan & Shaver, 1987;
Mikulincer & Shaver, 2007).

The descriptions, "strengths" and "what to practise next" are safebase's own summary — of that
literature and of the practice articles safebase was founded on (../shared/source-material) — not
findings computed from a person's answers and not the questionnaire authors' words. Each summary
ends with ``SUMMARY_BASIS`` so the label travels with the text wherever it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Style(StrEnum):
    SECURE = "secure"
    ANXIOUS = "anxious-preoccupied"
    AVOIDANT = "dismissing-avoidant"
    FEARFUL = "fearful-avoidant"


SUMMARY_BASIS = (
    "This description, the strengths and the practice ideas are safebase's own summary of what "
    "the attachment literature says about this pattern in general; they are not computed from "
    "your answers."
)


@dataclass(frozen=True)
class StyleDescription:
    title: str
    summary: str
    strengths: tuple[str, ...]
    growth: tuple[str, ...]


_DESCRIPTIONS: dict[Style, StyleDescription] = {
    Style.SECURE: StyleDescription(
        "Secure",
        "Low anxiety and low avoidance: closeness feels safe and you can also be on your own. "
        "You tend to trust that people who matter will respond, and to say what you need.",
        (
            "Asking for and giving support",
            "Repairing after conflict",
            "Comfort with closeness and with independence",
        ),
        (
            "Keep the rituals that sustain connection",
            "Support the security of the people around you",
            "Notice which relationships feel less secure than others",
        ),
    ),
    Style.ANXIOUS: StyleDescription(
        "Anxious-preoccupied",
        "Higher anxiety, lower avoidance: you value closeness and may worry about being left "
        "or not valued as much as you value others; distance can feel alarming.",
        ("Warmth and emotional attunement", "Commitment and investment in relationships"),
        (
            "Self-soothing before reaching out",
            "Direct requests instead of protest",
            "Checking catastrophic beliefs such as 'people always leave'",
            "Tolerating distance",
        ),
    ),
    Style.AVOIDANT: StyleDescription(
        "Dismissing-avoidant",
        "Lower anxiety, higher avoidance: independence feels safest and depending on others, "
        "or having them depend on you, can feel uncomfortable.",
        ("Self-reliance", "Staying calm under pressure"),
        (
            "Naming feelings",
            "Graduated vulnerability",
            "Asking for and accepting support",
            "Staying present in conflict",
        ),
    ),
    Style.FEARFUL: StyleDescription(
        "Fearful-avoidant",
        "Higher anxiety and higher avoidance: you may want closeness and fear it at the same "
        "time, so relationships can feel both needed and unsafe.",
        ("Deep sensitivity to others", "Capacity for insight into relationship patterns"),
        (
            "Grounding and safety first",
            "Small trust experiments",
            "Working with an attachment-informed therapist is recommended",
        ),
    ),
}

DESCRIPTIONS: dict[Style, StyleDescription] = {
    style: StyleDescription(d.title, f"{d.summary} {SUMMARY_BASIS}", d.strengths, d.growth)
    for style, d in _DESCRIPTIONS.items()
}

NOT_A_DIAGNOSIS = (
    "safebase is not a diagnosis. These scores describe how you answered today; they are a "
    "starting point for reflection. If relationships or your mood are causing you distress, "
    "please talk to a qualified mental-health professional."
)
