"""Where the learned model (``coach_model``) may speak, and its "tone" flags.

Why a gate: the model learned surface cues from examples and cannot tell praise, reported
speech, a genuine question or a sentence about someone else from blame; the rules and their
checks can, so those sentences are left to them. ``scripts/train_coach_model.py`` trains and
scores the model on the same sentences (``model_sentences``), so a change here makes the shipped
model stale.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from safebase.core.practice import coach_model
from safebase.core.practice.coach_flags import (
    _ALL_RULES,
    _COMPLAINT,
    _POSITIVE,
    _YOU,
    Flag,
    _accept,
    _facts,
    _has_any,
    _normalise,
    _sentences,
    _warmth_follows,
)
from safebase.core.practice.coach_rewrite import _is_i_statement


def model_sentences(text: str) -> list[str]:
    """The folded sentences of ``text`` the learned model may read (``model_may_flag``)."""
    norm = _normalise(text)
    return [
        norm[s:e].strip() for s, e in _sentences(norm) if model_may_flag(norm[s:e].strip(), norm)
    ]


def _model_flags(text: str, rule_flags: list[Flag]) -> list[Flag]:
    """A "tone" flag on each sentence no rule spoke about that the learned model reads as a
    problem (at the threshold chosen across authors), pointing at the words that weighed
    most."""
    if not coach_model.available():
        return []
    norm = _normalise(text)
    out = []
    starts = sorted(f.span[0] for f in rule_flags)
    for s, e in _sentences(norm):
        i = bisect_left(starts, s)
        if i < len(starts) and starts[i] < e:
            continue  # a rule already explains this sentence
        lead = len(norm[s:e]) - len(norm[s:e].lstrip())
        sentence = norm[s:e].strip()
        if not model_may_flag(sentence, norm):
            continue
        if coach_model.problem_probability(sentence) < coach_model.threshold():
            continue
        span = coach_model.heaviest_words(sentence)
        if span is None:
            continue
        a, b = s + lead + span[0], s + lead + span[1]
        if _warmth_follows("tone", norm, b):
            continue  # "your dancing is a crime and I'm obsessed with it": a tease
        named = ", ".join(
            f"'{text[s + lead + x : s + lead + y]}'" for x, y in coach_model.top_words(sentence)
        )
        why = (
            f"The words that weighed most here ({named}) mostly came in sentences read as "
            "blame, contempt, an order or a brush-off in the examples the coach learned from (a "
            "pattern, not a rule, and it can be wrong); if that is not what you meant, say what "
            "happened and how you felt, or ask for what you need."
        )
        out.append(Flag("tone", (a, b), text[a:b], why))
    return out


# ---------------------------------------------------------------- where the learned model may speak

_REPORTED = re.compile(
    r"[\"]|\b(?:said|says|told|tells|used\s+to\s+say|asked\s+me|called\s+me|texted|wrote)\b"
)
_QUESTION_START = re.compile(
    r"^\s*(?:is|are|was|were|do|does|did|can|could|would|will|have|has|should|shall|may)\b"
)
_THIRD_PERSON_START = re.compile(
    r"^\s*(?:he|she|they|his|her|their|my|our|the|your\s+(?:mum|mom|dad|mother|father|sister"
    r"|brother|grandad|grandpa|grandma|nan|gran|boss|friend|friends|parents|family|ex|aunt"
    r"|uncle|cousin|kids|son|daughter))\b"
)
_IDIOMS = re.compile(
    r"\b(?:never\s+mind|you\s+never\s+know|never\s+again|you\s+don'?t\s+(?:have|need)\s+to"
    r"|not\s+your\s+fault|(?:that'?s|it'?s)\s+on\s+me|my\s+(?:fault|bad)|i\s+was\s+wrong"
    r"|what\s+do\s+you\s+think\s*\?|how\s+do\s+you\s+feel|what\s+would\s+you\s+like)"
)
# Words of praise the model confused with contempt in the tenth session's set CN ("you're a
# genius, the kids ate the broccoli", "baby you killed that presentation"): in a sentence with no
# complaint word the model stays quiet and the rules, which read sarcasm shapes ("a real hero."),
# speak alone.
_PRAISE = {
    "genius",
    "hero",
    "wizard",
    "miracle worker",
    "saint",
    "legend",
    "superstar",
    "rock star",
    "perfectly",
    "outdid yourself",
    "nailed it",
    "killed it",
    "killed that",
    "smashed it",
    "the best",
    "favourite",
    "favorite",
    "impressive",
    "incredible",
    "awesome",
    "proud of",
    "calmest",
    "smartest",
    "kindest",
    "sweetest",
    "bravest",
    "funniest",
}
_PRAISE_OR_POSITIVE = frozenset(_POSITIVE | _PRAISE)  # built once; read for every sentence
_SPEAKER_START = re.compile(r"^\s*(?:i|i'm|i've|i'd|i'll|me|we|we're|let's|let\s+me)\b")
_REFRAME = re.compile(
    r"^\s*(?:you'?re|you\s+are|ur)\s+not\s+(?:\w+\s+){0,3}?\w+\s*[,;]\s*(?:you'?re|you\s+are|ur)\s+"
)


def model_may_flag(sentence: str, whole: str = "") -> bool:
    """Whether the learned model's word may stand for ``sentence`` of the folded text ``whole``.

    The model learned surface cues ("you never", "you make me") from examples and cannot tell
    praise, reported speech, a genuine question or a sentence about someone else from blame;
    the rules can, so those sentences are left to the rules: reported speech, a yes/no question,
    sincere thanks or praise, a sentence about a third person, a sentence that starts with the
    speaker ("I …", "we …", "let's …"), and idioms ("never mind")."""
    s = sentence.strip()
    if _REPORTED.search(s) or _IDIOMS.search(s):
        return False
    if s.endswith("?") and not re.match(r"\s*(?:why|how|what|who|since\s+when)\b", s):
        return False  # a yes/no or tag question asks; rhetorical wh-questions stay in view
    if _QUESTION_START.match(s) and not re.search(r"[.!]$", s):
        return False  # "do you want to talk about it": a question typed without its mark
    if _REFRAME.match(s):
        return False  # "you're not lazy, you're exhausted": a reassurance; the model misses "not"
    if _is_i_statement(s) and not re.search(rf"\b{_YOU}\b", s):
        return False  # owning a feeling ("it embarrasses me")
    for rule in _ALL_RULES:
        if rule.check in ("polarity", "complaint"):
            for m in rule.pattern.finditer(s):
                if not _accept(rule, s, m.group(0), m.end(), (0, len(s))):
                    return False  # "you never judge me", "thanks to you, I passed": praise
    facts = _facts(whole or s)
    if facts.sincere:
        return False
    if len(s.split()) <= 3 and not re.search(rf"\b{_YOU}\b|\byour?\b", s):
        return False  # "Just checking.": short dismissals ("Fine.", "k") are the rules' to read
    if facts.request:
        return False  # a request, however it is worded, and the sentences around it
    if _has_any(s, _PRAISE_OR_POSITIVE) and not _has_any(s, _COMPLAINT):
        return False  # praise: the rules read "you always make me laugh" as praise too
    # A sentence about someone else, or one that starts with the speaker, is the rules' to read.
    return not (_THIRD_PERSON_START.match(s) or _SPEAKER_START.match(s))
