"""Emotion vocabulary for check-ins, in families as on an emotion wheel, and the needs behind them.

Families follow the common wheel layout (after Willcox, 1982, "The Feeling Wheel", Transactional
Analysis Journal 12(4), 274–276): a core feeling and finer words around it. A word list, not a
measure.
"""

from __future__ import annotations

EMOTION_FAMILIES: dict[str, tuple[str, ...]] = {
    "joy": ("happy", "content", "grateful", "hopeful", "proud", "relieved", "playful", "excited"),
    "love": ("loving", "tender", "warm", "close", "trusting", "cared for", "affectionate"),
    "calm": ("peaceful", "safe", "relaxed", "settled", "secure", "grounded"),
    "sadness": ("sad", "lonely", "disappointed", "hurt", "grieving", "empty", "discouraged"),
    "fear": (
        "anxious",
        "worried",
        "scared",
        "insecure",
        "overwhelmed",
        "panicky",
        "nervous",
        "rejected",
    ),
    "anger": ("angry", "frustrated", "irritated", "resentful", "jealous", "betrayed", "annoyed"),
    "shame": ("ashamed", "embarrassed", "guilty", "inadequate", "exposed", "unworthy"),
    "disconnection": ("numb", "detached", "withdrawn", "bored", "distant", "smothered", "trapped"),
    "surprise": ("surprised", "confused", "shocked", "curious", "unsettled"),
}

NEEDS: tuple[str, ...] = (
    "comfort",
    "space",
    "reassurance",
    "connection",
    "rest",
    "understanding",
    "support",
    "fun",
    "honesty",
    "respect",
    "safety",
    "independence",
)

WORD_TO_FAMILY: dict[str, str] = {w: fam for fam, words in EMOTION_FAMILIES.items() for w in words}


def family_of(word: str) -> str | None:
    return WORD_TO_FAMILY.get(word.strip().lower())
