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
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final

from safebase.core.practice import coach_model
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
    "defensiveness",
    "stonewalling",
    "disguised_you",
    "tone",
)

# ---------------------------------------------------------------- word lists

_YOU = r"(?:you|u)"
# "your" is read as "you're" only before the words that make that the sole reading ("your so
# selfish", "your always late").
_YOU_ARE = (
    r"(?:you'?re|you\s+are|ur|u\s+r|you\s+were"
    r"|your(?=\s+(?:so|such|a|an|always|never|just|being|really|acting|constantly)\b))"
)
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
    "know exactly what to say",
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
    "listened",
    "understand",
    "understood",
    "get me",
    "heard me",
    "appreciate",
    "have my back",
    "had my back",
    "on my side",
    "love me",
    "mean it",
    "encouraging",
    "first one",
    "first to",
    "home",
    "superpower",
    "braver",
    "can do anything",
    "did great",
    "inspire",
    "inspiring",
    "feel at home",
    "finished my",
    "believe in me",
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
    "the problem",
    "a burden",
    "have to",
    "need to",
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
    # Added for issue 8 as kinds of complaint, not from any one set's lines.
    "embarrass",
    "ages",
    "why",
    "mock",
    "make fun",
    "laugh at",
    "lecture",
    "correct me",
    "blame",
    "storm off",
    "ruin",
    "spoil",
    "pick a fight",
    "start a fight",
    "criticise",
    "show off",
    "take over",
    "talk over",
    "check your phone",
    "guilt",
    "silent treatment",
    "bring up",
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
        rf"\b{_YOU}(?:\s+(?:guys|two|all|people|kids))?\s+(?:\w+ly\s+|always\s+|just\s+|really\s+"
        r"|totally\s+|keep\s+)?"
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
        r"|\byou\s+want\s+me\s+to\s+(?:fail|give\s+up|look\s+(?:bad|like|stupid)|feel\s+bad|suffer|beg"
        r"|leave|quit)\b"
        r"|\byou\s+(?:love|enjoy|like)\s+it\s+when\s+i(?:'m|\s+(?:look|feel|am|get|suffer|cry|struggle))"
        r"\b"
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
        r"wimp|coward|hypocrite|cheapskate|weirdo|creep|nutcase|freak|liar|cheat|cheater|bully|nag"
        r"|bitch|cow|prick|bastard|dick|snake|traitor)\b"
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
        r"\s+\w+\s+(?:off|down)|move(?!\s+(?:the|our|my|this|that)\s+\w)|don'?t\s+you\s+dare|be\s+quiet|answer\s+me|listen\s+to\s+me"
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
        r"^\s*whatever\s*(?:[.!,]|$)|\breal\s+(?:mature|grown[- ]up|adult|classy)\b"
        r"|(?<!i\sneed\sto\s)(?<!i\shave\sto\s)(?<!i\sshould\s)\bgrow\s+up\b"
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
        r"|^\s*must\s+be\s+nice\b|^\s*(?:sure|yeah|right|oh),?\s+because\s+(?:you|your|that)\b"
        r"|\bcongratulations\s+on\b"
        r"|^\s*(?:great|nice|good)\s+(?:job|going|work),?\s+(?:genius|einstein|champ|sherlock)\b"
        r"|\bgracing\s+us\b|\bthat'?s\s+a\s+(?:new\s+)?record\b|\blike\s+you'?ve\s+ever\b"
        r"|\blifting\s+a\s+finger\b|\bcute\s+that\s+you\s+think\b|\b(?:mr|miss|mrs)\.?\s+perfect\b"
        r"|\bno\s+really,?\s+take\s+your\s+time\b|\bso\s+mature\b|^\s*oh\s+please,"
        r"|\bit'?s\s+not\s+like\s+(?:we|i)\b.{0,40}?\bor\s+anything\b|\bshould\s+i\s+throw\s+you\b",
        "Sarcasm and dismissal signal contempt, which hurts more than the complaint; say the "
        "complaint plainly.",
    ),
)

# ---------------------------------------------------------------- rules by kind (issue 8)

# Written for the kinds issue 8 names, from the communication-skills literature's categories
# (Gottman's criticism, contempt, defensiveness and stonewalling; threats and orders; the
# disguised you-statement "I feel like you …"), not for any one author's lines. Each pattern
# is a shape of speech, and each has a reason the person can read.
_NEG_LABELS = (
    r"(?:freeloader|princess|spoilt|spoiled|feral|two-faced|grumpy|miserable|bitter|petty|"
    r"stubborn|arrogant|rude|entitled|self-cent(?:er|re)d|self-absorbed|delusional|paranoid|"
    r"unbearable|insufferable|exhausting|a\s+mess|a\s+disaster|clueless|"
    r"spineless|gutless|brainless|thick|dense|fake|sneaky|greedy|stingy|vain|shallow|boring|"
    r"nasty|vile|gross|evil|bitch|asshole|arsehole|dick|prick|bastard|wanker|twat|cow|witch|"
    r"jackass|dipshit|airhead|bimbo|numpty|plonker|prat|git|tosser|idiotic|moronic|retard(?:ed)?|"
    r"nutter|lunatic|maniac|basket\s+case|waste\s+of\s+space|piece\s+of\s+(?:work|shit|crap)|"
    r"karen|boomer|snake|rat|parasite|sponge|mooch(?:er)?|man-?child|drama\s+llama|"
    r"overreacting|over-?dramatic|over-?sensitive|too\s+sensitive|so\s+sensitive|useless|"
    r"hopeless|pathetic|lazy|selfish|stupid|idiot|moron|loser|jerk|liar|cheat|cheater|traitor|"
    r"slob|pig|nag|bully|hypocrite|coward|brat)"
)
# Strong insults, read anywhere in a sentence not about the speaker; a misspelling one letter
# away from one of these (``_fuzzy_insult``) is read as the word.
INSULTS: Final = frozenset(
    (
        "idiot",
        "moron",
        "stupid",
        "selfish",
        "pathetic",
        "loser",
        "useless",
        "worthless",
        "dumbass",
        "asshole",
        "arsehole",
        "bitch",
        "bastard",
        "retard",
        "imbecile",
        "psycho",
        "jackass",
        "idiotic",
        "moronic",
    )
)
# Sentence-opening orders that are harsh whatever follows them.
_HARSH_ORDER = (
    r"(?:shut\s+(?:up|your|it)|get\s+(?:out|lost|over\s+here|off\s+(?:me|my)|a\s+(?:job|life|grip))"
    r"|go\s+(?:away|to\s+your\s+room|to\s+hell)|leave\s+me\s+alone|calm\s+down|hurry\s+up"
    r"|grow\s+up|knock\s+it\s+off|cut\s+it\s+out|drop\s+it|back\s+off|deal\s+with\s+it"
    r"|mind\s+your\s+own|answer\s+me|listen\s+to\s+me|look\s+at\s+me\s+when|sit\s+down|stop"
    r"|quit|move(?:\s+it)?|give\s+(?:me|it)\s+(?:the|that|my|your|back|it)|hand\s+(?:it\s+)?over"
    r"|hand\s+me|put\s+(?:it|that|this|the\s+\w+|your\s+\w+)\s+(?:down|away)"
    r"|turn\s+(?:it|that|this|the\s+\w+)\s+(?:off|down)|don'?t\s+(?:you\s+dare|you\s+ever|touch"
    r"|talk\s+(?:to\s+me|back)|start|interrupt|give\s+me|tell\s+me\s+what|even|speak\s+to\s+me"
    r"|raise\s+your)|just\s+do\s+(?:it|what)|do\s+(?:it|this|that)\s+(?:now|yourself|right)"
    r"|(?:get|do|fix|make)\s+it\s+yourself|clean\s+(?:this|that|it|your\s+\w+)\s+up"
    r"|pick\s+(?:that|it|this|your\s+\w+)\s+up|be\s+quiet|keep\s+your\s+\w+\s+(?:shut|to\s+yourself)"
    r"|fix\s+it|sort\s+it\s+out|figure\s+it\s+out|take\s+that\s+back|say\s+sorry|pay\s+me\s+back"
    r"|give\s+it\s+back|come\s+here\s+(?:now|right\s+now|this\s+instant)|clean\s+up\s+(?:your|this"
    r"|that|after)|now\s*[.!]+\s*$)"
)
# Verbs that open an order only with urgency ("now", "already", "!") and no softener.
_PLAIN_ORDER = (
    r"(?:do|clean|take|call|text|tell|pay|finish|make|bring|wake|eat|use|empty|wash|tidy|come|get"
    r"|go|put|turn|give|pick|answer|fix|sort|leave|wait|stay|watch|hang|throw|tell|walk|feed"
    r"|change|help|cook|load|unload|move|open|close|shut)"
)
_SOFTENER = re.compile(
    r"\b(?:please|pls|could|would|can\s+you|can\s+we|let'?s|thanks|thank\s+you|if\s+you\s+(?:can"
    r"|could|want|like|don'?t\s+mind)|when\s+you(?:'re|\s+are)?\s+(?:ready|can|get\s+a\s+chance)"
    r"|no\s+rush|love\s+you|take\s+care|stop\s+(?:worrying|apologi\w+|stressing)|you\s+did\s+(?:great"
    r"|well|brilliantly)|get\s+well|get\s+home\s+safe|have\s+fun|go\s+for\s+it"
    r"|go\s+ahead|take\s+your\s+time|don'?t\s+worry|feel\s+free|stop\s+by|come\s+(?:over|round"
    r"|along)|happy\s+birthday|enjoy|congrat)"
)
_DIALOGUE_OPEN = (
    r"^\s*(?:(?:just|now|god|ugh|seriously|hey|oh|and|i\s+said|right|look|ok|okay),?\s+)*"
)

_RULES_BY_KIND: Final[tuple[_Rule, ...]] = (
    # Defensiveness: denying one's part, counter-blame, playing the injured party.
    _r(
        "defensiveness",
        r"\b(?:it'?s|it\s+is|it\s+was|that'?s|that\s+is|that\s+was)\s+not\s+my\s+(?:fault|problem"
        r"|job)\b|^\s*(?:well,?\s+)?(?:not|none\s+of)\s+my\s+(?:fault|problem|business|job)\b"
        r"|\bwhy\s+is\s+(?:it\s+)?(?:everything\s+|this\s+)?(?:always\s+)?my\s+fault\b"
        r"|\bwhy\s+am\s+i\s+always\s+the\b|\bi\s+(?:did|have\s+done|'ve\s+done)\s+(?:absolutely\s+)?"
        r"nothing\s+wrong\b|\bi\s+didn'?t\s+do\s+(?:anything|a\s+thing)\s+wrong\b"
        r"|\b(?:you|u)\s+started\s+it\b|\b(?:you'?re|you\s+are)\s+the\s+one\s+who\b"
        r"|\bwhat\s+about\s+(?:when\s+you|the\s+times?\s+you|all\s+the\s+times|what\s+you\s+did"
        r"|you\s+(?:forgetting|leaving|yelling|being|lying|not))\b"
        r"|\bstop\s+attacking\s+me\b|\bi\s+don'?t\s+(?:have|need)\s+to\s+(?:explain|justify)"
        r"\s+myself\b|\bat\s+least\s+i\s+(?:don'?t|didn'?t|never|am\s+not|'m\s+not|actually)\b"
        r"|\blook\s+who'?s\s+talking\b|\b(?:you'?re|you\s+are)\s+one\s+to\s+talk\b"
        r"|\blike\s+you'?re\s+(?:so\s+)?perfect\b|^\s*(?:oh,?\s+)?(?:like|as\s+if)\s+you\s+"
        r"(?:never|don'?t|didn'?t|ever)\b|\bit'?s\s+not\s+like\s+you\s+(?:ever|never)\b"
        r"|\byou\s+(?:do|did)\s+(?:it|that|the\s+same)\s+(?:too|all\s+the\s+time)\b"
        r"|^\s*well,?\s+(?:you|u)\s+(?:didn'?t|never|should\s+have|shouldn'?t\s+have|weren'?t)\b"
        r"|\bi\s+only\s+\w+(?:\s+\w+)?\s+because\s+you\b|\bit\s+was\s+(?:just\s+|only\s+)?a\s+joke\b"
        r"|\bcan'?t\s+(?:you\s+)?(?:even\s+)?take\s+a\s+joke\b|\b(?:you'?re|you\s+are)\s+"
        r"(?:over-?reacting|blowing\s+(?:this|it|things)|making\s+a\s+(?:big\s+)?(?:deal|fuss)"
        r"|being\s+(?:dramatic|over-?sensitive|too\s+sensitive|paranoid|ridiculous))\b"
        r"|\bhow\s+was\s+i\s+supposed\s+to\s+know\b|\bdon'?t\s+blame\s+me\b|\bi\s+said\s+what\s+i"
        r"\s+said\b|\b(?:you|u)\s+(?:always\s+)?twist(?:ing)?\s+my\s+words\b"
        r"|\bi'?m\s+not\s+the\s+one\s+who\b|\bwhy\s+are\s+you\s+"
        r"blaming\s+me\b|\bso\s+(?:now\s+)?it'?s\s+my\s+fault\b|\bhere\s+we\s+go\s+again\b"
        r"|\bi\s+was\s+(?:only|just)\s+(?:joking|kidding)\b|\bcalm\s+down,?\s+it\b",
        "Defending or turning the blame around closes the conversation; take the part that is "
        "yours, even a small one, and say what you need.",
    ),
    # Stonewalling and dismissal: shutting the conversation down.
    _r(
        "stonewalling",
        r"^\s*(?:k|kk|fine|whatever|yeah\s+yeah|yeah,\s+yeah|yeah\s+right|noted|sure\s+whatever"
        r"|if\s+you\s+say\s+so|cool\s+story)\s*[.!]*\s*$"
        r"|^\s*(?:fine|whatever|ok|okay|sure|yeah),?\s+(?:do|have|be|go|you\s+win|suit\s+yourself"
        r"|whatever|i\s+don'?t\s+care|think\s+what|believe\s+what|if\s+you\s+say)\b"
        r"|\bdo\s+(?:what|whatever)\s+you\s+(?:want|like)\s*[.!]*\s*$|\bsuit\s+yourself\b"
        r"|\bi'?m\s+(?:done|finished|through)\s+(?:talking|discussing|with\s+this|with\s+(?:this\s+)?"
        r"(?:conversation|discussion)|arguing|listening|explaining)\b"
        r"|\bi'?m\s+not\s+(?:discussing|talking\s+about|doing|having|getting\s+into)\s+this\b"
        r"|^\s*(?:oh\s+)?(?:can\s+we\s+not|not\s+this\s+again|forget\s+it|drop\s+it|leave\s+it"
        r"|spare\s+me|save\s+it|don'?t\s+start|go\s+away|get\s+lost|i'?m\s+out|moving\s+on"
        r"|not\s+now)\b(?!\s+(?:today|tonight|this|when|if|after|because))"
        r"|\bend\s+of\s+(?:discussion|story|conversation)\b|\bthis\s+conversation\s+is\s+over\b"
        r"|\bi\s+don'?t\s+want\s+to\s+(?:hear|talk\s+about)\s+it\b|\bi\s+heard\s+you\s+the\s+first"
        r"|\bblah,?\s+blah\b|\btalk\s+to\s+the\s+hand\b"
        r"|\bi\s+(?:really\s+|honestly\s+|just\s+)?(?:don'?t|couldn'?t)\s+care(?:\s+less)?\s*[.!]*\s*$"
        r"|\bwho\s+cares\s*[.!?]*\s*$|\bi'?m\s+not\s+listening\b|\bwe'?re\s+done\s+here\b"
        r"|\bnothing\s+to\s+(?:talk\s+about|discuss)\b|\bi\s+have\s+nothing\s+(?:to\s+say|more\s+to"
        r"\s+say)\b|\bdon'?t\s+talk\s+to\s+me\b|\bleave\s+me\s+alone\b|\bi'?m\s+not\s+going\s+to"
        r"\s+(?:argue|discuss|talk\s+about)\b|\bwhatever\s*[.!]*\s*$|\bthink\s+what(?:ever)?\s+you"
        r"\s+want\b|\bnot\s+(?:talking|discussing)\s+(?:about\s+)?(?:this|it)\b",
        "Shutting the talk down ('fine', 'whatever', 'I'm done') leaves the other person alone "
        "with it; if you need a break, say so and say when you'll come back to it.",
        "stonewall",
    ),
    # Disguised you-statements: "I feel like you …" is a verdict about the other person.
    _r(
        "disguised_you",
        r"\bi\s+(?:just\s+|really\s+|sometimes\s+|honestly\s+)?(?:feel|felt)\s+(?:like|that"
        r"|as\s+if|as\s+though)\s+(?:you|u)\b|\bi\s+(?:just\s+|really\s+)?(?:feel|felt)\s+(?:you'?re"
        r"|you\s+are|you\s+were|you\s+don'?t|you\s+never|you\s+always|you\s+only|you\s+just)\b",
        "'I feel like you …' is a judgement about the other person dressed as a feeling; name "
        "the feeling itself (hurt, lonely, worried) and what happened.",
        "polarity",
    ),
    # Sarcasm and faux praise.
    _r(
        "contempt",
        r"\b(?:want|you\s+want)\s+a\s+(?:medal|trophy|cookie|gold\s+star|prize|parade|round\s+of"
        r"\s+applause|pat\s+on\s+the\s+back)\b"
        r"|^\s*oh,?\s+(?:great|brilliant|perfect|lovely|wonderful|fantastic|sure|right|joy|goody"
        r"|look\s+who|how\s+(?:nice|lovely|sweet))\b(?![^.!?]*\b(?:thank\s+you|congrat|so\s+proud"
        r"|appreciate))"
        r"|^\s*(?:wow|great|perfect|brilliant|fantastic|lovely|nice|amazing),?\s+(?:just\s+"
        r"(?:great|perfect|brilliant|what\s+i\s+needed)|another|so\s+now|you\s+(?:actually|finally"
        r"|even|really\s+outdid|managed|remembered|did\s+(?:it|something)))\b"
        r"|\bjust\s+(?:great|perfect|brilliant|wonderful|fantastic|what\s+i\s+needed)\s*[.!]"
        r"|\bthanks?\s+for\s+(?:nothing|finally|bothering|ruining|noticing|the\s+(?:support|help)"
        r"\s*[.!]*\s*$)|\bthanks\s+a\s+lot\s*[.!]*\s*$|^\s*(?:yeah|oh)\s+(?:right|sure)\b"
        r"|^\s*as\s+if\b|^\s*(?:oh\s+|yeah\s+)?sure\s+you\s+(?:did|do|will|are|would|were)\b"
        r"|\bof\s+course\s+you\s+(?:did|forgot|didn'?t|would|would\s+say\s+that)\s*[.!]*\s*$"
        r"|\b(?:what\s+a|big)\s+surprise\b|\bsurprise,?\s+surprise\b|^\s*(?:how\s+)?shocking\b"
        r"|\bshocker\b|\bhow\s+(?:original|convenient|typical)\b|\bhow\s+(?:nice|kind|good)\s+of"
        r"\s+you\s+to\s+(?:finally|join|show|grace|bother|remember|notice)\b|\bnice\s+of\s+you\s+to"
        r"\s+(?:finally|join|show|grace|bother|remember|notice)\b|\bso\s+(?:glad|nice)\s+you\s+"
        r"(?:could\s+)?finally\b|\blook\s+who\s+(?:finally|decided|showed|'?s\s+awake)\b"
        r"|\bit'?s\s+a\s+miracle\b|\balert\s+the\s+(?:media|press)\b|\bmark\s+the\s+calendar\b"
        r"|\bcolou?r\s+me\s+(?:surprised|shocked)\b|\bcry\s+me\s+a\s+river\b|\bboo[\s-]?hoo\b"
        r"|\bok(?:ay)?,?\s+boomer\b|\bthe\s+expert\s+(?:has|is|speaks|here)\b"
        r"|,\s*(?:genius|einstein|sherlock|captain\s+obvious|your\s+majesty)\s*[.!?]*\s*$"
        r"|\bbecause\s+(?:that|your|the\s+last|last\s+time)\b[^.!?]{0,40}?\b(?:went|worked)\s+"
        r"(?:out\s+)?(?:so|really)\s+well\b|\bsmooth\s+move\b|\breal\s+smooth\b|\bslow\s+clap\b"
        r"|\bmust\s+be\s+(?:exhausting|hard|tiring)\s+being\b|\bmust\s+be\s+lovely\b"
        r"|\baren'?t\s+you\s+(?:special|clever|smart|something|a\s+genius)\b|\bwhatever\s+you"
        r"\s+say\b|^\s*lol,?\s+(?:ok|okay|sure|k|whatever|right)\b|\blmao\b|\b(?:who|nobody|no\s+one)"
        r"\s+asked\b|\bsome\s+of\s+us\s+(?:actually|have|work|don'?t)\b|\bla[\s-]?di[\s-]?da\b"
        r"|\bhappy\s+now\s*\?|\bhope\s+you'?re\s+happy(?:\s+now)?\s*[.!]*\s*$|\bwow,?\s+just\s+wow\b"
        r"|\bhow\s+mature\b|\bwell\s+(?:aren'?t|isn'?t)\s+(?:you|he|she)\b"
        r"|\bsorry\s+i\s+(?:exist|breathed|asked)\b|^\s*(?:oh,?\s+)?big\s+(?:shock|deal)\s*[.!]*\s*$"
        r"|\bpardon\s+me\s+for\b|\bexcuse\s+me\s+for\s+(?:living|breathing|asking|existing)\b"
        r"|\boh\s+wait\b|\bwhat\s+an\s+(?:achievement|accomplishment)\b|\b(?:really|truly|so)\s+"
        r"impressive\s*[.!]*\s*$|\bi'?m\s+(?:so\s+)?(?:honou?red|flattered)\s*[.!]*\s*$"
        r"|\bpoor\s+(?:you|baby|thing),?\s+having\s+to\b|\bshould\s+i\s+(?:call|alert|tell)\s+the\s+"
        r"(?:news|newspapers?|papers|media|press)\b|\bstop\s+the\s+press(?:es)?\b",
        "Sarcasm and faux praise signal contempt, which hurts more than the complaint; say the "
        "complaint plainly.",
    ),
    # Character attacks: the person, not the behaviour.
    _r(
        "character_attack",
        r"\bwhat'?s\s+(?:the\s+matter)\s+with\s+you\b|\bwhat\s+(?:is|'s)\s+your\s+(?:problem"
        r"|deal|damage|issue)\b|\bwhy\s+(?:do|must)\s+you\s+(?:always\s+)?(?:have\s+to\s+)?be\s+"
        r"(?:so|such|like)\b|\bwhy\s+can'?t\s+you\s+(?:ever\s+|just\s+)?(?:be\s+normal|act\s+(?:normal"
        r"|your\s+age|like\s+an?\s+adult)|grow\s+up|do\s+anything|get\s+anything)\b"
        r"|\bcan'?t\s+(?:you\s+)?(?:even\s+)?do\s+(?:anything|one\s+thing|a\s+single\s+thing)\s+right"
        r"\b|\bwho\s+(?:even\s+)?does\s+that\b|\bno\s+wonder\s+(?:nobody|no\s+one|people|everyone)\b"
        r"|\b(?:you'?re|you\s+are)\s+the\s+(?:problem|worst)\b|\bthe\s+problem\s+is\s+you\b"
        r"|\bare\s+you\s+(?:stupid|deaf|blind|dense|thick|kidding\s+me|insane|incapable|five|twelve"
        r"|a\s+child|mental|dumb|an\s+idiot|even\s+listening)\b"
        r"|\bare\s+you\s+(?:actually|really|seriously)\s+this\b"
        r"|\bhow\s+(?:hard|difficult)\s+(?:is\s+it|can\s+it\s+be)\s+to\b|\bhow\s+many\s+times\s+"
        r"(?:do|have|must)\s+i\b|\b(?:so\s+|just\s+)?typical(?:\s+of\s+you|\s+you)\b"
        r"|^\s*typical\s*[.!]*\s*$|\byou'?ve\s+always\s+been\s+(?:like\s+this|this\s+way)\b"
        r"|\bwhat\s+(?:kind|sort)\s+of\s+(?:\w+\s+)?(?:person|man|woman|mother|father|parent|friend"
        r"|partner|adult)\s+(?:does|would|says|forgets|leaves|treats|talks)\b"
        r"|\beven\s+a\s+(?:child|kid|toddler|monkey|dog|five-year-old)\s+(?:could|can|would|knows)\b"
        r"|\b(?:you|u)\s+(?:have|got)\s+(?:no|zero)\s+(?:clue|common\s+sense|brain|spine|manners"
        r"|class|life|friends|sense\s+of)\b|\bget\s+a\s+(?:life|grip|clue|brain)\b"
        r"|\bdo\s+you\s+ever\s+think\s+(?:before|about\s+anyone|of\s+anyone)\b|\bdo\s+you\s+even\s+"
        r"(?:care|listen|think|know|try|hear)\b|\bwhat\s+were\s+you\s+(?:even\s+)?thinking\b"
        r"|\b(?:you'?re|you\s+are)\s+(?:so|such)\s+an?\s+(?:\w+\s+)?(?:excuse|disappointment"
        r"|letdown|let-down)\b|\byou\s+(?:disgust|sicken|embarrass)\s+me\b|\bwhat\s+did\s+i\s+ever"
        r"\s+see\s+in\s+you\b|\byou'?ll\s+never\s+(?:change|amount|be\s+(?:anything|enough))\b"
        r"|\b(?:you'?re|you\s+are)\s+(?:a|such\s+a)\s+(?:\w+\s+)?(?:disappointment|let\s*down)\b"
        r"|\bwhy\s+would\s+you\s+even\b[^.!?]*\?|\bwrong\s+with\s+your\s+(?:head|brain|mind|face)\b"
        r"|\bhow\s+(?:are|can)\s+you\s+(?:be\s+)?(?:this|so)\s+(?:bad|stupid|useless|dense|clueless"
        r"|selfish|lazy|thick|incompetent|dumb)\b|\bno\s+wonder\s+(?:your|you'?re|you\s+(?:have|are"
        r"|can't))\b[^.!?]*\b(?:left|alone|single|no\s+friends|nobody|no\s+one|fired)\b"
        r"|\byou(?:'ve|\s+have)?\s+(?:got\s+)?(?:no|zero)\s+(?:backbone|spine|empathy|shame|decency"
        r"|manners|class|common\s+sense|brain|clue|life|self-control|self-respect|ambition|morals"
        r"|heart|soul)\b",
        "This is about who the person is, not what they did; name the one thing that happened "
        "and how it affected you.",
    ),
    # Sweeping words about the person beyond "always" and "never".
    _r(
        "absolute",
        rf"\b(?:all|the\s+only\s+thing)\s+{_YOU}\s+(?:ever\s+)?(?:do|does|did|care|think|talk"
        rf"|want)\b|\b{_YOU}\s+only\s+ever\b|\b{_YOU}\s+(?:make|made|turn|turned)\s+everything\s+"
        rf"about|\beverything\s+(?:is|'s|has\s+to\s+be)\s+(?:always\s+)?about\s+you\b"
        rf"|\b{_YOU}\s+(?:just\s+)?(?:do|did)\s+(?:whatever|what(?:ever)?\s+you\s+(?:want|like"
        rf"|please))\b|\bnot\s+(?:once|one\s+single\s+time)\b(?=[^.!?]*\byou\b)"
        rf"|\b{_YOU}\s+(?:do|did)\s+this\s+(?:every|all\s+the)\s+time\b|\bas\s+usual\b"
        r"(?=[^.!?]*\byou\b)|\b(?:you|u)\s+(?:still\s+)?(?:haven'?t|have\s+not)\s+(?:\w+\s+){0,4}?"
        r"once\b|\bfor\s+once\s+in\s+your\s+life\b|\byet\s+again\b(?=[^.!?]*\byou\b)"
        r"|\byou\s+(?:always|never)\s+do\s+this\b|\bagain\s+and\s+again\b(?=[^.!?]*\byou\b)",
        "A sweeping word ('everything', 'all you do', 'as usual') sums the person up from one "
        "moment; describe the moment instead.",
        "polarity",
    ),
    # Mind reading: motives stated as fact.
    _r(
        "mind_reading",
        rf"\b{_YOU_ARE}\s+(?:only|just)\s+(?:saying|doing|being|acting|pretending|here|with"
        r"\s+me|nice|sorry|helping|calling|apologi\w+)\b[^.!?]{0,40}?\b(?:because|so\s+(?:that\s+)?"
        r"you|to\s+get)\b|\b{_YOU_ARE}\s+(?:doing|saying)\s+(?:this|that|it)\s+(?:just\s+|on\s+purpose\s+)?"
        r"(?:to|because|so)\b|\b(?:did|do|does|doing|said|say|saying|says|just|only)\b[^.!?]{0,40}?"
        r"\bto\s+(?:punish|spite|hurt|humiliate|embarrass|manipulate|annoy|upset|test|get\s+back\s+at"
        r")\s+me\b|\b(?:did|do|does|doing|said|say|saying|just|only)\b[^.!?]{0,40}?\bto\s+make\s+me"
        rf"\s+(?:jealous|look\s+bad|feel\s+(?:bad|guilty|stupid|small)|angry|mad|suffer)\b|\b{_YOU}\s+(?:pretend|pretended"
        r"|act|acted)\b[^.!?]{0,60}?\bso\s+(?:that\s+)?you\b|\bso\s+(?:that\s+)?you\s+(?:don'?t"
        rf"|didn'?t|wouldn'?t|won'?t)\s+have\s+to\b|\b{_YOU}\s+(?:don'?t|do\s+not|never)\s+"
        rf"(?:even|actually|really)\s+(?:like|love|want|care|mean|listen|try)\b"
        rf"|\b{_YOU}\s+just\s+put\s+up\s+with\b|\b{_YOU}\s+only\s+(?:\w+\s+){{1,6}}?because\b"
        rf"|\b{_YOU}\s+(?:probably|secretly)\s+(?:think|want|wanted|enjoy|like|love|planned)\b"
        rf"|\b{_YOU}\s+(?:must|probably)\s+think\b|\b{_YOU}\s+think\s+(?:you'?re|i'?m|i\s+am"
        rf"|you\s+are)\s+(?:so\s+|better|always|above|stupid|an?\s+idiot)|\b{_YOU}\s+(?:love"
        rf"|enjoy|like)\s+(?:seeing|watching|making)\s+me\b|\b{_YOU}\s+(?:couldn'?t|can'?t)\s+be"
        rf"\s+bothered\b|\b{_YOU}\s+(?:wanted|want)\s+(?:this|that)\s+to\s+happen\b|(?<!to\s)\badmit\s+it\b"
        r"|\b(?:you'?re|you\s+are|you\s+were)\s+(?:lying|faking|pretending|hiding\s+something)"
        r"(?:\s*[.!?,]|\s*$|\s+(?:to\s+me|again|about))|\bi\s+know\s+(?:you|what\s+you)\s+(?:really"
        r"|secretly)\b|\b(?:you'?d|you\s+would)\s+rather\b(?=[^.!?]*\bthan\b)"
        rf"|\b{_YOU}\s+(?:don'?t|do\s+not)\s+(?:want|care)\s+(?:to\s+)?(?:about\s+)?(?:me|us|this"
        r"\s+family|be\s+here)\b|\byou\s+(?:like|love|enjoy)\s+(?:the\s+)?(?:drama|attention"
        r"|fighting|arguing|being\s+the\s+victim)\b|\b(?:you|u)\s+(?:just|only)\s+(?:want|care\s+about"
        r"|love)\s+(?:attention|money|sex|my\s+money|to\s+win|to\s+be\s+right)\b",
        "This states the other person's motive as fact; describe what you saw and ask what it "
        "meant.",
    ),
    # Blame: the outcome is put on the person.
    _r(
        "blame",
        rf"\b{_YOU}(?:'ve|\s+have)\s+(?:\w+\s+)?(?:ruined|wrecked|destroyed|spoiled|spoilt"
        rf"|screwed\s+up|messed\s+up|broken)\b|\b{_YOU}\s+(?:broke|lost|forgot|cost|crashed|dented"
        r"|burnt|burned|scratched|spilled|spilt)\b[^.!?]{0,80}?(?:\b(?:and\s+now|now\s+(?:i|we|nobody"
        r"|no\s+one|the)|so\s+now|thanks|nice|great)\b|\.\s*nice|\.\s*great)"
        r"|\bif\s+(?:only\s+)?(?:you|u)(?:'d(?!\s+(?:like|prefer|rather|want|be\s+(?:up|willing"
        r"|open|ok|okay|happy)))|\s+had|\s+hadn'?t|\s+would\s+(?:just\s+)?have|\s+just|\s+did)\b"
        r"[^.!?]{0,90}?\b(?:we|i)(?:'d|\s+would|\s+wouldn'?t|\s+could|'?ve)\b"
        r"|\ball\s+because\s+(?:of\s+)?you\b|\byou\s+did\s+this\s*(?:[.!]|$|to\s+(?:me|us))"
        r"|\b(?:you|u)\s+(?:caused|started)\s+(?:this|all\s+(?:this|of\s+this)|it)\s*(?:[.!,]|$)"
        r"|\b(?:you|u)\s+(?:caused|started)\s+the\s+(?:fight|argument|whole)\b"
        r"|\bthis\s+is\s+what\s+happens\s+when\s+you\b|\bbecause\s+you\s+couldn'?t\b"
        r"|\b(?:you|u)\s+(?:got|get)\s+us\s+(?:into|in)\b"
        r"|\bnow\s+look\s+what\b|\bsee\s+what\s+you(?:'ve)?\s+(?:did|done|made)\b",
        "This puts the outcome on the other person; say what happened, how it affected you, and "
        "what you need now.",
        "polarity",
    ),
    # Threats and ultimatums beyond "if you … I'm leaving".
    _r(
        "threat",
        r"\b(?:you'?d|you)\s+better\b|\bor\s+(?:else|i'?m\s+(?:leaving|done|gone|out|calling"
        r"|moving|taking)|we'?re\s+(?:done|over|through|finished)|you'?re\s+(?:out|done|gone"
        r"|sleeping)|i'?ll\s+(?:leave|kick|throw|call|take|tell|make|end|break|report|never|block)"
        r"|i\s+will\s+(?:leave|kick|throw|call|take|tell|make|end|report|never)|you\s+can\s+(?:leave"
        r"|go|pack|forget|sleep))\b|\bdon'?t\s+make\s+me\s+(?:come|say|tell|ask|repeat|do|get|call"
        r"|choose|regret)\b|\byou'?ll\s+(?:be\s+sorry|regret|pay)\b|\bwatch\s+what\s+happens\b"
        r"|\btry\s+me\b|\bi'?m\s+warning\s+you\b|\b(?:this\s+is\s+(?:your\s+)?|your\s+)(?:last"
        r"|final)\s+(?:chance|warning)\b|\bfinal\s+warning\b|\bi\s+swear\s+(?:to\s+god\s+)?if\b"
        r"|\bdon'?t\s+even\s+think\s+about\b|\bi'?ll\s+make\s+(?:sure\s+you|you\s+(?:pay|regret"
        r"|sorry))\b|\bunless\s+you\b[^.!?]{0,80}?\b(?:i'?ll|i'?m|i\s+will|we'?re|you'?re|you\s+can)"
        r"\s+(?:leave|leaving|done|gone|out|over|through|moving|taking|calling|telling|sleep"
        r"|sleeping|forget|find|never)\b|\bif\s+(?:you|u)\b[^.!?]{0,80}?\b(?:i'?ll|i\s+will|i'?m"
        r"|we'?re)\s+(?:(?:just|going\s+to|gonna)\s+)?(?:leave\s+(?:you|this|for\s+good)|leaving"
        r"\s+(?:you|for\s+good)|done\s+with\s+(?:you|this|us)|divorce|dump|kick|throw|block|call\s+the"
        r"\s+(?:police|cops)|move\s+out|break\s+up|cut\s+you\s+off|stop\s+(?:talking|speaking|paying)"
        r"|never\s+(?:speak|talk|forgive|trust)|tell\s+everyone|over\b|through\b)"
        r"|\b(?:i'?ll|i\s+will)\s+leave\s+you\b|\bi'?m\s+(?:leaving|done\s+with)\s+you\b"
        r"|\bdon'?t\s+bother\s+coming\s+(?:back|home)\b|\bpack\s+your\s+(?:bags|things|stuff)\b"
        r"|\b(?:i'?ll|i\s+will)\s+(?:take\s+the\s+kids|tell\s+everyone|make\s+your\s+life)\b"
        r"|\byou\s+won'?t\s+(?:see|get)\s+(?:the\s+kids|a\s+penny|me\s+again)\b"
        r"|\b(?:it'?s|it\s+is)\s+(?:me\s+or|either\s+me\s+or)\b|\bchoose\s+(?:me\s+or|between\s+me)\b"
        r"|^\s*(?!(?:i|we|it|the|he|she|they|my|this|that)\b)\w+\b[^.!?]{0,40}?\bagain\b[^.!?]{0,20}?"
        r"\band\s+(?:you'?ll|you'?re\s+(?:out|done|gone|sleeping)|that'?s\s+(?:it|the\s+end)"
        r"|we'?re\s+(?:done|over|through|finished)|i'?m\s+(?:leaving|done|gone|out)|i'?ll\s+(?:leave"
        r"|kick|throw|tell|call))\b|^\s*keep\s+\w+ing\b[^.!?]{0,60}?\band\s+(?:you'?ll|you'?re|i'?m|i'?ll|we'?re)\b"
        r"|\beither\s+you\b[^.!?]{0,80}?\bor\s+(?:i|we)\b|\bthe\s+end\s+of\s+(?:us|this\s+marriage"
        r"|this\s+relationship)\b|\byou'?re\s+out\s+of\s+(?:this|here|my)\b"
        r"|\bif\s+(?:you|u)\b[^.!?]{0,80}?\b(?:i'?m|i\s+am)\s+(?:telling|tell)\s+(?:everyone|your)\b",
        "An ultimatum or threat makes the other person choose under fear instead of talking; say "
        "what you need and what you will do to look after yourself.",
    ),
    # Orders: a harsh one opening a sentence, or a plain one with urgency and no softener.
    _r(
        "command",
        rf"{_DIALOGUE_OPEN}{_HARSH_ORDER}\b"
        rf"|{_DIALOGUE_OPEN}{_PLAIN_ORDER}\b(?=[^.!?]*(?:\bnow\b|\balready\b|\bimmediately\b"
        r"|\bfor\s+once\b|\bthis\s+(?:instant|minute|second)\b))",
        "An order ends the conversation instead of asking; say what you need and ask for it "
        "('Could you …?').",
        "command",
    ),
    # Labels: "you're a/an <negative noun>", "you're so <negative adjective>".
    _r(
        "name_calling",
        rf"\b{_YOU_ARE}\s+(?!not\b)(?:\w+\s+){{0,3}}?{_NEG_LABELS}\b",
        "A label like this is about who the person is, not what they did; name the behaviour "
        "instead.",
        "label",
    ),
)


# Shapes added after reading blind set G's misses (2026-11-29), one kind at a time and written
# as shapes, not lines; set H's rows were never read, so H measures whether they carry over.
_PUNISH = (
    r"(?:leave|leaving|done|gone|finished|over|through|filing|divorce|dump|kick\s+you|block"
    r"|move\s+out|moving\s+out|break\s+up|call\s+it\s+quits|start\s+looking|looking\s+at"
    r"\s+(?:flats|apartments|houses)|taking\s+the\s+(?:kids|children|car)|take\s+the\s+(?:kids"
    r"|children)|telling\s+(?:him|her|them|everyone|your)|tell\s+(?:him|her|them|everyone|your)"
    r"|going\s+to\s+(?:my|a|the)\s+(?:solicitor|lawyer|police)|call(?:ing)?\s+(?:the\s+police"
    r"|my\s+(?:solicitor|lawyer))|post(?:ing)?\s+(?:the|those|your)|sleeping\s+on\s+the|seeing"
    r"\s+the\s+kids|cut\s+you\s+off|walk(?:ing)?\s+out)"
)
_RULES_FROM_G: Final[tuple[_Rule, ...]] = (
    _r(
        "threat",
        r"\b(?:i'?m\s+giving\s+you|you'?ve\s+got|you\s+have)\s+(?:until|till|one\s+(?:week|month"
        r"|day|chance))\b|^\s*(?:the\s+)?next\s+time\s+you\b[^.!?]{0,80}?\b(?:i'?m|i'?ll|i\s+will"
        rf"|we'?re|you'?ll|you'?re)\s+(?:(?:just|going\s+to)\s+)?{_PUNISH}"
        rf"|\bor\s+i'?m\s+{_PUNISH}|\beither\s+\w+\s+goes\s+or\b|^\s*(?:it'?s\s+)?me\s+or\s+(?:the"
        r"|your|her|him|them|it|that)\b|^\s*(?:keep|carry\s+on)\b[^.!?]{0,60}?\band\s+(?:you'?ll"
        r"|you'?re|see|i'?m|i'?ll|we'?re|watch)\b|^\s*you\s+\w+\b[^.!?]{0,40}?\band\s+(?:we'?re"
        r"|you'?re|i'?m)\s+(?:finished|done|over|through|out|gone)\b|\byou\s+can\s+(?:forget"
        rf"|sleep|find)\b|\bif\s+(?:you|u)\b[^.!?]{{0,80}}?\b(?:i'?ll|i\s+will|i'?m|we'?re|we)\s+"
        rf"(?:(?:just|going\s+to|gonna|should\s+just|should)\s+)?{_PUNISH}|\bdon'?t\s+think\s+i"
        r"\s+won'?t\b|\bdon'?t\s+expect\s+(?:me|there|us|a|to)\b[^.!?]{0,60}?\bwhen\s+you\b"
        rf"|\b(?:i'?ll|i\s+will|i'?m\s+going\s+to)\s+{_PUNISH}\b[^.!?]{{0,60}}?\b(?:if|unless)\s+you"
        r"\b|\bmaybe\s+we\s+should\s+(?:just\s+)?(?:call\s+it\s+quits|break\s+up|split\s+up|end\s+it)"
        r"\b|\bi'?ll\s+post\s+(?:the|those|your)\b",
        "An ultimatum or threat makes the other person choose under fear instead of talking; say "
        "what you need and what you will do to look after yourself.",
    ),
    _r(
        "command",
        r"^\s*kindly\s+\w+|^\s*(?:go\s+on,?\s+)(?:get\s+out|go|leave|do\s+it)\b|\bdon'?t\s+you\s+"
        r"(?!think|love|like|want|worry|know|agree|feel|remember|miss)\w+|\bdon'?t\s+walk\s+away\s+"
        r"from\s+me\b|^\s*you\s+will\s+not\b|^\s*you'?re\s+not\s+going\s+(?:out|anywhere)\b"
        r"|^\s*get\s+off\s+(?:the|your|my)\s+\w+\s+and\b",
        "An order ends the conversation instead of asking; say what you need and ask for it "
        "('Could you …?').",
        "command",
    ),
    _r(
        "command",
        r"^\s*(?:delete|send|apologi[sz]e|show|unlock|hand|sign|block|unfollow|cancel|return|ring"
        r"|call|text|tell|give|get|put|take|clean|tidy|pay|fix)\s+\w+",
        "An order ends the conversation instead of asking; say what you need and ask for it "
        "('Could you …?').",
        "urgent",
    ),
    _r(
        "contempt",
        r"\bcongrats\s+on\b|\bbig\s+bad\b|\b(?:father|mother|husband|wife|partner|boyfriend"
        r"|girlfriend|parent|employee|friend|dad|mum|mom)\s+of\s+the\s+year\b|\byou'?ve\s+(?:really"
        r"\s+)?outdone\s+yourself\b|\bheard\s+(?:that|this)\s+(?:one\s+)?before\b|^\s*(?:yeah|oh"
        r"|sure),?\s+i'?m\s+sure\b|\breally\s+(?:felt|feeling)\s+the\s+(?:love|support)\b"
        r"|^\s*(?:such\s+a|what\s+a|my)\s+hero\b|\bin\s+crayon\b|\bdo\s+you\s+want\s+me\s+to\s+"
        r"(?:spell|draw|write)\s+it\b|^\s*(?:great|nice|good|brilliant|lovely)\s+(?:job|work|one"
        r"|going)\s*[.!]*\s*$",
        "Sarcasm and faux praise signal contempt, which hurts more than the complaint; say the "
        "complaint plainly.",
        "after_complaint",
    ),
    _r(
        "name_calling",
        r"\b(?:stupid|fucking|useless|lazy|selfish|pathetic|bloody|absolute|complete|total|utter"
        r"|fat|ugly|dumb)\s+(?:fucking\s+|bloody\s+)?(?:cow|bitch|idiot|moron|prick|twat|wanker"
        r"|tosser|knob|dickhead|bastard|arsehole|asshole|pig|slob|loser|cunt|dick|git|plonker)\b"
        r"|\b(?:mumm?y'?s|mommy'?s|mama'?s|daddy'?s)\s+(?:boy|girl)\b|\bdon'?t\s+be\s+(?:such\s+)?"
        rf"(?:a|an)\s+(?:\w+\s+)?(?:{_LABEL}|{_NEG_LABELS}|cow|knob|tosser|wanker|dickhead)\b"
        r"|\bdon'?t\s+be\s+(?:so\s+)?(?:dramatic|childish|ridiculous|pathetic|stupid|selfish"
        r"|precious|difficult|silly)\b|(?:^|,)\s*(?:cheers|thanks|ta|nice\s+one|well\s+done),?\s+"
        r"(?:arsehole|asshole|dickhead|knob|idiot|genius|einstein|moron|bitch)\b",
        "Calling someone a name attacks the person; say what they did and how it affected you.",
    ),
    _r(
        "character_attack",
        r"\ba\s+(?:normal|decent|reasonable|sane|real|proper|good)\s+(?:person|man|woman|partner"
        r"|husband|wife|adult|mother|father|parent|boyfriend|girlfriend|human)\s+would\b"
        r"|\b(?:you'?re|you\s+are)\s+(?:just\s+)?not\s+(?:a\s+)?(?:very|particularly|remotely)\s+"
        r"\w+\s+(?:person|partner|man|woman|husband|wife|friend|father|mother|dad|mum|mom)\b"
        r"|\bsomething\s+(?:\w+\s+)?(?:wrong|broken|missing)\s+(?:with|in)\s+you\b|\byou\s+can'?t"
        r"\s+be\s+trusted\b|\bwhat\s+(?:kind|sort)\s+of\s+(?:\w+\s+)?(?:person|man|woman|mother"
        r"|father|parent|friend|partner|adult|husband|wife)\s+\w+s\b|\bturning\s+into\s+your\s+"
        r"(?:mother|mom|mum|dad|father)\b|\b(?:you'?re|you\s+are)\s+(?:not\s+)?capable\s+of\s+"
        r"(?:loving|love|caring|empathy|anything|being)\b|\bthe\s+(?:emotional\s+)?(?:maturity"
        r"|intelligence|attention\s+span|brain|manners|empathy)\s+of\s+an?\b|\b(?:you'?re|you\s+are)"
        r"\s+(?:emotionally\s+)?stunted\b",
        "This is about who the person is, not what they did; name the one thing that happened "
        "and how it affected you.",
    ),
    _r(
        "character_attack",
        r"\b(?:you'?re|you\s+are)\s+the\s+most\s+\w+\s+(?:person|man|woman|human|people)\b",
        "This is about who the person is, not what they did; name the one thing that happened "
        "and how it affected you.",
        "polarity",
    ),
    _r(
        "mind_reading",
        r"\bthat'?s\s+what\s+this\s+is\s+(?:really\s+)?about\b|\b(?:you'?re|you\s+are)\s+(?:just\s+)?"
        r"jealous\b|\byou'?re\s+enjoying\s+this\b|\bjust\s+to\s+(?:shut\s+me\s+up|get\s+rid\s+of"
        r"\s+me|keep\s+me\s+quiet|make\s+me\s+stop|get\s+me\s+off)|\bi\s+can\s+(?:tell|see)\s+(?:that\s+)?"
        r"you(?:'re|\s+are)?\s+(?:just|only|secretly|don'?t|never|hate|want|waiting|lying|bored"
        r"|not\s+(?:interested|listening|sorry))\b|\bi\s+can\s+tell\s*[.!]*\s*$|\byou\s+(?:don'?t|do\s+not)\s+(?:even\s+)?fancy\s+me\b|\byou\s+just\s+"
        r"(?:miss|want|need)\s+(?:having|someone|a\s+(?:cook|cleaner|maid|wallet))\b|^\s*(?:i\s+)?"
        r"bet\s+you\b|\bbecause\s+you'?re\s+(?:bored|tired|sick)\s+of\s+me\b|\b(?:you'?re|you\s+are)"
        r"\s+only\s+(?:upset|angry|sorry|mad|nice|here|being\s+nice)\s+because\b|\bi\s+know\s+you"
        r"(?:'ve|\s+have)?\s+already\b|\bwaiting\s+for\s+an?\s+excuse\b|\bi\s+know\s+you'?re\s+"
        r"(?:secretly|just|only|really)\b|\bto\s+make\s+me\s+(?:look\s+(?:bad|stupid)|jealous"
        r"|feel\s+(?:bad|guilty|small|stupid))\b|\bput\s+you\s+up\s+to\b|\btold\s+you\s+to\s+say"
        r"\s+that\b",
        "This states the other person's motive as fact; describe what you saw and ask what it "
        "meant.",
    ),
    _r(
        "blame",
        r"\byou\s+\w+\b[^.!?]{0,80}?\band\s+(?:now\s+)?i\s+(?:had|have)\s+to\b|\byou\s+(?:embarrassed"
        r"|humiliated|belittled|ignored|abandoned|betrayed|disrespected|insulted|blindsided"
        r"|undermined|lied\s+to|showed)\s+me\b|\byou\s+promised\b[^.!?]{0,60}?\band\s+you\s+"
        r"(?:didn'?t|never|forgot)\b|\b(?:it'?s|its)\s+always\s+you\b|\balways\s+you\s+who\b"
        r"|\band\s+i'?m\s+the\s+one\s+(?:who|dealing|left|cleaning|picking|doing)\b|\byou(?:'ve"
        r"|\s+have)\s+(?:\w+\s+)?blown\b",
        "This puts the outcome on the other person; say what happened, how it affected you, and "
        "what you need now.",
        "polarity",
    ),
    _r(
        "absolute",
        r"\byou\s+(?:keep|kept)\s+(?:on\s+)?\w+ing\b|\byou'?d\s+never\b|\byou\b[^.!?]{0,30}?\bthe"
        r"\s+(?:whole|entire)\s+(?:of\s+)?(?:\w+\s+)?(?:night|evening|time|day|weekend|party|dinner"
        r"|meal|holiday|trip)\b",
        "A sweeping word ('you keep …', 'the whole night') sums the person up from one moment; "
        "describe the moment instead.",
        "polarity",
    ),
    _r(
        "defensiveness",
        r"\bi\s+said\s+i'?m\s+fine\b|^\s*nothing'?s\s+wrong\s*[.!]*\s*$|\bwhat\s+(?:more|else)\s+do"
        r"\s+you\s+want\b|\byou\s+were\s+the\s+one\s+who\b|^\s*don'?t\s+look\s+at\s+me\b|\bi'?ll"
        r"\s+wait\s*[.!]*\s*$|\beverything\s+i'?ve\s+ever\s+done\s+wrong\b|\bi'?m\s+not\s+the\s+"
        r"problem\b|\bhave\s+you\s+(?:looked\s+at|seen)\s+yourself\b|^\s*me\s*\?\s*$|^\s*(?:well,?\s+)?"
        r"maybe\s+if\s+you\b|\bi\s+(?:haven'?t|didn'?t|have\s+not|did\s+not)\s+(?:done|do)\s+"
        r"(?:anything|a\s+thing)\s+wrong\b",
        "Defending or turning the blame around closes the conversation; take the part that is "
        "yours, even a small one, and say what you need.",
    ),
    _r(
        "stonewalling",
        r"^\s*not\s+listening\b|\btalk\s+to\s+the\s+wall\b|\bthis\s+is\s+(?:pointless|a\s+waste\s+of"
        r"\s+(?:time|breath))\b|^\s*end\s+of\s*[.!]*\s*$|^\s*(?:yep|yup|ok|okay|noted|sure)\s*[.!]*"
        r"\s*$",
        "Shutting the talk down ('fine', 'whatever', 'I'm done') leaves the other person alone "
        "with it; if you need a break, say so and say when you'll come back to it.",
        "terse",
    ),
)


# Shapes added after reading blind set J's misses (2026-11-29, fifth session; a family
# mediator's co-parenting texts and emails: polite-sounding orders, legal threats, faux praise),
# one kind at a time and written as shapes, not lines. J's rules-alone figure is therefore
# optimistic; the held-out author K, whose rows nobody read, measures whether they carry over.
_LEGAL = (
    r"(?:judge|court|magistrate|mediator|lawyers?|solicitors?|attorneys?|guardian\s+ad\s+litem)"
)
_RULES_FROM_J: Final[tuple[_Rule, ...]] = (
    _r(
        "threat",
        rf"\bor\s+i'?ll\s+(?:be\s+)?(?:fil(?:e|ing)|report|call|contact|tak(?:e|ing)|go(?:ing)?\s+to)\b"
        rf"|\b(?:in\s+front\s+of|straight\s+to|report(?:ed)?\s+to|tell(?:ing)?)\s+the\s+{_LEGAL}\b"
        rf"|\blet\s+the\s+{_LEGAL}\s+(?:sort|deal|handle|decide)\b|\b(?:my|our)\s+{_LEGAL}\s+will\s+be"
        r"\s+in\s+touch\b|\bhearing\s+from\s+my\s+(?:lawyer|solicitor|attorney)\b|\bi'?m\s+"
        r"(?:documenting|recording|logging|screenshotting|keeping\s+(?:a\s+)?(?:record|log|track))\s+"
        r"(?:every|all|each)\b|\bi\s+will\s+make\s+sure\s+(?:the\s+(?:kids|children)|everyone"
        r"|they|you)\b|\bif\s+i\s+were\s+you\b|\bthink\s+very\s+carefully\b|\bmaybe\s+(?:the\s+"
        r"(?:kids|children)|they|he|she)\s+should\s+(?:just\s+)?(?:live|stay)\s+with\s+me\b"
        r"|\bif\s+that'?s\s+how\s+you\s+want\s+(?:it|to\s+play\s+it)\b|\bfull\s+custody\b",
        "An ultimatum or threat makes the other person choose under fear instead of talking; say "
        "what you need and what you will do to look after yourself.",
    ),
    _r(
        "command",
        r"^\s*please\s+(?:refrain|cease|just\s+stop)\b|^\s*(?:do\s+not|don'?t)\s+"
        r"(?!worry|feel|apolog|hesitate|rush|stress|forget|wait\s+up|leave\s+without\s+(?:me|us)"
        r"|be\s+(?:sorry|afraid|scared|hard|too)|mind"
        r"|get\s+me\s+wrong|take\s+this\s+the\s+wrong)\w+|^\s*you\s+will\s+be\s+\w+ing\s+(?:the"
        r"|them|him|her|it|my|your|back)\b|^\s*you\s+need\s+to\s+(?!rest|relax|sleep|eat|look\s+after"
        r"|take\s+care|take\s+a\s+break|be\s+kind|go\s+easy|know\s+(?:that|i|how))\w+|\bi'?(?:ll|\s+"
        r"will)\s+need\s+you\s+to\b|\beffective\s+immediately\b|\bi'?m\s+not\s+asking\s+(?:again"
        r"|twice)\b|^\s*have\s+(?:them|him|her|it)\s+(?:in|at|back|ready|home)\b|^\s*leave\s+(?:the"
        r"|it|that|this|all)\b[^.!?]{0,40}\bto\s+me\b|^\s*(?:going\s+forward|from\s+now\s+on),?\s+"
        r"(?:please\s+)?(?:you\s+(?:will|must|are\s+to)|do\s+not|don'?t|run|make\s+sure)\b|\bdo\s+"
        r"not\s+sign\b|^\s*(?:just\s+)?stop\s+(?:talking|texting|calling|messaging|emailing)\b",
        "An order ends the conversation instead of asking; say what you need and ask for it "
        "('Could you …?').",
    ),
    _r(
        "contempt",
        r"\bhow\s+(?:brave|kind|generous|thoughtful|nice|good|considerate|big|mature|gracious)\s+of"
        r"\s+you\s+to\s+(?:finally|actually|even|bother)\b|\bthat'?s\s+rich\b|\benlighten\s+me\b"
        r"|\bi'?m\s+glad\s+one\s+of\s+us\s+(?:gets|can|has|is)\b|\bwell\s+done\s+on\b[^.!?]{0,60}"
        r"\b(?:lie|lying|lies|ruin|miss|forg[eo]t|ignor|break|wreck|cheat)|\blearn(?:ed|t)\s+from\s+"
        r"the\s+best\b|\b(?:which|that)\s+i\s+(?:assume|imagine|guess)\s+you'?(?:ve|\s+have|\s+were|re"
        r"|\s+are)?\s+(?:been\s+)?(?:far\s+|much\s+|way\s+)?too\s+busy\b|\bper\s+my\s+(?:previous"
        r"|last)\s+(?:\w+\s+)?(?:emails?|messages?|texts?)\b|^\s*oh,?\s+(?:so\s+)?(?:now\s+)?"
        r"you'?re\s+(?:upset|angry|hurt|sad|tired|busy|stressed|offended)\b|\bi'?m\s+sure\s+(?:your"
        r"|his|her)\s+(?:new\s+)?\w+\s+(?:is|was|are)\s+(?:a\s+)?(?:wonderful|great|lovely"
        r"|fantastic|amazing|perfect|delightful)\b",
        "Sarcasm and faux praise signal contempt, which hurts more than the complaint; say the "
        "complaint plainly.",
    ),
    _r(
        "contempt",
        r"^\s*(?:bravo|slow\s+clap|way\s+to\s+go|nice\s+going|so\s+(?:thoughtful|considerate|helpful"
        r"|mature)|(?:truly|really|seriously)\s*[.!]*\s*$|really\s+(?:inspiring|consistent|impressive"
        r"|mature|helpful)(?:\s+stuff)?)\b",
        "Sarcasm and faux praise signal contempt, which hurts more than the complaint; say the "
        "complaint plainly.",
        "after_complaint",
    ),
    _r(
        "character_attack",
        r"\byou'?re\s+the\s+(?:kind|sort|type)\s+of\s+(?:person|man|woman|guy|girl|parent|mother"
        r"|father|partner)\s+who\b|^\s*(?:so\s+)?typical\s+[a-z]+\s*[.!]",
        "This is about who the person is, not what they did; name the one thing that happened "
        "and how it affected you.",
        "polarity",
    ),
    _r(
        "name_calling",
        r"^\s*(?:fuck|piss|sod|bugger|get)\s+off\b|\b(?:nosy|stupid|silly|miserable|bitter|crazy"
        r"|lazy|interfering)\s+old\s+(?:bat|cow|hag|witch|goat|fool|git|bag|bag)\b|\bold\s+"
        r"(?:bat|hag|witch|cow)\b",
        "Calling someone a name attacks the person; say what they did and how it affected you.",
    ),
    _r(
        "mind_reading",
        r"\bjust\s+to\s+(?:look|seem|appear|make\s+(?:yourself|himself|herself|me))\b|\bonly\s+"
        r"(?:being\s+nice|doing\s+(?:this|that|it)|saying\s+(?:this|that)|here|helping|calling"
        r"|'?\w+'?)\b[^.!?]{0,50}\bbecause\s+(?:you|he|she|they)\s+(?:want|wanted|need|needed"
        r"|didn'?t\s+want|don'?t\s+want)\b|\byou\s+were\s+(?:hoping|counting\s+on|banking\s+on)"
        r"\s+(?:i'?d|me|that\s+i)\b|\byou\s+resent\s+(?:that|me|it|the\s+fact)\b|\bbehind\s+my"
        r"\s+back\s+to\b",
        "This states the other person's motive as fact; describe what you saw and ask what it "
        "meant.",
    ),
    _r(
        "blame",
        r"^\s*thanks\s+to\s+you\b(?=[^.!?]*\b(?:cancel\w*|ruin\w*|miss\w*|lost|late|crying|upset"
        r"|can'?t|won'?t|didn'?t|never|anymore|has\s+to|had\s+to|thinks|believes))|\bbecause\s+you\s+(?:let|made|told|allowed|forgot|didn'?t)\s+"
        r"(?:them|him|her|the\s+(?:kids|children))\b|\bi\s+(?:just\s+)?(?:think|feel)\s+(?:like\s+)?"
        r"you(?:'ve|\s+have)?\s+(?:been\s+)?(?:dishonest|lying|lied|broke|broken|ruined|wrecked"
        r"|violated|ignored|hiding|hid)\b|\byou\b[^.!?]{0,80}\b(?:without|before)\s+(?:even\s+)?"
        r"(?:telling|asking|consulting|checking\s+with|informing|we\s+(?:agreed|discussed|talked"
        r"|decided))\b",
        "This puts the outcome on the other person; say what happened, how it affected you, and "
        "what you need now.",
        "polarity",
    ),
    _r(
        "stonewalling",
        r"\bi\s+don'?t\s+have\s+time\s+for\s+this\b|\bi'?m\s+not\s+(?:going\s+to|gonna)\s+"
        r"(?:respond|reply|answer|engage|dignify|discuss|read)\b|\bnot\s+reading\s+all\s+(?:that"
        r"|this)\b|\bi'?ll\s+(?:reply|respond|answer|text\s+back|call\s+back|get\s+back\s+to\s+you)"
        r"\s+when\s+i\s+feel\s+like\s+it\b",
        "Shutting the talk down ('fine', 'whatever', 'I'm done') leaves the other person alone "
        "with it; if you need a break, say so and say when you'll come back to it.",
        "stonewall",
    ),
    _r(
        "defensiveness",
        r"\bsorry\s+not\s+sorry\b|\bi\s+did\s+what\s+i\s+had\s+to\s+do\b",
        "Defending or turning the blame around closes the conversation; take the part that is "
        "yours, even a small one, and say what you need.",
    ),
)


# Sarcasm shapes added after reading blind set L's missed sarcasm (fifth session; a student
# adviser's group-chat style), written as shapes; M's rows were never read, so M measures them.
_RULES_FROM_L: Final[tuple[_Rule, ...]] = (
    _r(
        "contempt",
        r"\b(?:congrats|congratulations|well\s+done|bravo|good\s+job|gold\s+star)\b.{0,20}\b(?:on|for)"
        r"\s+(?:finally\s+|actually\s+|even\s+)?(?:remembering|showing\s+up|answering|replying|managing"
        r"|noticing|turning\s+up|doing\s+the\s+bare\s+minimum|getting\s+out\s+of\s+bed)\b|\bah\s+yes,?"
        r"\s+the\s+(?:famous|classic|legendary|good\s+old|old)\b|\byou\s+(?:were|was|are|'re|went|had)"
        r'\b[^"]{0,20}"[^"]{2,40}"|\bthanks\s+(?:so\s+much\s+)?for\s+the\s+(?:lecture|sermon|ted\s+talk)\b'
        r"|,?\s+(?:professor|sherlock|einstein|captain\s+obvious|your\s+(?:majesty|highness))\s*[.!]*$"
        r"|^\s*imagine\s+(?:being\s+(?:\d+|an\s+adult|a\s+grown)|not\s+being\s+able|needing\s+your"
        r"|thinking\s+that)\b|\b(?:great|nice|stellar|top[- ]notch|brilliant|fantastic|real"
        r"|wonderful)\s+(?:parenting|listening|communication|driving|planning|timing|logic|effort|priorities)\s+"
        r"there\b|\bhow\s+(?:silly|stupid|foolish|selfish|awful|terrible)\s+of\s+me\b|\bthe\s+bar\s+"
        r"(?:is|was)\s+(?:on\s+the\s+floor|so\s+low|in\s+hell|underground)\b|\b(?:i\s+)?(?:love|adore)"
        r"\s+how\s+you\s+(?:only|never|always|somehow|just|conveniently)\b",
        "Sarcasm and faux praise signal contempt, which hurts more than the complaint; say the "
        "complaint plainly.",
    ),
    _r(
        "defensiveness",
        r"\b(?:everything|it)(?:'s|\s+is)\s+always\s+my\s+fault\b",
        "Defending or turning the blame around closes the conversation; take the part that is "
        "yours, even a small one, and say what you need.",
    ),
)


# Sarcasm as shapes (ninth session: held-out authors' sarcasm was caught about half as often as
# development authors'). The first rule was written before any row was looked at: warm words —
# thanks, "great", "so nice", "so brave of you" — said of the other person in the same sentence
# as an irony cue a sincere thank-you does not carry ("for once", "only took three hours", "yet
# again", "bothering", "three days late"). Cues a sincere thank-you does carry were tried and
# dropped after a review found them flagging warmth: "finally" ("thank you for finally telling
# me how you feel"), "as usual", "as always", "of course", "at all", "apparently", "so much for"
# ("thanks so much for…"), "when you don't" ("I really appreciate it when you don't rush me"),
# a bare "again" ("thanks again"). Alone it caught no development author's missed sarcasm, so
# the second was written after reading the sarcasm the coach missed in six development sets (M,
# O, Q, S, CB, CC): the dig after faux praise ("Another brilliant decision.", "Only took you
# three days."), mock apologies and titles, condescension, backhanded compliments, scare quotes.
# Only held-out authors measure it.
_WARM = (
    r"(?:thanks|thank\s+you|thx|ty|great|wow|oh\s+wow|nice|lovely|wonderful|brilliant|perfect"
    r"|fantastic|amazing|awesome|super|cool|good\s+for\s+you|so\s+nice|how\s+nice"
    r"|how\s+lovely|how\s+sweet|so\s+sweet|love|loving|gotta\s+love|got\s+to\s+love|appreciate"
    r"|really\s+appreciate|impressed|so\s+impressed|touched|honou?red|lucky|so\s+lucky|blessed"
    r"|congrats|congratulations|bravo|well\s+done|so\s+brave|how\s+brave|so\s+generous|how\s+generous"
    r"|what\s+a\s+(?:treat|joy|delight|gentleman|hero|catch|sweetheart|saint|team\s+player|pleasure)"
    r"|my\s+hero|so\s+(?:helpful|thoughtful|considerate|romantic|supportive|attentive|reliable"
    r"|caring))"
)
_IRONY_CUE = (
    r"(?:for\s+once(?!\s*,?\s*(?:i|we)\b)|yet\s+again|bother(?:ed|ing)?|gracing|deign\w*"
    r"|only\s+(?:took|(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:hours?"
    r"|days?|weeks?|months?|years?|reminders?))|all\s+by\s+myself|even\s+(?:bothered|noticed"
    r"|remembered)|(?:two|three|four|five|six|\d+)\s+(?:hours?|days?|weeks?|months?|years?)\s+"
    r"(?:late|later)|no\s+really)"
)
_I_SAY = (
    r"(?:i\s+(?:really\s+|just\s+|so\s+|do\s+)?|i'?m\s+(?:so\s+|really\s+|truly\s+)?"
    r"|i\s+am\s+(?:so\s+|really\s+|truly\s+)?)"
)
_SCARE_QUOTED = (
    r"(?:help|helping|rest|resting|work|working|listening|effort|busy|friend|friends|sorry|apology"
    r"|joke|job|support|plans?|trying|advice|research|meeting|cleaning|tidying|emergency|errands?"
    r"|quick\s+drink|one\s+drink|boys'?\s+night|girls'?\s+night|overtime|me\s+time)"
)
# Small chores and objects of mock sympathy ("was the hoover too heavy for you?").
_CHORE = (
    r"(?:dishwasher|hoover|vacuum|bins?|kettle|laundry|washing|basket|hamper|remote|mop|iron"
    r"|dishes|plates?|cups?|mugs?|sponge|shopping|lid|toilet\s+seat|loo\s+roll|toilet\s+roll|duvet"
    r"|socks?|recycling|microwave|spoon|fork|towel|broom|bed|pillow|bottle|nappy|diaper)"
)
# Mock titles and praise that a sincere message also uses ("you're honestly dad of the year,
# the kids loved it"): contempt only when the message carries no sincere thanks or love.
_SARCASTIC_UNLESS_SINCERE = (
    r"\b(?:parent|mum|mom|dad|father|mother|husband|wife|boyfriend|girlfriend|partner|son"
    r"|daughter|flatmate|friend|host)\s+of\s+the\s+(?:year|decade|century)\b",
    r"\bselfless\s+(?:king|queen|hero|legend)\b",
    r"\bhow\s+did\s+(?:the\s+world|humanity|anyone|everyone)\s+(?:ever\s+)?(?:cope|survive|manage)"
    r"\s+before\s+(?:you|u)\b",
    r"^\s*(?:brave|bold|interesting|fascinating)\s+(?:choice|strategy)\s*[.!]*\s*$",
    r"^(?![^.!?]*\blook(?:s|ed)?\b)[^.!?]*\bclassy\s+as\s+(?:ever|always|usual)\b",
)
# One shape per line: the dig after faux praise, mock apology, mock titles, condescension,
# backhanded compliments, scare quotes, mock enjoyment.
_SARCASTIC_SHAPES = (
    # Eleventh session, from the sarcasm the coach missed in development set CO (a set about
    # contempt): mock sympathy for a small chore, mock titles and ceremonies, "says the man
    # who", "funny how you … only", condescending explanations, mock offers, scare-quoted verbs.
    # Narrowed after a review that wrote sincere sentences against them ("oh no, was the drive
    # too much for you? rest up", "I'll slow down so you can keep up on the hike", "did you call
    # that plumber?"): each is in the tests as a sentence it must leave alone.
    rf"\b(?:oh|aw+|poor\s+(?:baby|thing|you|darling|love)|gosh)\b[^.!?]{{0,20}}\b(?:was|is|were)\s+"
    rf"(?:the|that|this|a|one)\s+(?:\w+\s+)?{_CHORE}\s+too\s+(?:heavy|hard|difficult|much"
    r"|complicated|taxing)\s*(?:for\s+(?:you|u)\s*)?\?",
    rf"\b(?:was|is|were)\s+(?:the|that|this|a|one)\s+(?:\w+\s+)?{_CHORE}\s+too\s+(?:heavy|hard"
    r"|difficult|much|complicated|taxing)\s+for\s+(?:you|u)\s*\?",
    rf"\bdid\s+(?:the|a|that|this)\s+(?:\w+\s+)?{_CHORE}\s+(?:break|hurt|injure|sprain)\s+(?:your|ur)\b",
    rf"\bif\b[^.!?]{{0,60}}\btoo\s+(?:taxing|demanding)\s+for\s+{_YOU}\b",
    r"\btoo\s+(?:taxing|hard|difficult|much|demanding)\s+for\s+a\s+(?:\w+\s+)?(?:genius|mind\s+like"
    r"\s+yours)\b",
    r"^\s*o+h+,?\s+big\s+(?:man|guy|shot)\b|^\s*big\s+(?:man|guy|shot)\s*\.?\s*$",
    r"\bthe\s+(?:great|mighty|famous)\s+(?:provider|one|genius|philosopher|expert|chef|man|lady"
    r"|\w+\s+punctuality)\s+(?:has\s+)?(?:arrived|has\s+spoken|speaks|strikes|returns)\b",
    r"\b(?:shall|should)\s+(?:we|i)\s+(?:all\s+)?(?:bow|curtsy|kneel|clap|applaud)\s*[.!?]*\s*$",
    r"\b(?:shall|should)\s+(?:we|i)\s+(?:throw\s+(?:you\s+|him\s+|her\s+)?a\s+parade|alert\s+the"
    r"\s+(?:press|media)|call\s+the\s+papers|get\s+(?:you|him|her)\s+a\s+(?:medal|trophy|certificate"
    r"|plaque)|leave\s+(?:you\s+)?a\s+review\s*[.!?]*\s*$)",
    r"\bsorry\s+(?:that\s+)?i\s+(?:can'?t|couldn'?t|didn'?t|don'?t)\s+read\s+(?:your|ur)\s+mind\b",
    r"\b(?:didn'?t|did\s+not)\s+reali[sz]e\s+i\s+was\s+(?:dating|married\s+to|living\s+with)\s+"
    r"(?:a|an)\s+(?:teenager|child|toddler|baby|kid|\w+[- ]year[- ]old)\b",
    r"\b(?:used\s+to|love|enjoy|get\s+to\s+enjoy)\s+being\s+the\s+only\s+(?:adult|grown[- ]up)\b",
    r"(?:^|[-–—]\s*)(?:says|said)\s+the\s+(?:man|woman|guy|girl|person|one|bloke|lady|boy)\s+who\b",
    r"(?:^|[-–—]\s*)from\s+the\s+(?:man|woman|guy|girl|person|bloke|lady)\s+who\b",
    r"\bfrom\s+the\s+(?:man|woman|guy|girl|person|bloke|lady)\s+who\s+(?:never|always|can'?t"
    r"|couldn'?t|won'?t)\b",
    r"\bby\s+the\s+(?:man|woman|guy|girl|person|bloke|lady)\s+who\s+(?:just|literally)\b",
    r"^\s*(?:funny|amazing|interesting|strange|weird|convenient)\s+how\s+(?:you|your|u|ur"
    r"|there'?s\s+(?:always\s+)?time)\b[^.!?]*\b(?:only|but|suddenly|conveniently|somehow)\b",
    r"^\s*good\s+to\s+know\s+(?:that\s+)?[^.!?]{3,80}\b(?:and|but)\s+(?:i|me)\s+(?:(?:don'?t|do\s+not"
    r"|doesn'?t)(?!\s+(?:need|have)\s+to)|never|get\s+nothing)\b",
    r"\b(?:let\s+me|i'?ll)\s+(?:explain|say|put)\s+(?:it\s+|this\s+|that\s+)?(?:again\s+)?(?:in|with"
    r"|using)\s+(?:very\s+|really\s+)?(?:small|little|smaller|tiny|one[- ]syllable)\s+words\b",
    rf"\b(?:talk|speak|say\s+it|go)\s+(?:really\s+|very\s+)?slowly\s+so\s+{_YOU}\s+can\s+(?:keep\s+up"
    r"|follow|understand)\b",
    r"\bbig\s+(?:girl|boy|grown[- ]up)\s+words\b",
    rf"\bdid\s+{_YOU}\s+lose\s+a\s+bet\s*\?",
    r"\bdid\s+(?:chatgpt|a\s+robot|a\s+bot|a\s+child|a\s+toddler)\s+write\s+(?:it|that|this)\b",
    r"(?:\bout\s+of|\bfrom)\s+a\s+(?:fortune\s+cookie|christmas\s+cracker|cereal\s+box)\b",
    r"\b(?:advice|wisdom|line|joke|quote)\b[^.!?]{0,40}\b(?:fortune\s+cookie|christmas\s+cracker)\b",
    rf"(?<!do\s)(?<!did\s)\b{_YOU}\s+call\s+(?:that|this)\s+(?:a|an)\s+(?:\w+\s+)?\w+\s*\?",
    r"\b(?:heard\s+that\s+one\s+before|here\s+we\s+go\s+again)\b",
    r"^\s*(?:rough|tough|hard)\s+life\s*[.!]*\s*$",
    r"\bsorry\s+for\s+(?:existing|breathing|having\s+(?:feelings|needs|an\s+opinion|a\s+life))\b",
    r"\bthank(?:s|\s+you)\b[^.!?]{0,30}\bfor\s+(?:the|your|that)\s+(?:\w+\s+){0,2}(?:sigh"
    r"|eye[- ]?roll|lecture(?!\s+(?:notes|recording|slides))|silent\s+treatment|attitude|sulk)\b",
    r"\bhow\s+(?:unreasonable|inconsiderate|demanding|needy|ungrateful|selfish|dare)\s+of\s+me\s+to\b",
    r"\bhow\s+(?:unreasonable|demanding|needy)\s+of\s+me\s*[.!]*\s*$",
    r"\b(?:is\s+that|or\s+is\s+(?:that|it))\s+beneath\s+(?:you|u|a)\b",
    r"\bone\s+\(1\)",
    rf"\bi'?d\s+hate\s+to\s+see\s+(?:it\s+)?when\s+{_YOU}\b",
    rf"\bi'?d\s+hate\s+to\s+see\s+what\s+{_YOU}\s+(?:call|consider)\b",
    r"^\s*(?:oh,?\s+so|oh|so)\s+now\s+(?:you|u)\s+(?:want|wanna|care|decide|remember)\b(?=[^.!?]*\?)",
    r"\b(?:r+i{3,}ght|s+u{3,}re|o+ka{3,}y)\b(?![^.!?]{0,40}\b(?:i'?d\s+love|that'?s\s+fair|thanks"
    r"|thank\s+you|i'?ll|sounds\s+good|no\s+problem))",
    r"\b(?:great|good|well|nice|fit|pretty|clever|smart|young)\b,?\s+(?:\w+,?\s+){0,2}for\s+"
    r"(?:someone|a\s+(?:man|woman|guy|girl|person|mum|mom|dad))\s+who(?:'?s|\s+is|\s+has)?\s+"
    r"(?:(?:clearly|obviously)\s+(?:given\s+up|stopped|gave\s+up|not|never|doesn'?t|don'?t"
    r"|can'?t)|given\s+up)\b",
    r"\bis\s+a\s+bold\s+strategy\b",
    r"\bdo\s+i\s+need\s+(?:your\s+permission|permission\s+(?:from\s+you|to\s+(?:go|see|leave|have"
    r"|talk|eat|breathe|exist)))\b",
    r"\b(?:to|go|you|u)\s+[\"“‘'](?:let|allow|help|rest|babysit|cook|clean|work|forget|forgot"
    r"|discovered|invented|busy|tired|working|resting|helping|saving|quick)[\"”’']",
    # Tenth session, from the sarcasm the coach missed in development set CL (youth DMs).
    rf"\bnice\s+of\s+{_YOU}\s+to\s+(?:finally|even|bother|grace|show|turn|remember)\b",
    r"\b(?:really|truly|totally)\s+(?:felt|feeling|feel)\s+the\s+love\b",
    r"\bsorry\s+(?:that\s+)?my\s+(?:feelings|needs|existence|emotions|problems)\s+(?:are|is)\s+"
    r"(?:so\s+)?(?:inconvenient|a\s+burden|too\s+much|annoying)\b",
    r"\bbet\s+(?:that|it)\s+was\s+(?:real|really|so|super)\s+(?:hard|tough|exhausting)\s+"
    rf"for\s+{_YOU}\b",
    rf"\bi'?m\s+sure\s+{_YOU}\s+(?:were|was|are|r)\s+(?:very|so|really|super)\s+busy\b",
    r"^(?!.*\b(?:thanks?|love|with\s+you|together|us)\b)\s*another\s+(?:\w+\s+)?(?:brilliant"
    r"|great|wonderful|fantastic|amazing|stellar|genius|perfect|lovely|fine|classic|top[- ]notch)"
    r"\s+\w+",
    r"^\s*only\s+took\s+(?:you\s+)?\w+",
    r"^\s*(?:truly|really|a\s+real)\s+(?:a\s+|an\s+)?(?:hero|miracle|genius|saint|legend"
    r"|visionary|inspiration|gentleman)\s*[.!]*\s*$",
    r"\bshame\s+(?:you|u)\s+(?:couldn'?t|can'?t|didn'?t|won'?t|forgot)\b",
    r"\bsorry,?\s+(?:did|does|is|was)\s+(?:my|the|i|it|this)\b[^.!?]{0,40}"
    r"\b(?:interrupt|bother|upset|inconvenience|disturb|hurt|scare)\w*\b",
    r"\bdid\s+the\s+(?:big\s+)?(?:bad|scary|mean|nasty)\s+\w+\s+(?:upset|hurt|scare|frighten)\b",
    r"\byour\s+(?:royal\s+)?(?:highness|majesty|lordship|ladyship)\b",
    r"\bthe\s+(?:world|resident|local|self[- ]appointed|great)\s+expert\s+on\b",
    r"\badd\s+(?:it|that|this)\s+to\s+the\s+list\s+of\s+things\b",
    r"\b(?:in|with)\s+(?:very\s+|really\s+)?(?:small|little|short|simple)\s+words\s+so\b",
    r"\bexplain\s+(?:it\s+|this\s+)?(?:to\s+)?me\s+(?:very\s+|really\s+)?slowly\b",
    r"\bdon'?t\s+have\s+(?:any\s+)?(?:crayons|puppets)\b",
    rf"\b{_YOU}(?:'re|\s+\w+)\s+(?:\w+\s+)?(?:great|good|well|smart|nice|fit|pretty|clever)\s+for"
    r"\s+(?:someone|a\s+(?:man|woman|guy|girl|person|mum|mom|dad))\s+(?:who\s+(?:never|hasn'?t"
    r"|doesn'?t|can'?t|didn'?t|won'?t|barely|rarely)|your\s+age|of\s+your)\b",
    r"\bputs?\s+up\s+with\s+you\b",
    r"\bbless\s+your\s+(?:little\s+)?heart\b(?![^.!?]*\bthank)",
    rf"\b(?:the|your|all\s+the|his|her|of)\s+[\"“‘']{_SCARE_QUOTED}[\"”’']",
    r"\b(?:love|loving|enjoy|enjoying|adore)\s+being\s+(?:ignored|interrupted|left\s+out"
    r"|talked\s+over|lied\s+to|the\s+(?:maid|last|only\s+adult|afterthought|babysitter))\b",
    r"\bwhat\s+a\s+(?:shock|shocker)\s*[.!]*\s*$",
    r"\b(?:such|what)\s+a\s+(?:\w+\s+)?(?:wonderful|lovely|great|nice|kind|classy|mature"
    r"|thoughtful)\s+(?:\w+\s+)?thing\s+to\s+do,?\s+\w+ing\b",
    r"\bat\s+least\s+one\s+of\s+us\s+(?:gets|is|can|has)\b",
    r"(?:^|,)\s*very\s+(?:mature|adult|grown[- ]up)\s*[.!]*\s*$",
    r"\byou(?:'re|\s+are)\s+the\s+(?:real\s+)?victim\s+here\b",
    r"\bcool,?\s+cool,?\s+cool\b",
    r"\b(?:congrats|congratulations|well\s+done|bravo|good\s+job)\b[^.!?]{0,20}\b(?:on|for)\s+"
    r"finally\b",
)
_RULES_IRONY: Final[tuple[_Rule, ...]] = (
    _r(
        "contempt",
        # warm words opening a sentence with an irony cue after them, and no "I" or "we" in
        # between ("thank you, I finally slept" is the writer's own news)
        rf"^\s*(?:oh,?\s+|well,?\s+|wow,?\s+|gee,?\s+|ah,?\s+)?{_I_SAY}?{_WARM}\b(?:(?!\b(?:i|we)\b)[^.!?]){{0,100}}?"
        rf"\b{_IRONY_CUE}\b",
        "Sarcasm and faux praise signal contempt, which hurts more than the complaint; say the "
        "complaint plainly.",
    ),
    _r(
        "contempt",
        # the dig that follows faux praise, and mock politeness, titles and patience
        "|".join(_SARCASTIC_SHAPES),
        "Sarcasm and faux praise signal contempt, which hurts more than the complaint; say the "
        "complaint plainly.",
    ),
    _r(
        "contempt",
        "|".join(_SARCASTIC_UNLESS_SINCERE),
        "Sarcasm and faux praise signal contempt, which hurts more than the complaint; say the "
        "complaint plainly.",
        "not_sincere",
    ),
)


# Mind reading, defensiveness and stonewalling as shapes (ninth session, after reading every
# development set's misses of those kinds, 84 lines: held-out authors I and K were caught 78-85%
# on them). Each line is a shape, not an author's sentence.
_NO_NEGATION = r"^(?!.*\b(?:not|never|didn'?t|don'?t|doesn'?t|wasn'?t|isn'?t)\b)"
_MIND_READING_SHAPES = (
    # Tenth session, from development set CL's misses.
    rf"\b{_YOU}(?:'re|r|\s+are)\s+only\s+being\s+(?:nice|sweet|kind|nice\s+to\s+me)\s+"
    r"(?:cause|cos|coz|because|bc|cuz)\b",
    rf"\b{_YOU}\s+only\s+(?:said|say|did|agreed)\s+(?:yes|that|it|sorry)\s+to\s+(?:get|shut"
    r"|make|keep)\b",
    rf"\bif\s+{_YOU}\s+(?:really\s+|actually\s+)?(?:loved|cared\s+about)\s+me,?\s+{_YOU}'?d\b",
    rf"\bi\s+know\s+(?:exactly\s+)?what\s+{_YOU}(?:'re|r|\s+are)?\s+(?:thinking|think|want|feel"
    r"|mean|up\s+to)\b(?![^.!?]*\b(?:love|adore|sweet|cute|lovely|agree|same)\b)",
    rf"\bi\s+know\s+{_YOU}(?:'re|r|\s+are)?\s+(?:secretly|only|just|talking\s+to|hiding|lying"
    r"|planning|cheating|seeing)\b",
    rf"\bi\s+can\s+(?:tell|see|feel|sense)\s+(?:that\s+)?{_YOU}(?:'re|r|\s+are)?\s+(?:already\s+)?"
    r"(?:judging|lying|hiding|planning|resent\w*|bored\s+of|sick\s+of|tired\s+of\s+me|hate|blame"
    r"|don'?t\s+(?:care|want|love|like|respect)|want\s+out|looking\s+for)\b",
    rf"\b(?:{_YOU}(?:'re|r|\s+are)?|he'?s|she'?s|he|she|they)\s+only\s+(?:being\s+nice|nice|doing"
    r"|saying|helping|asking|asked|offered|called|came|bought|got|here|apologi[sz]\w*)\b[^.!?]{0,50}"
    rf"\b(?:(?:because|bc|cos)\s+(?:{_YOU}|he|she|they)\s+(?:want|wants|need|needs|feel\s+guilty"
    rf"|feels\s+guilty|got\s+caught)|so\s+(?:{_YOU}|he|she|they)\s+(?:can|could|pays?|gets?|don'?t"
    r"|doesn'?t|look)|to\s+(?:look\s+good|avoid|punish|control|check\s+on|turn|seem))\b",
    rf"\bthe\s+only\s+reason\s+(?:{_YOU}|he|she|they)\b[^.!?]{{0,40}}\bis\b",
    rf"\b{_YOU}(?:'re|r|\s+are)\s+not\s+(?:even\s+|really\s+)?(?:tired|sad|sorry|busy|sick|upset"
    rf"|angry|hurt|stressed)\b[,;.]?\s*{_YOU}(?:'re|r|\s+are)\s+(?:just\s+)?\w+",
    _NO_NEGATION + r".*\bto\s+(?:punish|spite|hurt|control|manipulate|humiliate)\s+me\b",
    _NO_NEGATION + r".*\bto\s+get\s+back\s+at\s+me\b",
    r"\bto\s+turn\s+(?:them|the\s+kids|everyone|my\s+\w+)\s+against\s+me\b",
    r"\bmarried\s+me\s+for\s+(?:the|my)\b",
    r"\b(?:and\s+)?we\s+both\s+know\s+it\b|\beveryone\s+knows\s+it\b|\bdon'?t\s+pretend\s*[.!]*\s*$",
    r"\bsecretly\s+(?:happy|glad|pleased|relieved|enjoy\w*|want\w*|hop\w*)\b",
    rf"\b(?:inside|deep\s+down|in\s+your\s+head)\s+{_YOU}\b",
    rf"\b{_YOU}\s+think\s+(?:you'?re|ur|you\s+are)\s+(?:so\s+)?(?:better|smarter|superior)\b",
    rf"\b{_YOU}\s+want\s+me\s+to\s+(?:be|look|feel)\s+(?:like\s+)?the\s+bad\s+guy\b",
    rf"\b{_YOU}(?:'re|r|\s+are)\s+(?:happy|glad|pleased)\s+when\s+i\s+(?:fail|cry|suffer|struggle"
    r"|lose|get\s+hurt|mess\s+up)\b",
    rf"\b{_YOU}(?:'re)?\s+(?:just\s+|only\s+)?pretend(?:ing)?\s+to\s+(?:listen|care|be|love|like)\b",
)
_DEFENSIVE_SHAPES = (
    r"\bi'?m\s+not\s+the\s+one\s+with\s+the\s+(?:problem|issue)\b",
    r"\bi'?m\s+not\s+(?:going\s+to\s+|gonna\s+)?(?:apologi[sz]\w*|saying\s+sorry)\b"
    r"|\bnot\s+apologi[sz]ing\b|\bi\s+won'?t\s+apologi[sz]e\b",
    rf"\bsorry\s+(?:that\s+)?{_YOU}\s+feel\s+(?:that\s+way|like\s+that)\b",
    r"\bi\s+(?:literally\s+|already\s+)?do\s+everything\s+(?:around\s+here|in\s+this\s+house|for"
    rf"\s+(?:{_YOU}|this\s+family))\b",
    rf"\bafter\s+(?:all|everything)\s+i(?:'ve)?\s+(?:do|did|done)\s+for\s+(?:{_YOU}|this\s+family)\b",
    r"\bthis\s+is\s+the\s+thanks\s+i\s+get\b|\bi'?m\s+the\s+one\s+(?:carrying|holding)\s+"
    r"(?:this|the)\s+(?:family|house|household|relationship)\b",
    r"\bi\s+(?:already\s+)?said\s+sorry\b[^.!?]{0,20}\b(?:what\s+(?:more|else)|how\s+many\s+times)\b",
    r"\bdon'?t\s+(?:even\s+)?start(?:\s+with\s+me)?\s*[.!]*\s*$",
    r"\b(?:tired|sick)\s+of\s+(?:defending|explaining|justifying)\s+myself\b"
    r"|\bnot\s+(?:going\s+to\s+)?(?:defend|explain|justify)\s+myself\b",
    rf"\bi\s+wouldn'?t\s+have\s+\w+\s+if\s+{_YOU}\s+hadn'?t\b|\bmaybe\s+if\s+{_YOU}\s+(?:were|was"
    r"|didn'?t|weren'?t)\b",
    r"^\s*(?:ok(?:ay)?|so)\s+and\s*\?|\bso\s+what\s*[?.!]*\s*$",
    rf"\b{_YOU}'?(?:re|\s+are)?\s+imagining\s+things\b|\b{_YOU}\s+imagine\s+things\b"
    rf"|\b{_YOU}'?(?:re|\s+are)\s+making\s+(?:this|that|it|things)\s+up\b",
    rf"^\s*(?:great|fine|ok(?:ay)?|sure),?\s+let'?s\s+talk\s+about\s+(?:your|what\s+{_YOU})\b",
)
_STONEWALL_SHAPES = (
    # Tenth session, from development set CL's misses.
    r"^\s*(?:and\s+)?i'?m\s+not\s+answering\s+(?:that|this)\s*[.!]*\s*$",
    r"\bi\s+(?:literally\s+|honestly\s+|just\s+)?(?:don'?t|dont)\s+care\s+any\s?more"
    r"\s*[.!]*\s*$",
    rf"\bwhat\s+(?:else|more)\s+do\s+{_YOU}\s+want\s+from\s+me\b",
    r"^\s*(?:nope\.?\s*)?(?:i'?m\s+)?not\s+(?:listening|engaging|doing\s+this|having\s+this"
    r"|discussing\s+this|dealing\s+with\s+(?:this|your|you))\b",
    rf"\bi'?m\s+(?:muting|blocking)\s+(?:{_YOU}|this)\b|\bgoing\s+silent\b|\bleaving\s+"
    rf"{_YOU}\s+on\s+read\b|\bnot\s+talking\s+to\s+{_YOU}\s+(?:for|until|till|anymore|any\s+more)\b",
    r"\bnot\s+(?:saying|going\s+to\s+say)\s+another\s+word\b|\bi'?ve\s+said\s+all\s+i'?m\s+"
    rf"(?:going\s+to|gonna)\s+say\b|\bi'?ve\s+got\s+nothing\s+(?:more\s+)?to\s+say\s+to\s+{_YOU}\b",
    r"^\s*save\s+it\b|\bchange\s+the\s+record\b|\bheard\s+it\s+all\s+before\b|\bheard\s+this\s+"
    r"(?:speech|lecture|story)\b",
    r"\bthis\s+is\s+pointless\b|\bi\s+don'?t\s+care\s+any\s*more\s*[.!]*\s*$|^\s*(?:idc|idgaf)\b",
    rf"\bi\s+don'?t\s+know\s+what\s+(?:else\s+)?{_YOU}\s+want\s+(?:me\s+to\s+say|from\s+me)\b",
    r"\bare\s+we\s+(?:finished|done)(?:\s+(?:here|now))?\s*\?\s*$",
    rf"\bnot\s+dealing\s+with\s+(?:your|{_YOU}r)\s+(?:drama|nonsense|crap|shit|attitude)\b"
    rf"|\bdon'?t\s+have\s+time\s+for\s+(?:your|{_YOU}r)\s+(?:drama|nonsense|crap|shit|attitude)\b",
)
_RULES_DEFENCE: Final[tuple[_Rule, ...]] = (
    _r(
        "mind_reading",
        "|".join(_MIND_READING_SHAPES),
        "This states the other person's motive as fact; describe what you saw and ask what it "
        "meant.",
    ),
    _r(
        "defensiveness",
        "|".join(_DEFENSIVE_SHAPES),
        "Defending or turning the blame around closes the conversation; take the part that is "
        "yours, even a small one, and say what you need.",
    ),
    _r(
        "stonewalling",
        "|".join(_STONEWALL_SHAPES),
        "Shutting the talk down ('fine', 'whatever', 'I'm done') leaves the other person alone "
        "with it; if you need a break, say so and say when you'll come back to it.",
        "stonewall",
    ),
)


# Threats, orders, labels and blame as shapes (ninth session, after reading every development
# set's misses of those kinds, 120 lines; held-out K was caught 78% on threats). One shape per
# line; none is an author's sentence.
_THREAT_SHAPES = (
    r"^\s*(?:this\s+is\s+(?:your\s+)?)?(?:last|final)\s+chance\b(?![^.!?]*\b(?:to\s+(?:buy|get|book"
    r"|see|sign|enter|grab)|for\s+(?:tickets|the))\b)",
    r"\b(?:do|say|try|pull)\s+(?:that|this|it)\s+(?:one\s+more\s+time|again)\s+and\b",
    r"\bif\b[^.!?]{0,40}\bone\s+more\s+(?:time|cent|penny|word|lie|drink|excuse)\b",
    r"\bi'?ll\s+make\s+sure\s+(?:the\s+\w+|everyone|everybody|your\s+\w+|they|he|she)\s+(?:hears?"
    r"|knows?|finds?\s+out|sees?)\b",
    r"\bi\s*(?:'ll|will)\b[^.!?]{0,60}\bif\s+(?:this|it|that)\s+keeps\s+(?:up|happening|on)\b",
    r"\bor\s+(?:i'?m|i\s+am|i'?ll|i\s+will)\s+(?:going\s+)?(?:back\s+)?(?:to\s+)?(?:court|a\s+lawyer"
    r"|my\s+lawyer|the\s+police|leave|leaving|move\s+out|moving\s+out)\b",
    r"\bcome\s+home\s+to\s+an\s+empty\s+house\b",
    r"\bi'?m\s+warning\s+you\b|\bi\s+am\s+warning\s+you\b|\bconsider\s+this\s+(?:your|a)\s+"
    r"(?:final\s+|last\s+)?warning\b|\bthis\s+is\s+the\s+(?:final|last)\s+time\s+i\b",
    r"\bi\s*(?:'ll|will)\s+(?:cut\s+(?:your\s+card|you\s+off)|cancel\s+your\s+(?:card|phone)"
    r"|take\s+away\s+your)\b",
    r"\b(?:remember|don'?t\s+forget|just\s+so\s+you\s+know)\b[^.!?]{0,30}\b(?:is|are)\s+(?:in|on"
    r"|under)\s+my\s+name\b|\b(?:is|are)\s+(?:in|on|under)\s+my\s+name,?\s+(?:remember|don'?t"
    r"\s+forget)\b",
    r"\bunless\s+(?:things|something|you)\s+change\b",
    r"\bif\b[^.!?]{0,60}\b(?:is|are)\s+(?:cancelled|canceled)\b",
    rf"\bwe'?ll\s+see\s+how\s+{_YOU}\s+like\s+it\b",
    rf"\buntil\s+{_YOU}\s+(?:apologi[sz]e|say\s+sorry|grow\s+up|get\s+help)\b",
    r"\bi'?ll\s+(?:go\s+)?find\s+someone\s+(?:who|else)\b",
)
_COMMAND_SHAPES = (
    r"\bi'?m\s+not\s+asking\b(?!\s+(?:you\s+to|for|that|much|a\s+lot))|\bnot\s+asking\s*[.!]*\s*$|\bno\s+excuses\s*[.!]*\s*$",
    r"\bconversation\s+(?:is\s+)?over\b|\bwe'?re\s+done\s+(?:discussing"
    r"|talking\s+about)\s+this\b",
    r"^\s*not\s+another\s+word\b|^\s*zip\s+it\b|\bjust\s+stop\s+talking\b",
    r"\bdo\s+what\s+i\s+(?:say|said|asked|tell\s+you)\b|^\s*just\s+(?:submit|obey)\b",
    rf"\byou'?(?:re|ll)\s+(?:coming|going|wear|wearing|doing)\b[^.!?]{{0,40}}\band\s+{_YOU}'?(?:re"
    r"|ll)\s+(?:going\s+to\s+)?(?:be\s+nice|smile|like\s+it|behave)\b",
    r"^\s*(?:leave|go|get\s+out)\s*[.!]+\s*(?:just\s+)?(?:leave|go|get\s+out)\b",
    r"\bwhen\s+i\s+say\s+(?:we|you|so)\b",
    r"\bsend\s+me\s+(?:your|ur)\s+location\b",
)
_COMMAND_IF_BARE = (
    r"^\s*(?:answer|pick\s+up)\s+(?:the|your|ur|my)\s+(?:phone|question|calls?)\b",
    r"^\s*(?:delete|unfollow|block|unfriend)\s+(?:her|him|them|that|his|this)\b",
    r"^\s*change\s+(?:your|ur)\s+(?:tone|attitude)\b",
    r"^\s*be\s+(?:home|back)\s+by\b",
    r"^\s*(?:just\s+)?be\s+quiet\b|(?:,|\band)\s+be\s+quiet\b",
)
_LABELS_MORE = (
    r"(?:witch|narcissist|leech|deadbeat|donkey|puppet|nag|shrew|gold[- ]digg\w*|jerk|clown|moron"
    r"|idiot|loser|psycho|lunatic|parasite|snake|pig|slob)"
)
_NAME_SHAPES = (
    r"\bwhat\s+kind\s+of\s+(?:idiot|moron|clown|fool|loser|imbecile|jerk|dumbass)\b",
    r"\b(?:you'?re|you\s+are|(?:he|she)'?s|(?:he|she)\s+is|(?:my|your|his|her)\s+(?:ex|mother|mum"
    r"|mom|dad|father|sister|brother|stepmom|stepmum|husband|wife|boss)\s+(?:is|was))\s+(?:a|an"
    rf"|such\s+a|the\s+biggest)\s+(?:\w+\s+)?(?:\w+\s+)?{_LABELS_MORE}\b",
    r"\b(?:you'?re|you\s+are)\s+(?:just\s+)?(?:her|his)\s+(?:little\s+)?(?:puppet|errand\s+boy"
    r"|lapdog)\b",
    r"\bpiece\s+of\s+(?:shit|crap)\b|^\s*(?:idiot|moron|loser|jerk)\b|\bok(?:ay)?,?\s+karen\b"
    r"|\bsuch\s+a\s+(?:jerk|loser)\b|\bmarried\s+(?:to\s+)?a\s+(?:donkey|moron|idiot|slob|pig)\b",
)
_CHARACTER_SHAPES = (
    r"\b(?:one\s+of\s+)?the\s+most\s+(?:selfish|manipulative|lazy|dishonest|arrogant|immature"
    r"|controlling|toxic|self-cent(?:er|re)d|cruel|useless|pathetic|careless|spineless)\s+(?:people"
    r"|person|man|woman)\b",
    r"\b(?:you'?re|you\s+are|he'?s|she'?s|he\s+is|she\s+is)\s+(?:a|an|such\s+a)\s+(?:\w+\s+)?"
    r"(?:careless|spineless|heartless|useless|worthless|hopeless|thoughtless|gutless|manipulative"
    r"|controlling|immature)\s+(?:person|man|woman|partner|husband|wife|mother|father|human)\b",
    r"\bkind\s+of\s+(?:person|man|woman)\s+you\s+(?:turned\s+out\s+to\s+be|became|really\s+are)\b",
    r"\braised\s+by\s+wolves\b|\beverything\s+about\s+you\s+is\s+(?:fake|a\s+lie|an\s+act)\b",
    r"\b(?:with|has|have|got)\s+(?:zero|no)\s+(?:ambition|backbone|spine|morals|decency"
    r"|self[- ]respect)\b",
    r"\ba\s+grown\s+(?:man|woman|adult)\s+who\s+(?:can'?t|cannot|won'?t)\b",
    rf"\b{_YOU}\s+(?:have|'ve)\s+been\s+(?:impossible|unbearable|a\s+nightmare)\b",
)
_BLAME_SHAPES = (
    rf"(?<!when\s)\b{_YOU}\s+promised\b[^.!?]{{0,60}}\b(?:and|but)\s+(?:now|{_YOU}|then)\b",
    rf"(?<!when\s)\b{_YOU}\s+said\s+(?:you'?d|you\s+would|u\s+would|u'?d)\b[^.!?]{{0,60}}\b(?:didn'?t|didnt"
    r"|haven'?t|havent|never)\b",
    rf"\b{_YOU}\s+told\s+(?!me\b)(?:her|him|them|ur\s+\w+|your\s+\w+|\w+\s+\w+|\w+)\s+(?:about\s+)?"
    r"(?:our|my)\b",
    rf"\bi\s+can'?t\s+believe\s+{_YOU}\s+(?:told|said|forgot|lied|went|left)\b",
    rf"\b{_YOU}\s+(?:walked|strolled|rolled|waltzed|stumbled)\s+in\s+at\b",
    r"\b(?:is|are)\s+(?:a\s+)?(?:mess|disaster|chaos)\b[^.!?]{0,30}\bbecause\s+(?:of\s+)?"
    rf"{_YOU}\b",
    rf"\bthe\s+(?:whole\s+|only\s+|real\s+)?reason\b[^.!?]{{0,50}}\bis\s+{_YOU}\b",
    r"\bnow\s+look\s+at\s+(?:us|the\s+kids|me|this|where\s+we\s+are)\b",
    rf"\b{_YOU}\s+make\s+(?:it|everything)\s+about\s+(?:you|yourself|how)\b",
    rf"^\s*thanks\s+to\s+{_YOU}\b[^.!?]*\bhave\s+to\b",
    rf"\bi\s+feel\s+(?:like\s+)?{_YOU}\s+(?:\w+\s+){{0,2}}(?:care|put|love|value)\s+(?:\w+\s+){{0,3}}"
    r"(?:more|before|above)\b",
)
_RULES_MORE_KINDS: Final[tuple[_Rule, ...]] = (
    _r(
        "threat",
        "|".join(_THREAT_SHAPES),
        "A threat or an ultimatum forces instead of asking; say what you need and what you will "
        "do to look after yourself, without a punishment.",
    ),
    _r(
        "command",
        "|".join(_COMMAND_SHAPES),
        "An order ends the conversation instead of asking; say what you need and ask for it "
        "('Could you …?').",
    ),
    _r(
        "command",
        "|".join(_COMMAND_IF_BARE),
        "An order ends the conversation instead of asking; say what you need and ask for it "
        "('Could you …?').",
        "command",
    ),
    _r(
        "name_calling",
        "|".join(_NAME_SHAPES),
        "Calling someone a name attacks the person; say what they did and how it affected you.",
    ),
    _r(
        "character_attack",
        "|".join(_CHARACTER_SHAPES),
        "This is about who the person is, not what they did; name the one thing that happened "
        "and how it affected you.",
    ),
    _r(
        "blame",
        "|".join(_BLAME_SHAPES),
        "This puts the outcome on the other person; say what happened, how it affected you, and "
        "what you need now.",
        "polarity",
    ),
)


# Every rule, in the order they speak; built once (the per-sentence loops read it).
_ALL_RULES: Final[tuple[_Rule, ...]] = (
    _RULES
    + _RULES_BY_KIND
    + _RULES_FROM_G
    + _RULES_FROM_J
    + _RULES_FROM_L
    + _RULES_IRONY
    + _RULES_DEFENCE
    + _RULES_MORE_KINDS
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
            r"\s*(?:(?:once|ever|really)\s+)?(?:make|makes|made)\s+(?:me|us|them|him|her|anyone"
            rf"|people|the\s+kids)\s+feel\s+(?:\w+\s+)?"
            rf"{_BAD_FEELINGS}\b",
            predicate,
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


@dataclass(frozen=True)
class _Facts:
    """What some checks read from the whole message, computed once per message: reading it
    again for every sentence made the coach quadratic in the length of the text."""

    complaint: bool  # a complaint word anywhere ("late", "again", "forgot", …)
    terse: bool  # two or more one-word answers ("Yep. Ok. Noted.")
    comes_back: bool  # a time-out that names a return ("after dinner", "in ten minutes")
    urgent: bool  # "now", "right now", "today", "already" closing a sentence
    sincere: bool  # thanks, pride, an apology, with no complaint
    request: bool  # "please", "could you", "can we"


@lru_cache(maxsize=16)
def _facts(norm: str) -> _Facts:
    complaint = _has_any(norm, _COMPLAINT) or bool(re.search(rf"\b{_YOU}\s+\w+ed\b", norm))
    return _Facts(
        complaint=complaint,
        terse=len(re.findall(r"(?:^|[.!?]\s+)(?:yep|yup|ok|okay|noted|sure|fine|k)\s*[.!]", norm))
        >= 2,
        comes_back=bool(_COMES_BACK.search(norm)),
        urgent=bool(
            re.search(
                r"\b(?:right\s+now|now|today|immediately|this\s+(?:minute|instant|second)|tonight"
                r"|already)\s*[.!]",
                norm,
            )
        ),
        sincere=bool(_SINCERE.search(norm)) and not _has_any(norm, _COMPLAINT - {"well done"}),
        request=bool(
            re.search(r"\b(?:please|could\s+you|would\s+you|can\s+you|could\s+we|can\s+we)\b", norm)
        ),
    )


def _accept(rule: _Rule, norm: str, matched: str, end: int, sent: tuple[int, int]) -> bool:
    """Whether a rule's match stands: ``matched`` ends at ``end`` in ``norm``, inside ``sent``."""
    s, e = sent
    sentence = norm[s:e].strip()
    is_question = sentence.endswith("?")
    if rule.kind in {"absolute", "mind_reading", "blame"} and is_question:
        # A yes/no question asks; a "why do you always …?" accuses.
        if _YESNO_START.match(sentence) and rule.kind != "absolute":
            return False
        if _YESNO_START.match(sentence) and not re.search(r"\bever\b", matched):
            return False
    if rule.check == "polarity" and rule.kind == "blame":
        # "because of you" / "you're the reason": the praise can sit on either side.
        return not _is_praise(rule.kind, matched, sentence)
    if rule.check == "polarity":
        return not _is_praise(rule.kind, matched, _clause_after(norm, end, e))
    if rule.check == "complaint":
        return _has_any(norm[s:e], _COMPLAINT)
    if rule.check == "statement":
        return not is_question and re.search(rf"\b{_YOU}\b|\byou'", norm[s:e]) is not None
    if rule.check == "command":
        # "Please …", "Could you …", "Take your time", a question: a request, not an order.
        return not is_question and not _SOFTENER.search(sentence)
    if rule.check == "label":
        # "you're not lazy", "the least selfish person I know": the label is denied.
        return not re.search(r"\b(?:not|never|least|less|hardly|no\s+longer)\b", matched)
    if rule.check == "urgent":
        # A bare imperative is an order when the message presses for it now ("Delete her
        # number. Right now."); "Call me when you land" is not.
        return not is_question and not _SOFTENER.search(sentence) and _facts(norm).urgent
    if rule.check == "after_complaint":
        # "Great job." after a complaint is sarcasm; "Great job!" on its own is praise.
        return _facts(norm).complaint
    if rule.check == "not_sincere":
        # "Dad of the year" with thanks or love in the message is praise.
        return not _facts(norm).sincere
    if rule.check == "terse":
        # "Yep. Ok. Noted.": one-word answers in a row shut the talk; one "Ok." is just an answer.
        return _facts(norm).terse
    if rule.check == "stonewall":
        # "I'm done talking for now, can we pick this up after dinner?" is a healthy time-out;
        # "I'm not going to discuss it over text" is a boundary with a scope, not a brush-off.
        return not _facts(norm).comes_back and not _SCOPED_REFUSAL.search(sentence)
    return True


_SCOPED_REFUSAL = re.compile(
    r"\b(?:over|by|via)\s+(?:text|email|message|the\s+phone)\b|\bat\s+(?:family\s+)?(?:dinners?"
    r"|lunch|parties|work|christmas)\b|\bin\s+front\s+of\b"
)
_COMES_BACK = re.compile(
    r"\b(?:later|tonight|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|(?:happy|glad)\s+to\s+talk|this\s+weekend|next\s+week|in\s+(?:a|an|\d+|ten|twenty|half|a\s+few)\s+(?:bit|while|min"
    r"|hour|moment)|after\s+(?:dinner|work|lunch|a\s+break|i|we)|come\s+back|pick\s+(?:this|it)\s+"
    r"up|a\s+(?:break|breather|pause|walk)|cool\s+(?:down|off)|when\s+(?:i'?m|we'?re|i\s+am)\s+"
    r"calmer)\b"
)


def _edit1(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one inserted, deleted, swapped or changed
    letter: a misspelt insult ("idoit", "stupd") is still the insult."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1 :]


_WORD = re.compile(r"[a-z]+")
_SELF = re.compile(
    r"(?:\bi'?m|\bi\s+am|\bi\s+(?:feel|felt|was|look|sound)|\bme|\bmyself|\bfeel|\bfelt"
    r"|\bnot|\bno)\s+(?:\w+\s+){0,2}$"
)
_NOT_INSULTS = frozenset(
    ("useful", "idiom", "idioms", "stupor", "loner", "loses", "loved", "lover", "psyche")
)
# Adjectives are insults only said of the person ("you're so stupd"); nouns anywhere in a
# sentence addressed to someone, unless said of a third person ("my boss is such an idiot").
_INSULT_ADJECTIVES = frozenset(
    ("stupid", "selfish", "pathetic", "useless", "worthless", "idiotic", "moronic")
)
_SAID_OF_YOU = re.compile(r"\b(?:you|u|ur|your|you'?re|ya)\s+(?:\w+\s+){0,3}$")
_SAID_OF_OTHER = re.compile(
    r"\b(?:he|she|they|it|this|that|his|her|their|my\s+\w+|the\s+\w+|\w+'s)\s+(?:is|was|are"
    r"|were|'s|seems|sounds|acts|acted)\s+(?:\w+\s+){0,3}$"
)
_INTENSIFIER_AFTER = re.compile(
    r"\s+(?:amount|amounts|number|much|many|good|funny|early|late|expensive|cheap|hot|cold|fast"
    r"|lucky|rich|cute|long|big|tiny)\b"
)
_FUZZY_WHY = "Calling someone a name attacks the person; say what they did and how it affected you."


def _fuzzy_insults(norm: str, s: int, e: int) -> list[tuple[int, int]]:
    """Spans of insults, spelt right or one letter off, in a sentence addressed to someone
    ("you", "ur", "your"); not when the speaker says it of themself ("I feel so stupid")."""
    sentence = norm[s:e]
    if not re.search(r"\b(?:you|u|ur|your|you'?re|ya)\b", sentence):
        return []
    found = []
    for m in _WORD.finditer(sentence):
        word = m.group(0)
        if len(word) < 5 or word in _NOT_INSULTS:
            continue
        hit = next((w for w in INSULTS if word[0] == w[0] and _edit1(word, w)), None)
        if hit is None:
            continue
        before = sentence[: m.start()]
        if _SELF.search(before) or _SAID_OF_OTHER.search(before):
            continue
        if hit in _INSULT_ADJECTIVES and not _SAID_OF_YOU.search(before):
            continue
        if _INTENSIFIER_AFTER.match(sentence, m.end()):
            continue  # "a stupid amount of food", "stupid good": an intensifier
        found.append((s + m.start(), s + m.end()))
    return found


# Teasing that the same message then names as love ("ur the worst at hiding presents and i love
# you for it", "look who finally folded a fitted sheet!! proud of u") is affection, and an
# imperative followed by an offer of help or love ("sit down, I'll bring you tea", "don't wait
# up, love you") is care. Both were read as contempt, labels or orders in the tenth session's
# development set CN (sincere lines that sound sharp). Only warmth *after* the trigger counts:
# "so proud of you for finally…" carries its warmth inside the sneer.
_WARM_AFTER = re.compile(
    r"\bproud\s+of\s+(?:you|u|ya)\b|\bi'?m\s+(?:so\s+|really\s+|very\s+)?proud\b"
    r"|\bi\s+love\s+(?:you|u|ya)\s+for\b|\band\s+i\s+love\s+(?:you|u|ya|it|that)\b"
    r"|\blove\s+(?:you|u|ya)(?:\s+(?:so\s+much|lots|loads|heaps))?\s*[.!]*\s*$"
    # eleventh session (development set CO's affectionate teasing): affection named after it
    # (the writer's own affection: "you're obsessed with it" is an accusation, "you look cute
    # pretending to be an adult" a sneer, "divorcing you will be the best decision I ever made" no
    # compliment)
    r"|\bi'?m\s+(?:so\s+|kind\s+of\s+|lowkey\s+|honestly\s+)?obsessed\s+with\s+(?:it|you|u|them"
    r"|that|this)\b|\bone\s+of\s+my\s+favou?rite\s+things\s+about\s+(?:you|u)\b"
    r"|\bmy\s+favou?rite\s+thing\s+about\s+(?:you|u)\b(?!\s+is\s+(?:when|that|how))"
    r"|\bwouldn'?t\s+(?:swap|trade|change)\s+(?:you|u)\b"
    r"|(?:^|[.!?]\s*)best\s+decision\s+i\s+(?:ever\s+)?made\b"
    r"|\b(?:marrying|choosing|picking|meeting)\s+(?:you|u)\s+(?:was|is)\s+the\s+best\s+decision\b"
    r"|\b(?:you|u)\s+look\s+(?:so\s+)?(?:cute|gorgeous|beautiful|lovely)(?:\s+in\s+(?:them|it|that"
    r"|those|this))?\s*[.!]*\s*$"
)
# An offer must say what it does for the other ("I'll bring you tea", "I'll finish the dishes"):
# "shut up, I'll do what I want" is defiance, not care.
_OFFER_AFTER = (
    r"\bi'?ll\s+(?:just\s+)?(?:bring|make|get|grab|cook|pour|fetch|run|buy)\s+(?:you|u|ya)\b"
    r"(?!\s+(?:a\s+)?(?:dummy|bottle|lollipop|colou?ring|tissue|nappy|diaper|sippy|bib|medal"
    r"|trophy|participation))"
    r"|\bi'?m\s+(?:making|getting|bringing|buying)\s+(?:you\s+|u\s+)?(?:a\s+)?(?:tea|coffee|cake|dinner"
    r"|breakfast|lunch|a\s+drink|the\s+tea)\b"
)
_CARE_AFTER = re.compile(
    _OFFER_AFTER
    + r"|\bi'?ll\s+(?:just\s+)?(?:finish|do|handle|sort|lock|wash|clean)\s+(?:the|it|up|them)\b"
    r"|\bi'?ll\s+(?:drive|take\s+care\s+of|pick\s+(?:you|u|them|him|her)\s+up|be\s+right\s+"
    r"(?:there|with\s+you))\b|\blet\s+me\s+(?:do|get|grab|handle|help)\b|\byou'?ve\s+got\s+this\b"
    r"|\blove\s+(?:you|u|ya)(?:\s+(?:so\s+much|lots|loads|heaps))?\s*[.!]*\s*$"
)
_SOFTENED_BY_WARMTH = {
    "contempt": _WARM_AFTER,
    "name_calling": _WARM_AFTER,
    "character_attack": _WARM_AFTER,
    "command": _CARE_AFTER,
    # the learned model's flag (eleventh session): it cannot see the love that follows a tease
    # and of what follows an order it heeds only an offer to the other ("I'll buy you cake"), not
    # "I'll do it myself"
    "tone": re.compile(f"{_WARM_AFTER.pattern}|{_OFFER_AFTER}"),
}


def _warmth_follows(kind: str, norm: str, end: int) -> bool:
    """Whether the message, after the trigger ending at ``end``, names its warmth (see above)."""
    warm = _SOFTENED_BY_WARMTH.get(kind)
    rest = norm[end:]
    return bool(warm and warm.search(rest)) and not _has_any(rest, _SNEER_AFTER)


# Words that turn a following "love you" or "proud" back into a sneer ("proud of you, NOT").
_SNEER_AFTER = {
    "not",
    "never",
    "used to",
    "anymore",
    "lol jk",
    "jk",
    "apparently",
    "i guess",
    "or whatever",
    "nobody else",
    "no one else",
    "pretending",
    "little one",
    "dummy",
    "tissue",
    "tissues",
}


def find_flags(text: str) -> list[Flag]:
    norm = _normalise(text)
    quotes = _quoted(norm)
    flags: dict[tuple[str, int, int], Flag] = {}
    for sent in _sentences(norm):
        s, e = sent
        for a, b in _fuzzy_insults(norm, s, e):
            if not any(qs <= a and b <= qe for qs, qe in quotes):
                flags.setdefault(
                    ("name_calling", a, b), Flag("name_calling", (a, b), text[a:b], _FUZZY_WHY)
                )
        sentence = norm[s:e]  # matched alone, so "^" and "$" anchor at this sentence's ends
        for rule in _ALL_RULES:
            for m in rule.pattern.finditer(sentence):
                a, b = s + m.start(), s + m.end()
                while a < b and norm[a].isspace():
                    a += 1
                if any(qs <= a and b <= qe for qs, qe in quotes):
                    continue
                if not _accept(rule, norm, m.group(0), s + m.end(), sent):
                    continue
                if _warmth_follows(rule.kind, norm, s + m.end()):
                    continue
                flags.setdefault((rule.kind, a, b), Flag(rule.kind, (a, b), text[a:b], rule.why))
    return sorted(flags.values(), key=lambda f: (f.span[0], KINDS.index(f.kind)))


_FEELING_START = re.compile(
    r"\b(?:i\s+(?:(?:always|often|sometimes|really|just|honestly|still|usually)\s+)?(?:feel|felt|get"
    r"|got|am\s+feeling|was\s+feeling)|i'?m\s+feeling|it\s+hurts\s+me"
    r"|i'?ve\s+been\s+feeling|i\s+(?:wake\s+up|end\s+up|start)\s+feeling|i'?d\s+feel"
    r"|i\s+was|i'?m|i\s+am)\b"
    r"(?!\s+(?:like|that)\b)"
)
# Owning a feeling or a need without the word "feel": "it scares me when…", "I need some quiet
# time…", "I'd like us to…", "I shut down".
_OWN_NEED = re.compile(
    r"\bit\s+(?:really\s+|just\s+|honestly\s+)?(?:scares|worries|upsets|frustrates|bothers|stresses"
    r"|hurts|saddens|embarrasses"
    r"|overwhelms|confuses|unsettles)\s+me\b"
    r"|\bi\s+(?:need|'d\s+like|would\s+like|want\s+us|miss|shut\s+down|get\s+anxious)\b"
    r"|\bi'?d\s+(?:really\s+)?appreciate\s+it\b|\bi'?ve\s+missed\b|\bit\s+would\s+mean\s+a\s+lot"
    r"|\bi\s+(?:really\s+|sometimes\s+|often\s+)?(?:worry|wish|hope|value|love\s+it\s+when)\b"
    r"|\bi\s+find\s+it\s+(?:really\s+|so\s+)?(?:hard|difficult|tough)\b|\bi'?ve\s+been\s+"
    r"(?:struggling|finding|feeling|worrying)\b|\bi\s+(?:really\s+)?(?:struggle|panic|freeze)\b"
    r"|\bi'?d\s+feel\s+(?:\w+\s+){0,3}?(?:better|safer|more|less|calmer|happier)\b"
    r"|\bi'?d\s+(?:really\s+)?(?:love|like|prefer)\b|\bi'?m\s+struggling\b|\bi\s+have\s+trouble\b"
    r"|\bi\s+end\s+up\b|\b(?:makes|made)\s+me\s+feel\s+\w+\s*(?:[.,;!]|$)"
    r"|\b(?:that|it|this)\s+(?:frustrates|worries|scares|upsets|bothers)\s+me\b"
    r"|\bi\s+(?:feel|felt|get|got)\s+(?:\w+\s+){0,2}?\w+\s+(?:when|because|that|if|about|after)\b"
    r"|\bwhen\b.{0,80}\bi\s+(?:feel|felt)\s+(?:so\s+|really\s+)?\w+"
    # Added with blind set J (fifth session): a feeling or need said without "I feel".
    r"|\bi\s+would\s+(?:really\s+)?(?:prefer|love|like|appreciate)\b|\bit\s+(?:really\s+)?hurt"
    r"\s+(?:me\s+)?when\b|\bi'?m\s+finding\s+(?:\w+\s+){1,5}?(?:really\s+|so\s+)?(?:hard|difficult"
    r"|tough)\b|\bi\s+(?:genuinely\s+|really\s+|just\s+)?can'?t\s+(?:relax|sleep|focus|switch\s+off"
    r"|concentrate|settle)\b|\bi\s+lie\s+awake\b|\bmy\s+(?:brain|mind|head)\s+(?:goes|jumps"
    r"|spirals|races|runs)\b|\bwould\s+(?:really\s+)?help\s+me\b|\b(?:is|are|gets)\s+(?:really\s+|so"
    r"\s+)?(?:hard|difficult|tough|stressful)\s+for\s+me\b|\bmore\s+\w+\s+than\s+i\s+can\s+"
    r"(?:manage|handle)\b|\bi'?m\s+burning\s+out\b|\bi\s+feel\s+like\s+i'?m\s+(?:carrying|doing"
    r"|drowning|losing|failing|on\s+my\s+own|the\s+only)\b"
)
_FEELING_WORDS = re.compile(
    r"\b(?:hurt|sad|lonely|worried|anxious|scared|afraid|frustrated|overwhelmed|unheard|ignored|"
    r"uncomfortable|uneasy|relaxed|safer|stretched\s+thin|behind|drained|on\s+edge|panicky|"
    r"resentful|unsupported|unloved|neglected|rejected|disrespected|undervalued|anxious|"
    r"unimportant|embarrassed|disappointed|nervous|exhausted|tired|discouraged|angry|jealous|"
    r"left\s+out|taken\s+for\s+granted|appreciated|disconnected|proud|happy|calm|hurts|sad|upset|"
    r"stressed|let\s+down|worn\s+out|dismissed|invisible|insecure|unsafe|alone|small|guilty|"
    r"excluded|rushed|confused|torn|helpless|lost|stupid|silly|raw|blindsided|burnt\s+out|"
    r"burned\s+out|hurt)\b"
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
    if not re.search(rf"{_ABS}\s*$", matched):
        return None  # a sweeping word other than always/never: no clean predicate to reuse
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
    is_i = not flags and _is_i_statement(_normalise(text))
    return CoachResult(flags=flags, is_i_statement=is_i, rewrite=rewrite_frame(text, flags))


def rewrite_is_well_formed(rewrite: str) -> bool:
    """A rewrite reads as sentences: "I feel <feeling> when <situation>. <request>?", with no
    bracketed guess inside a sentence ("I feel [late?]") and no doubled words."""
    return bool(
        re.fullmatch(r"I feel [a-z][a-z' -]* when [^\[\]]+\. [A-Z][^\[\]]*\?", rewrite)
    ) and not re.search(r"\b(\w+) \1\b", rewrite)


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
_SINCERE = re.compile(
    r"\b(?:thank\s+you|thanks\s+(?:so\s+much|for\s+(?!nothing|finally|bothering|ruining))"
    r"|proud\s+of|grateful|appreciate|i\s+love|love\s+you|so\s+sweet|kindest|a\s+star"
    r"|means\s+(?:a\s+lot|so\s+much)|lucky|you\s+nailed|congratulations|congrats|well\s+done\s+on"
    r"|i'?m\s+(?:so\s+)?(?:sorry|happy\s+for))\b"
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
