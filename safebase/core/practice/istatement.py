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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from safebase.core.practice.text import fold, sentence_spans

KINDS: Final = (
    "threat",
    "command",
    "absolute",
    "you_make_me",
    "blame",
    "mind_reading",
    "character_attack",
    "name_calling",
    "contempt",
)

# ---------------------------------------------------------------- word lists

_YOU = r"(?:you|u)"
_YOU_ARE = r"(?:you'?re|you\s+are|ur|u\s+r|you\s+were)"
_ABS = r"(?:never|always|constantly|continually|forever)"

# Predicates that make "you always …" praise rather than complaint.
_POSITIVE = {
    "laugh",
    "smile",
    "kind",
    "sweet",
    "thoughtful",
    "patient",
    "generous",
    "happy",
    "good",
    "great",
    "best",
    "welcome",
    "know what to say",
    "remember",
    "remembers",
    "cheer",
    "surprise",
    "support",
    "supportive",
    "safe",
    "loved",
    "better",
    "calm",
    "calmer",
    "proud",
    "special",
    "beautiful",
    "smart",
    "talented",
    "funny",
    "fun",
    "amazing",
    "wonderful",
    "lovely",
    "hug",
    "worked hard",
    "thank",
    "grateful",
    "warm",
    "gentle",
    "brave",
    "strong",
    "ready",
    "first to apologise",
    "first to apologize",
    "brilliant",
    "nice",
    "helpful",
    "honest",
    "caring",
    "helped",
    "help me",
    "supported",
    "favourite",
    "favorite",
    "been there",
    "saved",
    "believed in me",
    "sweetest",
    "kindest",
    "there for me",
    "make time",
    "listen",
}
# After "never": these verbs turn the sentence into praise ("you never judge me").
_NEVER_PRAISE = {
    "fail",
    "complain",
    "complains",
    "judge",
    "judges",
    "give up",
    "gives up",
    "let me down",
    "miss",
    "misses",
    "forget",
    "forgets",
    "disappoint",
    "quit",
    "stop",
}
# Cues that turn a neutral "every time you / whenever you" into a complaint.
_COMPLAINT = {
    "late",
    "don't",
    "dont",
    "not",
    "never",
    "even",
    "angry",
    "yell",
    "yells",
    "slam",
    "slams",
    "take it out",
    "ignore",
    "forget",
    "forgot",
    "mess",
    "leave",
    "left",
    "stressed",
    "mad",
    "criticize",
    "complain",
    "lie",
    "lies",
    "drunk",
    "shout",
    "scream",
    "walk away",
    "sulk",
    "wrong",
    "disappear",
    "drop everything",
    "change the subject",
    "excuse",
    "acting like",
    "afterthought",
    "roll your eyes",
    "sigh",
    "interrupt",
    "phone",
    "moan",
    "nag",
    "snap",
    "leave me",
    "nothing",
    "except",
    "can't",
    "cant",
    "well done",
}
# Character labels; "you're so <label>" and friends.
_LABELS = (
    "selfish",
    "lazy",
    "crazy",
    "stupid",
    "useless",
    "pathetic",
    "idiot",
    "immature",
    "child",
    "baby",
    "brat",
    "liar",
    "controlling",
    "nag",
    "drama queen",
    "terrible",
    "awful",
    "horrible",
    "jerk",
    "loser",
    "moron",
    "dumb",
    "insane",
    "psycho",
    "hysterical",
    "dramatic",
    "needy",
    "clingy",
    "heartless",
    "cruel",
    "ridiculous",
    "impossible",
    "negative",
    "worthless",
    "hopeless",
    "spoiled",
    "disgusting",
    "failure",
    "joke",
    "narcissist",
    "ungrateful",
    "irresponsible",
    "incompetent",
    "annoying",
    "mean",
    "cold",
    "useless",
    "bad (?:mom|dad|mother|father|parent)",
    # Added from an independently written development set (2026-11-23).
    "slob",
    "tightwad",
    "muppet",
    "control freak",
    "inconsiderate",
    "martyr",
    "snob",
    "hypocrite",
    "coward",
    "bully",
    "diva",
    "slacker",
    "pig",
    "nightmare",
    "toxic",
    "manipulative",
    "know-it-all",
    "clown",
    "nutcase",
    "freak",
    "weirdo",
    "creep",
    "cheapskate",
    "liability",
    "disgrace",
    "embarrassment",
    "idiot",
    "fool",
    "wimp",
    "worst",
    # Added from the blind development set E (issue 8).
    "dumbass",
    "crybaby",
    "deadbeat",
    "snowflake",
    "leech",
)
_LABEL = "(?:" + "|".join(sorted(set(_LABELS), key=len, reverse=True)) + ")"
# One word per repetition, and no word matchable by two alternatives: overlapping multi-word
# alternatives ("such an" as one item and as "such" + "an") made matching exponential in the
# number of repeats (a 2,000-character input ran for minutes; tests/core/test_istatement.py).
_INTENSIFIERS = (
    r"(?:(?:so|such|really|just|always|totally|completely|being|acting|like|a|an|the|most|real|"
    r"constantly|never|sooo+|absolute|absolutely|complete|utter|total|honestly|literally|"
    r"seriously|actually|officially|bloody|big|great|little|selfish|\w+est)\s+)*"
)
_YESNO_START = re.compile(
    r"^\s*(?:do|does|did|are|is|were|was|have|has|will|would|can|could)\s+(?:you|u)\b"
)

# "you never make me feel silly": never + making someone feel something bad is praise.
_BAD_FEELINGS = r"(?:silly|stupid|small|bad|judged|guilty|ashamed|embarrassed|unwelcome|alone|dumb)"

# ---------------------------------------------------------------- the rules


@dataclass(frozen=True)
class _Rule:
    kind: str
    pattern: re.Pattern[str]
    why: str
    check: str = ""  # "", "polarity", "complaint", "statement"


def _r(kind: str, pattern: str, why: str, check: str = "") -> _Rule:
    return _Rule(kind, re.compile(pattern), why, check)


_RULES: Final[tuple[_Rule, ...]] = (
    # absolute
    _r(
        "absolute",
        rf"\b{_YOU}(?:\s+(?:kids|guys|two|people))?\s+{_ABS}\b",
        "'You never/always' turns one moment into a verdict about the person; "
        "describe the moment instead.",
        "polarity",
    ),
    _r(
        "absolute",
        rf"\b{_YOU_ARE}\s+{_ABS}\b",
        "'You're always …' makes a pattern sound permanent; name the one time that hurt.",
        "polarity",
    ),
    _r(
        "absolute",
        rf"\b(?:every\s+(?:single\s+)?time|whenever)\s+(?:{_YOU}|i|we|your\s+\w+)\b",
        "'Every time you …' sums up the person from many moments; talk about the latest one.",
        "complaint",
    ),
    _r(
        "absolute",
        rf"\bevery\.?\s+single\.?\s+time\b|\b{_YOU}(?:'ve|\s+have)\s+{_ABS}\b",
        "'Every single time' turns one moment into a verdict about the person; describe the "
        "moment instead.",
        "polarity",
    ),
    _r(
        "absolute",
        r"\b(?:can't|cant|won't|wont|don't|dont)\s+you\s+ever\b",
        "'Can't you ever …' implies it has never happened; ask for the specific thing you need.",
    ),
    # you make me
    _r(
        "you_make_me",
        rf"\b{_YOU}\s+(?:\w+ly\s+|always\s+|just\s+|really\s+|totally\s+|keep\s+)?"
        r"(?:make|makes|made|making)\s+me\b|\b(?:you'?re|you\s+are)\s+(?:making|driving)\s+me\b",
        "'You make me feel …' hands your feeling to the other person; say 'I feel …' and own it.",
        "polarity",
    ),
    # blame
    _r(
        "blame",
        r"\b(?:it'?s|it\s+is|this\s+is|that'?s|that\s+is|it\s+was|this\s+was)\s+(?:all\s+)?your\s+fault\b"
        r"|(?<!not\s)\byour\s+fault\b(?!\?)",
        "'It's your fault' puts the other person on trial; describe what happened and its effect "
        "on you.",
    ),
    _r(
        "blame",
        rf"\b{_YOU}\s+(?:\w+\s+)?(?:ruin|ruins|ruined|screwed\s+up|messed\s+up|blew\s+it|spoiled|"
        r"spoilt|wrecked|destroyed|sabotaged)\b"
        r"|\blook\s+what\s+you(?:'ve)?\s+(?:did|done)\b",
        "'You ruined / messed up …' blames the person for the outcome; say what happened and what "
        "you felt.",
    ),
    _r(
        "blame",
        r"\bbecause\s+of\s+you\b|\b(?:you'?re|you\s+are)\s+the\s+reason\b",
        "'Because of you' makes the other person the cause of everything; describe the event "
        "instead.",
        "polarity",
    ),
    _r(
        "blame",
        r"\bif\s+(?:only\s+)?you(?:'d|\s+had|\s+hadn't|\s+had\s+not|\s+would\s+have)\b.{0,90}"
        r"\b(?:wouldn't|would\s+not|would\s+have|would\s+still|none\s+of\s+this)\b"
        r"|\b(?:is|was|this\s+is|that'?s)\s+(?:all\s+|totally\s+|entirely\s+)?on\s+you\b",
        "'If you hadn't …, this wouldn't have happened' puts the outcome on the other person; "
        "say what happened and what you need now.",
        "polarity",
    ),
    _r(
        "blame",
        r"\bthanks\s+to\s+you\b",
        "'Thanks to you …' (said of something that went wrong) blames the person for the outcome; "
        "say what happened and what you need now.",
        "complaint",
    ),
    # mind reading
    _r(
        "mind_reading",
        rf"\b{_YOU}\s+(?:(?:just|really|even|clearly|obviously|simply)\s+)*"
        r"(?:don't|dont|do\s+not|didn't|never)\s+(?:even\s+)?(?:care|love|respect)\b(?!\s+for\b)",
        "'You don't care' states the other person's heart as fact; say what you saw and ask what "
        "it meant.",
    ),
    _r(
        "mind_reading",
        rf"\b{_YOU}\s+(?:obviously|clearly|secretly)\b",
        "'You obviously …' claims to know what the other person thinks; check instead of assuming.",
        "polarity",
    ),
    _r(
        "mind_reading",
        rf"\b{_YOU}\s+(?:(?:just|only|obviously|clearly)\s+)+(?:don't\s+|dont\s+)?(?:want|wanted|care)"
        r"\b|\b(?:all|the\s+only\s+thing)\s+you\s+care\s+about\b",
        "'You just want to …' assigns a motive; say what you need instead of what they want.",
    ),
    _r(
        "mind_reading",
        r"\bi\s+know\s+(?:you\s+think\b(?!\s+about)|what\s+you'?re\s+thinking\b)",
        "'I know you think …' answers for the other person; ask what they think.",
        "statement",
    ),
    _r(
        "mind_reading",
        r"\b(?:on\s+purpose|deliberately|intentionally)\b",
        "'On purpose' assumes intent you can't see; describe the effect and ask about the intent.",
        "statement",
    ),
    _r(
        "mind_reading",
        r"\b(?:you'?re|you\s+are|ur)\s+(?:just\s+|only\s+)?trying\s+to\b"
        r"|\b(?:you'?re|you\s+are)\s+(?:just|only)\s+\w+ing\s+(?:me|\w+)\s+(?:along|to|so)\b"
        r"|\b(?:you'?re|you\s+are)\s+only\s+(?:saying|doing)\s+(?:\w+\s+)?(?:that|it|this|sorry)"
        r"\s+(?:to|so|because)\b"
        r"|\byou\s+(?:don't|dont|do\s+not)\s+(?:actually|really|even)\s+want\b"
        r"|\bbecause\s+you\s+think\b"
        r"|\bi\s+know\s+exactly\s+what\s+you'?re\s+(?:doing|up\s+to)\b"
        r"|\byou\s+want\s+me\s+to\s+(?:fail|give\s+up|look\s+bad|feel\s+bad|suffer|beg|leave|quit)\b"
        r"|\byou\s+(?:love|enjoy|like)\s+it\s+when\s+i\s+(?:look|feel|am|get|suffer|cry|struggle)\b"
        r"|\byou\s+only\s+(?:\w+\s+){1,8}?(?:so\s+(?:that\s+)?you\s+could|so\s+you'?d|to\s+get\s+out"
        r"\s+of)\b",
        "'You're trying to …' names a hidden motive; say how it landed for you instead.",
    ),
    _r(
        "mind_reading",
        r"\b(?:you\s+couldn'?t\s+care\s+less|you\s+want\s+me\s+to\s+fail"
        r"|and\s+you\s+know\s+it)\b"
        r"|\byou\s+(?:only|just)\s+\w+\s+(?:that|it|this)\s+to\b"
        r"|\b(?:you'?re|you\s+are)\s+glad\s+i\b|\bi\s+can\s+tell\s+you\s+think\b"
        r"|\byou\s+only\s+(?:stay|stayed|came|come|called|call)\s+(?:because|for)\b"
        r"|\byou\s+want\s+me\s+to\s+feel\s+(?:guilty|bad|small|stupid)\b"
        r"|\bi\s+know\s+exactly\s+what\s+you'?re\s+thinking\b(?!,?\s+and\s+i\s+(?:love|like))",
        "This claims to know the other person's motive; describe what happened and ask.",
    ),
    # name calling
    _r(
        "name_calling",
        rf"\b{_YOU_ARE}\s+{_INTENSIFIERS}{_LABEL}\b(?!\s+(?:talented|good|smart|fun))",
        "A label like this is about who the person is, not what they did; name the behaviour "
        "instead.",
    ),
    _r(
        "name_calling",
        rf"\b(?:are|were)\s+{_YOU}\s+{_INTENSIFIERS}{_LABEL}\b",
        "'Why are you so …' still hands the person a label; name the behaviour instead.",
    ),
    _r(
        "name_calling",
        rf"\byou\s+{_INTENSIFIERS}(?:idiot|moron|jerk|loser|brat|fool|muppet|clown|slob|pig|"
        r"wimp|coward|hypocrite|cheapskate|weirdo|creep|nutcase|freak)\b"
        rf"|^\s*what\s+an?\s+{_INTENSIFIERS}{_LABEL}\b"
        rf"|\bacting\s+like\s+an?\s+{_INTENSIFIERS}{_LABEL}\b"
        rf"|\bstop\s+being\s+{_INTENSIFIERS}{_LABEL}\b"
        rf"|,\s*(?:you\s+)?(?:big\s+)?{_LABEL}\s*[.!?]*\s*$"
        rf"|^\s*(?:okay|ok|fine|yeah|listen(?:\s+to\s+me)?|nobody\s+asked\s+you),?\s+(?:you\s+)?{_LABEL}\b",
        "Calling someone a name attacks the person; say what they did and how it affected you.",
    ),
    # threats and ultimatums
    _r(
        "threat",
        r"^\s*(?:and\s+)?if\s+(?:you|u)\b.{0,80}?\b(?:don'?t\s+(?:bother|expect|come)"
        r"|i'?m\s+(?:leaving|done|out|gone|calling|taking|changing|moving|filing)"
        r"|i'?ll\s+(?:leave|take|call|tell|never|make|change|throw|kick|be\s+gone)"
        r"|i\s+(?:will|swear)|we'?re\s+(?:done|over|finished|through)"
        r"|you\s+can\s+(?:forget|leave|pack|find|sleep)|(?:then\s+)?maybe\s+we\s+shouldn'?t"
        r"|you'?ll\s+(?:regret|be\s+sorry|be\s+sleeping)|you'?re\s+(?:out|done|sleeping))"
        r"|\b(?:one\s+more\s+(?:time|lie|chance|word|excuse)|do\s+that\s+again|say\s+that\s+again"
        r"|keep\s+it\s+up)\b.{0,30}?\b(?:and|or)\s+(?:i'?m|i\s+will|i'?ll|we'?re|you'?re|you'?ll"
        r"|you\s+can)\b"
        r"|\b(?:i'?m|i\s+am)\s+(?:changing|leaving|calling|taking|done|out)\b.{0,40}?\bif\s+you\b"
        r"|\b(?:don'?t\s+test\s+me|i\s+dare\s+you|or\s+else|last\s+warning|you'?ll\s+regret\s+it"
        r"|either\s+\w+\s+goes\s+or\s+i\s+go|you'?ve\s+got\s+until|you\s+have\s+until\s+\w+\s+to)\b"
        r"|\bor\s+i'?ll\s+(?:take|leave|call|tell|throw|kick|change)\b",
        "An ultimatum or threat makes the other person choose under fear instead of talking; say "
        "what you need and what you will do to look after yourself.",
    ),
    # commands
    _r(
        "command",
        r"^\s*(?:just\s+|now\s+|god,?\s+)?(?:shut\s+(?:up|your\s+mouth|it)|get\s+out|go\s+to\s+your"
        r"\s+room|give\s+me\s+(?:the|your|that|my)|hand\s+(?:me|over)|sit\s+down|stop\s+(?:talking"
        r"|crying|whining|it|that|yelling|complaining|being)|quit\s+(?:whining|it|crying|complaining"
        r"|acting)|leave\s+me\s+alone|put\s+(?:the|that|your)\s+\w+\s+down|turn\s+(?:that|it|the)"
        r"\s+\w+\s+(?:off|down)|move|don'?t\s+you\s+dare|be\s+quiet|answer\s+me|listen\s+to\s+me"
        r"|get\s+over\s+here|talk\s+to\s+the\s+hand)\b",
        "An order ends the conversation instead of asking; say what you need and ask for it "
        "('Could you …?').",
    ),
    # character attacks
    _r(
        "character_attack",
        r"\bwhy\s+are\s+you\s+(?:like\s+this|like\s+that|always\s+like)"
        r"|\b(?:you'?re|you\s+are)\s+(?:just\s+|exactly\s+)?like\s+your\s+(?:mother|mom|mum|dad"
        r"|father|sister|brother|ex|family|parents)\b"
        r"|\bwhy\s+can'?t\s+you\s+(?:just\s+)?be\s+(?:more\s+)?like\b"
        r"|\b(?:something|what'?s)\s+(?:seriously\s+|really\s+|deeply\s+)?wrong\s+with\s+you\b"
        r"|\byou\s+have\s+(?:zero|no)\s+(?:empathy|respect|shame|decency|self-control|backbone)\b"
        r"|\b(?:you'?re|you\s+are)\s+(?:\w+\s+)?incapable\b"
        r"|\b(?:you'?re|you\s+are)\s+(?:just\s+)?(?:a|the)\s+(?:most\s+)?(?:\w+\s+)?(?:dishonest|bad"
        r"|terrible|horrible|awful|selfish|cold|mean|toxic|lazy|fake|broken|inconsiderate|pathetic)"
        r"\s+(?:person|partner|husband|wife|mother|father|parent|excuse)\b"
        r"|\b(?:your\s+\w+|\w+'s\s+(?:husband|wife|partner|boyfriend|girlfriend))\s+would\s+never\b",
        "This is about who the person is, not what they did; name the one thing that happened "
        "and how it affected you.",
    ),
    # contempt
    _r(
        "contempt",
        r"^\s*whatever\s*(?:[.!,]|$)|\breal\s+(?:mature|grown[- ]up|adult|classy)\b|\bgrow\s+up\b"
        r"|\bwhat(?:'s|\s+is)\s+(?:actually\s+|even\s+|seriously\s+)?wrong\s+with\s+you\b"
        r"|\bwho\s+(?:even\s+)?(?:raised|taught|brought\s+up)\s+you\b"
        r"|\b(?:throw|give)\s+you\s+a\s+(?:parade|medal|gold\s+star|trophy|cookie)\b"
        r"|\bthat'?ll\s+be\s+the\s+day\b|\blove\s+that\s+for\s+me\b|^\s*(?:oh\s+)?here\s+we\s+go\b"
        r"|\b(?:rolls?|rolling)\s+(?:my\s+|her\s+|his\s+)?eyes\b|\beye\s*roll\b"
        r"|\b(?:oh\s+)?sorry,?\s+did\s+i\s+interrupt\b|\byour\s+(?:very|oh\s+so)\s+important\b"
        r"|^\s*oh\s+(?:brilliant|great|wonderful|perfect|fantastic|lovely),?\s+(?:another|more|so)\b"
        r"|^\s*wow,?\s+you\s+(?:actually\s+)?(?:remembered|managed|did\s+it)\b"
        r"|\bwhat'?s\s+your\s+problem\b|\bget\s+over\s+it\b|\bthanks\s+(?:a\s+lot\s+)?for\s+nothing\b"
        r"|\bnice\s+(?:job|going|one),?\s+(?:genius|einstein)\b"
        r"|\bwhat\s+kind\s+of\s+(?:mother|father|parent|person|partner|husband|wife)\b"
        rf"|\b{_YOU_ARE}\s+(?:unbelievable|a\s+joke)\b"
        r"|^\s*must\s+be\s+nice\b|^\s*sure,?\s+because\s+you\b|\bcongratulations\s+on\b"
        r"|^\s*(?:great|nice|good)\s+(?:job|going|work),?\s+(?:genius|einstein|champ|sherlock)\b"
        r"|\bgracing\s+us\b|\bthat'?s\s+a\s+(?:new\s+)?record\b|\blike\s+you'?ve\s+ever\b"
        r"|\blifting\s+a\s+finger\b|\bcute\s+that\s+you\s+think\b|\b(?:mr|miss|mrs)\.?\s+perfect\b"
        r"|\bno\s+really,?\s+take\s+your\s+time\b|\bso\s+mature\b|^\s*oh\s+please,"
        r"|\bit'?s\s+not\s+like\s+(?:we|i)\b.{0,40}?\bor\s+anything\b|\bshould\s+i\s+throw\s+you\b",
        "Sarcasm and dismissal signal contempt, which hurts more than the complaint; say the "
        "complaint plainly.",
    ),
)

# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Flag:
    kind: str
    span: tuple[int, int]
    matched: str
    why: str


@dataclass(frozen=True)
class CoachResult:
    flags: list[Flag] = field(default_factory=list)
    is_i_statement: bool = False
    rewrite: str | None = None

    @property
    def kinds(self) -> set[str]:
        return {f.kind for f in self.flags}


# ---------------------------------------------------------------- helpers


def _normalise(text: str) -> str:
    """Lower case and straight apostrophes without changing length, so spans stay valid."""
    return fold(text)


def _sentences(norm: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; end includes the terminating punctuation."""
    return sentence_spans(norm)


def _quoted(norm: str) -> list[tuple[int, int]]:
    """Spans of reported speech: double quotes, or single quotes that open and close outside a
    word (an apostrophe inside "you're" neither opens nor closes one)."""
    double = r"[\"\u201c][^\"\u201d]*[\"\u201d]"
    single = r"(?<!\w)'(?:[^']|(?<=\w)'(?=\w))+'(?!\w)"
    return [(m.start(), m.end()) for m in re.finditer(f"{double}|{single}", norm)]


def _clause_after(norm: str, pos: int, end: int) -> str:
    """The words after a trigger, up to the end of the clause."""
    rest = norm[pos:end]
    cut = re.search(r"[,;.!?]|\s(?:and|but|because)\s", rest)
    return rest[: cut.start()] if cut else rest


def _has_any(text: str, words: set[str]) -> bool:
    return any(re.search(rf"\b{re.escape(w)}\b", text) for w in words)


def _is_praise(kind: str, matched: str, predicate: str) -> bool:
    if (
        kind == "absolute"
        and "never" in matched
        and re.match(
            rf"\s*(?:make|makes|made)\s+me\s+feel\s+(?:\w+\s+)?{_BAD_FEELINGS}\b", predicate
        )
    ):
        return True  # "you never make me feel silly"
    if kind == "absolute" and "never" in matched:
        first = predicate.strip()
        return any(first.startswith(w) for w in _NEVER_PRAISE) or predicate.strip().startswith(
            "know"
        )  # "you never know" is an idiom
    if kind == "you_make_me" and re.match(
        r"\s*(?:a|an|some|the|my|breakfast|dinner|lunch|tea|coffee|cake)\b", predicate
    ):
        return True  # "you made me a cup of tea": making something, not a feeling
    if "never" in predicate.split()[:1]:
        return False
    # What follows "when …" is the situation, not the verdict: "you always make me laugh when
    # I'm stressed" is praise.
    verdict = re.split(r"\b(?:when|whenever)\b", predicate, maxsplit=1)[0]
    return _has_any(verdict, _POSITIVE) and not _has_any(verdict, _COMPLAINT)


def _accept(rule: _Rule, norm: str, m: re.Match[str], sent: tuple[int, int]) -> bool:
    s, e = sent
    sentence = norm[s:e].strip()
    is_question = sentence.endswith("?")
    if rule.kind in {"absolute", "mind_reading", "blame"} and is_question:
        # A yes/no question asks; a "why do you always …?" accuses.
        if _YESNO_START.match(sentence) and rule.kind != "absolute":
            return False
        if _YESNO_START.match(sentence) and not re.search(r"\bever\b", m.group(0)):
            return False
    if rule.check == "polarity" and rule.kind == "blame":
        # "because of you" / "you're the reason": the praise can sit on either side.
        return not _is_praise(rule.kind, m.group(0), sentence)
    if rule.check == "polarity":
        return not _is_praise(rule.kind, m.group(0), _clause_after(norm, m.end(), e))
    if rule.check == "complaint":
        return _has_any(norm[s:e], _COMPLAINT)
    if rule.check == "statement":
        return not is_question and re.search(rf"\b{_YOU}\b|\byou'", norm[s:e]) is not None
    return True


def find_flags(text: str) -> list[Flag]:
    norm = _normalise(text)
    quotes = _quoted(norm)
    flags: dict[tuple[str, int, int], Flag] = {}
    for sent in _sentences(norm):
        s, e = sent
        for rule in _RULES:
            for m in rule.pattern.finditer(norm, s, e):
                a, b = m.start(), m.end()
                while a < b and norm[a].isspace():
                    a += 1
                if any(qs <= a and b <= qe for qs, qe in quotes):
                    continue
                if not _accept(rule, norm, m, sent):
                    continue
                flags.setdefault((rule.kind, a, b), Flag(rule.kind, (a, b), text[a:b], rule.why))
    return sorted(flags.values(), key=lambda f: (f.span[0], KINDS.index(f.kind)))


_FEELING_START = re.compile(
    r"\b(?:i\s+(?:feel|felt|get|got|am\s+feeling|was\s+feeling)|i'?m\s+feeling|it\s+hurts\s+me"
    r"|i\s+was|i'?m|i\s+am)\b"
    r"(?!\s+(?:like|that)\b)"
)
# Owning a feeling or a need without the word "feel": "it scares me when…", "I need some quiet
# time…", "I'd like us to…", "I shut down".
_OWN_NEED = re.compile(
    r"\bit\s+(?:scares|worries|upsets|frustrates|bothers|stresses|hurts|saddens)\s+me\b"
    r"|\bi\s+(?:need|'d\s+like|would\s+like|want\s+us|miss|shut\s+down|get\s+anxious)\b"
    r"|\bi'?d\s+(?:really\s+)?(?:love|like|prefer)\b|\bi'?m\s+struggling\b|\bi\s+have\s+trouble\b"
    r"|\bi\s+end\s+up\b|\b(?:makes|made)\s+me\s+feel\s+\w+\s*(?:[.,;!]|$)"
    r"|\b(?:that|it|this)\s+(?:frustrates|worries|scares|upsets|bothers)\s+me\b"
    r"|\bi\s+(?:feel|felt|get|got)\s+(?:\w+\s+){0,2}?\w+\s+(?:when|because|that|if|about|after)\b"
    r"|\bwhen\b.{0,80}\bi\s+(?:feel|felt)\s+(?:so\s+|really\s+)?\w+"
)
_FEELING_WORDS = re.compile(
    r"\b(?:hurt|sad|lonely|worried|anxious|scared|afraid|frustrated|overwhelmed|unheard|ignored|"
    r"unimportant|embarrassed|disappointed|nervous|exhausted|tired|discouraged|angry|jealous|"
    r"left\s+out|taken\s+for\s+granted|appreciated|disconnected|proud|happy|calm|hurts|sad|upset|"
    r"stressed|let\s+down|worn\s+out|dismissed|invisible|insecure|unsafe|alone|small|guilty|"
    r"excluded|rushed|confused|torn|helpless|lost)\b"
)
# Words the rewrite may put after "I feel": a guess outside this list ("I feel late") is not a
# feeling, and the rewrite says "hurt" instead.
REWRITE_FEELINGS: Final = frozenset(
    (
        "hurt",
        "sad",
        "lonely",
        "worried",
        "anxious",
        "scared",
        "afraid",
        "frustrated",
        "overwhelmed",
        "unheard",
        "ignored",
        "unimportant",
        "embarrassed",
        "disappointed",
        "nervous",
        "exhausted",
        "tired",
        "discouraged",
        "angry",
        "jealous",
        "unappreciated",
        "disconnected",
        "alone",
        "small",
        "upset",
        "stressed",
        "dismissed",
        "invisible",
        "insecure",
        "guilty",
        "excluded",
        "rushed",
        "confused",
        "helpless",
    )
)


def _is_i_statement(norm: str) -> bool:
    """The speaker owns a feeling ("I feel hurt when…", "I'm frustrated because…", "it scares me
    when…") or states a need ("I need some quiet time…", "I'd like us to…"), with no blame."""
    has_feeling = bool(_FEELING_START.search(norm)) and bool(_FEELING_WORDS.search(norm))
    return has_feeling or bool(_OWN_NEED.search(norm))


# ---------------------------------------------------------------- rewrite frame

# Keyed on words in the sentence: (feeling guess, request guess). First match wins, so more
# specific keys (dishes) come before general ones (leave).
_GUESSES: Final[tuple[tuple[str, str, str], ...]] = (
    (r"criticiz|judg|on\s+my\s+case|check", "hurt", "Could you tell me what you need instead?"),
    (
        r"dish|laundry|chore|socks|\broom\b|\bmess\b|clean|lights|\bleave\s+(?:your|the|his|her)\b",
        "overwhelmed",
        "Could we agree on who does what this week?",
    ),
    (
        r"listen|interrupt|finish\s+a\s+sentence|hear|last\s+word",
        "unheard",
        "Could we take turns so each of us finishes before the other answers?",
    ),
    (r"ignor", "hurt", "Could we check in with each other for ten minutes tonight?"),
    (r"\blate\b|text|call", "worried", "Could you send a quick message when plans change?"),
    (r"forg[eo]t", "unimportant", "Could we put it in the shared calendar?"),
    (
        r"yell|scream|shout|slam|angry",
        "scared",
        "Could we take a break and talk when we're calmer?",
    ),
    (r"phone|game|tv|screen", "lonely", "Could we have some screen-free time together?"),
    (
        r"\bleav|\bleft\b|\bbed\b|time\s+for\s+us|anything\s+with\s+me",
        "lonely",
        "Could we plan some time together?",
    ),
    (r"help|bedtime|kids|baby", "overwhelmed", "Could we share this tonight?"),
    (r"thank|ask\s+how", "unappreciated", "Could we make a habit of noticing each other?"),
    (r"money|spend", "anxious", "Could we talk about big purchases before making them?"),
    (r"side", "alone", "Could you hear my side before deciding?"),
    (r"care|love|respect|matter", "unimportant", "Could we talk about what's going on between us?"),
    (r"embarrass|in\s+front\s+of", "embarrassed", "Could we talk about this in private?"),
)
_NOT_FEELINGS = {"crazy": "frustrated", "stupid": "small", "so": "", "like": ""}


def _guess(norm: str) -> tuple[str | None, str | None]:
    for pattern, feeling, request in _GUESSES:
        if re.search(pattern, norm):
            return feeling, request
    return None, None


def _tidy(clause: str) -> str:
    return re.sub(r"\s+", " ", clause).strip(" ,.;!?")


def _situation(text: str, norm: str, flag: Flag) -> str | None:
    """Turn the blamed predicate into a neutral 'when …' clause, or None if we can't."""
    s, e = next((a, b) for a, b in _sentences(norm) if a <= flag.span[0] < b)
    after = text[flag.span[1] : e]
    after_n = norm[flag.span[1] : e]
    # An explicit "when …" in the sentence is already the situation.
    when = re.search(r"\bwhen(?:ever)?\b\s+(.+)", norm[s:e])
    if flag.kind != "absolute" or "every" in flag.matched.lower() or "whenever" in norm[s:e]:
        if when:
            start = s + when.start(1)
            return _tidy(text[start:e].split(",")[0])
        if flag.kind != "absolute":
            return None
        # "every time you X, Y": the moment is X. "Every single time we go out you …": the
        # moment is "we go out".
        clause = _tidy(re.split(r",|\s(?=you\b)", after.strip(), maxsplit=1)[0])
        if not clause:
            return None
        if re.match(r"(?i)(?:we|i|he|she|they|you|your)\b", clause):
            return clause
        return f"you {clause}"
    cut = re.search(r"[,;]|\s(?:because|and\s+i)\s", after_n)
    pred = _tidy(after[: cut.start()] if cut else after)
    pred_n = _tidy(after_n[: cut.start()] if cut else after_n)
    if not pred or re.search(rf"\b{_LABEL}\b|\bmake\s+me\b", pred_n):
        return None  # a label or "make me" is not a situation; leave the blank to the person
    # Special, commoner shapes first.
    if re.match(r"(?:just\s+)?listen", pred_n):
        return "I'm talking and it seems you aren't listening"
    m = re.match(
        r"(?:leave|leaves)\s+(?:your\s+|the\s+|his\s+|her\s+|their\s+)?(\w+(?:\s+\w+)?)\s+"
        r"((?:in|on|by|at|around|all\s+over)\s+.+)",
        pred,
        re.IGNORECASE,
    )
    if m:
        obj = m.group(1)
        verb = "are" if obj.lower().endswith("s") else "is"
        return f"the {obj} {verb} left {m.group(2)}"
    matched = _normalise(flag.matched)
    subject = "you're" if re.match(r"(?:you'?re|you\s+are|ur|u\s+r)", matched) else "you"
    if "never" in matched:
        pred = re.sub(r"^(?:(?:once|really|actually|even|ever)\s+)+", "", pred)
        if subject == "you're":
            return f"you're not {pred}"
        return f"you don't {pred}" if not re.match(r"\w+ed\b", pred) else f"you haven't {pred}"
    pred = re.sub(r"(?i)\bwhen\b", "while", pred)  # avoid "when … when …"
    return f"{subject} {pred}"


def rewrite_frame(text: str, flags: list[Flag]) -> str | None:
    """An "I feel … when …. Could we …?" suggestion, always one grammatical frame: the feeling
    is a word from ``REWRITE_FEELINGS`` (the person's own word when they named one, else a
    guess from the situation, else "hurt"); when the situation can't be read from the sentence
    (a label, "you make me"), it says "when that happens" rather than inventing one."""
    if not flags:
        return None
    norm = _normalise(text)
    order = {k: i for i, k in enumerate(KINDS)}
    lead = min(flags, key=lambda f: (order[f.kind], f.span[0]))
    feeling, request = _guess(norm)
    own = re.search(
        rf"{_FEELING_START.pattern}\s+(?:so\s+|really\s+)?({_FEELING_WORDS.pattern})", norm
    )
    if own:  # the person already named the feeling ("… and I feel lonely"): keep their word
        feeling = own.group(1)
    make_me = next((f for f in flags if f.kind == "you_make_me"), None)
    if make_me and not own:
        m = re.match(r"\s+(?:feel\s+)?(?:so\s+|really\s+)?([a-z]+)", norm[make_me.span[1] :])
        word = m.group(1) if m else ""
        if word and word not in {"feel", "want", "like", "cry"}:
            feeling = _NOT_FEELINGS.get(word, word) or feeling
        elif word == "cry":
            feeling = "hurt"
    situation = _situation(text, norm, lead) or "that happens"
    feel = feeling if feeling in REWRITE_FEELINGS else "hurt"
    ask = request or "Could we talk about what would help next time?"
    return f"I feel {feel} when {situation}. {ask}"


# The coach reads at most this many characters: it is for a sentence or a short message, and
# a cap keeps its time bounded for any input (tests/core/test_istatement.py checks time grows
# linearly up to the cap).
MAX_CHARS: Final = 4000


def check_statement(text: str) -> CoachResult:
    """Flags with spans and reasons, whether it's already an I-statement, and a rewrite frame.

    Reads the first ``MAX_CHARS`` characters of ``text``; spans point into ``text``."""
    text = text[:MAX_CHARS]
    flags = find_flags(text)
    is_i = not flags and _is_i_statement(_normalise(text))
    return CoachResult(flags=flags, is_i_statement=is_i, rewrite=rewrite_frame(text, flags))


def rewrite_is_well_formed(rewrite: str) -> bool:
    """A rewrite reads as sentences: "I feel <feeling> when <situation>. <request>?", with no
    bracketed guess inside a sentence ("I feel [late?]") and no doubled words."""
    return bool(
        re.fullmatch(r"I feel [a-z][a-z' -]* when [^\[\]]+\. [A-Z][^\[\]]*\?", rewrite)
    ) and not re.search(r"\b(\w+) \1\b", rewrite)
