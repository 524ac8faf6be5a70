"""One text normaliser and one sentence splitter, shared by the safety screen and the coach.

Why one: the two used to drift apart (one straightened ``´``, the other split on newlines), so
the same entry was read as different sentences by the two tools. Both now read text through
``fold`` (length-preserving, so the coach's spans still point into the person's own words) and
``sentence_spans``; the safety screen adds ``normalise`` on top (contractions and common
misspellings spelled one way, which changes length).
"""

from __future__ import annotations

import re

# Every entry maps one character to one character: ``fold`` must keep offsets valid.
_QUOTES = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "`": "'",
        "´": "'",
        "′": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)


def fold(text: str) -> str:
    """Lower case, straight quotes, plain spaces; same length as ``text`` (offsets stay valid)."""
    text = text.translate(_QUOTES)
    # str.lower() can lengthen a character ("İ" -> "i̇"); such characters keep their case.
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


# A sentence ends at . ! ? (runs of them, before a space, a closing quote or the end), at ; and
# at a line break. "3.5" and "e.g." inside a word do not end one.
_SENTENCE_END = re.compile(r"[.!?…]+(?=[\s\"')\]]|$)[\"')\]]*|;|\n+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank sentence; ``end`` includes its closing punctuation."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def sentences(text: str) -> list[str]:
    """The sentences of ``text``, stripped."""
    return [text[s:e].strip() for s, e in sentence_spans(text)]


# Apostrophe-less contractions, slang and common misspellings, so rules need one spelling.
# Not "ill", "wont", "id", "hell", "shell": they are words too (see _CONTRACTION_BEFORE_VERB).
_WORDS = {
    "dont": "don't",
    "cant": "can't",
    "cannot": "can't",
    "isnt": "isn't",
    "arent": "aren't",
    "doesnt": "doesn't",
    "didnt": "didn't",
    "wouldnt": "wouldn't",
    "couldnt": "couldn't",
    "shouldnt": "shouldn't",
    "havent": "haven't",
    "hasnt": "hasn't",
    "hadnt": "hadn't",
    "wasnt": "wasn't",
    "werent": "weren't",
    "aint": "ain't",
    "im": "i'm",
    "ive": "i've",
    "youre": "you're",
    "wanna": "want to",
    "gonna": "going to",
    "gotta": "got to",
    "lifes": "life's",
    "theres": "there's",
    "thats": "that's",
    "whats": "what's",
    "hes": "he's",
    "shes": "she's",
    "theyll": "they'll",
    "theyre": "they're",
    "ima": "i'm going to",
    "imma": "i'm going to",
    "cuttin": "cutting",
    "myslef": "myself",
    "mysef": "myself",
    "myslf": "myself",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "tonite": "tonight",
    "u": "you",
    "pls": "please",
    "bc": "because",
    "cuz": "because",
    "coz": "because",
    "bf": "boyfriend",
    "gf": "girlfriend",
}
# "hell", "shell", "wont", "ill" are words, so they are read as contractions only before a verb
# that makes the contraction the only sensible reading ("says hell hurt me").
_CONTRACTION_BEFORE_VERB = re.compile(
    r"\b(hell|shell|ill|wont|id)(?= (hurt|kill|hit|beat|harm|take|find|make|never|let|stop|leave|"
    r"answer|do|be|rather|like|go|end|just|really|want|come|see|get|try|tell|say|lose))"
)
_CONTRACTIONS = {"hell": "he'll", "shell": "she'll", "ill": "i'll", "wont": "won't", "id": "i'd"}
WORD_RE = re.compile(r"[a-z']+")


def normalise(text: str) -> str:
    """``fold``, then one spelling for contractions and slang, single spaces (changes length).

    Line breaks are kept as sentence ends ("i'm fine\\nnot really" is two sentences)."""
    text = re.sub(r"[ \t\r\f\v]+", " ", fold(text))
    text = re.sub(r" *\n\s*", "\n", text).strip()
    text = re.sub(r"\bcan not\b", "can't", text)
    text = WORD_RE.sub(lambda m: _WORDS.get(m.group(), m.group()), text)
    return _CONTRACTION_BEFORE_VERB.sub(lambda m: _CONTRACTIONS[m.group(1)], text)
