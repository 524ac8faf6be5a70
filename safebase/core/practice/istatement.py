"""A rule-based I-statement coach: flags blaming phrasings and offers an "I feel … when …" frame.

Why rules and not a model: every flag must point at the exact words that triggered it and say in
one plain sentence why those words tend to escalate a conversation. A person practising a new habit
needs to see *what* to change, and we need to be able to read every rule to know the coach never
judges the person. The patterns follow the communication-skills literature
(Gordon's I-messages; Gottman's "criticism" and "contempt"; the cognitive-distortion names
"mind reading" and "labelling").

Kinds, kept small on purpose:

``absolute``      "you never / always / constantly", "every time you …": a moment becomes a verdict.
``you_make_me``   "you make me (feel) …" — hands responsibility for my feeling to the other person.
``blame``         "it's your fault", "you ruined …" — assigns fault instead of describing an event.
``mind_reading``  "you don't care", "you did that on purpose" — states the other's motive as fact.
``name_calling``  "you're so selfish", "you idiot" — a label about the person, not the behaviour.
``contempt``      "real mature", "grow up", "must be nice to…" — sarcasm and dismissal.
``threat``        "if you go out tonight, don't bother coming back", "one more lie and I'm leaving":
                  an ultimatum makes the other person choose under fear instead of talking.
``command``       "Shut up.", "Give me the keys.": an order at the start of a sentence, without
                  "please" or "could you", ends the conversation instead of asking.
``character_attack`` "why are you like this?", "you're just like your mother": the person, not
                  the behaviour, is the problem.

Choices that avoid false alarms (a false flag on a kind sentence discourages the user more than a
miss does):

* Only second-person subjects are checked: "I always feel better when we talk" and "He never calls"
  are out of scope.
* Praise is not flagged. "always/constantly + positive predicate" ("you always make me laugh") and
  "never + a negative verb" ("you never judge me") are suppressed with small word lists.
* Genuine yes/no questions ("Do you always work on Fridays?", "Did you do that on purpose?") are not
  flagged: asking is the healthy alternative to asserting. Rhetorical wh-questions ("Why do you
  always …?") are flagged.
* "Every time you / whenever you" is a time phrase that is often neutral, so it is flagged only
  when the sentence also carries a complaint cue (late, yell, don't even, …).
* Text inside double quotes is reported speech ("My mom always said, 'You're so lazy'") and skipped.

Offsets are into the caller's original string: normalisation (curly apostrophes, case) keeps length.

Where things live (this module keeps the public names; callers import from here):

* ``coach_rules/*.toml``, read by ``coach_rules.py``: the rules themselves, one file per kind,
  each with its pattern, the hint the person sees and sentences it must and must not flag, so
  that every rule can be reviewed without reading Python.
* ``coach_flags.py``: running the rules and the checks that are code (praise, questions,
  softeners, misspelt insults, warmth after a tease): ``find_flags``.
* ``coach_rewrite.py``: whether the text is already an I-statement, and the rewrite frame.
* ``coach_gate.py``: where the learned model (``coach_model.py``) may add a "tone" flag.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from safebase.core.practice.coach_flags import (
    INSULTS,
    KINDS,
    Flag,
    _normalise,
    find_flags,
    rule_matches,
)
from safebase.core.practice.coach_gate import _model_flags, model_may_flag, model_sentences
from safebase.core.practice.coach_rewrite import (
    REWRITE_FEELINGS,
    _is_i_statement,
    rewrite_frame,
    rewrite_is_well_formed,
)

__all__ = [
    "INSULTS",
    "KINDS",
    "MAX_CHARS",
    "REWRITE_FEELINGS",
    "CoachResult",
    "Flag",
    "check_statement",
    "find_flags",
    "model_may_flag",
    "model_sentences",
    "rewrite_frame",
    "rewrite_is_well_formed",
    "rule_matches",
]


@dataclass(frozen=True)
class CoachResult:
    flags: list[Flag] = field(default_factory=list)
    is_i_statement: bool = False
    rewrite: str | None = None

    @property
    def kinds(self) -> set[str]:
        return {f.kind for f in self.flags}


# The coach reads at most this many characters: it is for a sentence or a short message, and
# a cap keeps its time bounded for any input (tests/core/test_istatement.py checks time grows
# linearly up to the cap).
MAX_CHARS: Final = 4000


def check_statement(text: str) -> CoachResult:
    """Flags with spans and reasons, whether it's already an I-statement, and a rewrite frame.

    The rules speak first; the learned model (``coach_model``) adds a "tone" flag on a sentence
    no rule spoke about. Reads the first ``MAX_CHARS`` characters of ``text``; spans point into
    ``text``."""
    text = text[:MAX_CHARS]
    flags = find_flags(text)
    flags = sorted(
        flags + _model_flags(text, flags), key=lambda f: (f.span[0], KINDS.index(f.kind))
    )
    is_i = not flags and _is_i_statement(_normalise(text), more_shapes=True)
    return CoachResult(flags=flags, is_i_statement=is_i, rewrite=rewrite_frame(text, flags))
