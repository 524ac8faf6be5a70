"""Twelve signs of a secure partner, as a reflection checklist (not a measure).

The list is simplypsychology.org's "Signs you are dating a person with a secure attachment"
(``sources.SIMPLY_PSYCHOLOGY``), in safebase's words, each sign written twice: about a partner
("they") and about oneself ("I"). Ticking signs is reflection, never a score: nothing here is
validated, so nothing is added up into a number.
"""

from __future__ import annotations

from dataclasses import dataclass

from safebase.core.couple.sources import SIMPLY_PSYCHOLOGY, Source

LABEL = "Reflection, not a measure"
SOURCE: Source = SIMPLY_PSYCHOLOGY


@dataclass(frozen=True)
class Sign:
    number: int
    about_partner: str
    about_self: str


SIGNS: tuple[Sign, ...] = (
    Sign(
        1,
        "They keep communication direct: I know where I stand with them.",
        "I keep communication direct, so people know where they stand with me.",
    ),
    Sign(
        2,
        "They are open about what they want from a partner and a relationship.",
        "I am open about what I want from a partner and a relationship.",
    ),
    Sign(
        3,
        "They are at ease being vulnerable: sharing feelings, experiences and fears.",
        "I am at ease being vulnerable: sharing feelings, experiences and fears.",
    ),
    Sign(4, "They are warm and empathetic.", "I am warm and empathetic."),
    Sign(5, "Being around them makes me feel safe.", "People tend to feel safe around me."),
    Sign(
        6,
        "They are interdependent: fine on their own and fine together.",
        "I am interdependent: fine on my own and fine together.",
    ),
    Sign(7, "They show affection with confidence.", "I show affection with confidence."),
    Sign(
        8,
        "I can get close to them, emotionally and physically.",
        "I let a partner get close to me, emotionally and physically.",
    ),
    Sign(
        9,
        "They speak about former partners with respect.",
        "I speak about former partners with respect.",
    ),
    Sign(
        10,
        "They see the world as mostly safe and trust others fairly easily.",
        "I see the world as mostly safe and trust others fairly easily.",
    ),
    Sign(
        11,
        "They want me to have interests of my own outside our relationship.",
        "I want my partner to have interests of their own outside our relationship.",
    ),
    Sign(
        12,
        "They respect my needs and boundaries, and set their own.",
        "I respect my partner's needs and boundaries, and set my own.",
    ),
)

ABOUT = ("self", "partner")


def statements(about: str) -> list[tuple[int, str]]:
    """(number, sentence) for a checklist about oneself or about a partner."""
    if about not in ABOUT:
        raise ValueError(f"about must be one of {ABOUT}, not {about!r}")
    return [(s.number, s.about_self if about == "self" else s.about_partner) for s in SIGNS]
