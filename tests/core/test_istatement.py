"""The I-statement coach: each kind of flag, its span and reason, rewrite frames, and the corpus."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

from safebase.core.practice.istatement import KINDS, CoachResult, Flag, check_statement

CORPUS = Path(__file__).resolve().parent.parent / "data" / "istatement_corpus.csv"
sys.path.insert(0, str(CORPUS.parents[2] / "scripts"))
from coach_metrics import evaluate, load_corpus  # noqa: E402

# Floors for sentence-level "flag" detection on the whole corpus (366 rows).
# Measured when written (2026-11-23): precision 0.990 (195 TP, 2 FP), recall 0.985 (3 misses).
# The corpus is what the rules were written against, so these numbers are optimistic. How the
# coach does on new sentences is measured on tests/data/istatement_heldout.csv (130 sentences by
# an author who saw neither the rules nor the corpus; never tuned on — do not add rules for its
# sentences): precision 0.905 / recall 0.528 with the rules as they were, 0.920 / 0.639 after
# rules were added from a separate development batch by the same kind of author, 0.938 / 0.625
# after a review's false positives on praise were fixed (looked at in aggregate only). Contempt
# (sarcasm) and name-calling (open vocabulary) are where the rules miss most; a miss only means
# no hint. The floors are regression guards, not quality claims.
# Precision floor is the higher one: a false alarm on a kind or careful sentence tells a person
# practising a new habit that they did it wrong when they didn't, which discourages practice.
# Recall floor is lower: a rule set cannot catch every phrasing, and a miss only means no hint.
# Both sit a little below the measured values so that any rule change that costs a sentence or two
# of precision, or three or four of recall, fails here and has to be looked at.
P_FLOOR = 0.95
R_FLOOR = 0.90
HELDOUT_P_FLOOR = 0.88
HELDOUT_R_FLOOR = 0.60


def _one(text: str, kind: str) -> Flag:
    result = check_statement(text)
    found = [f for f in result.flags if f.kind == kind]
    assert found, f"no {kind} flag in {text!r}: {result.flags}"
    return found[0]


def _span_text(text: str, flag: Flag) -> str:
    return text[flag.span[0] : flag.span[1]]


# ---------------------------------------------------------------- one test per kind


@pytest.mark.parametrize(
    ("text", "kind", "words"),
    [
        ("You never listen to me.", "absolute", "You never"),
        ("Honestly, you ALWAYS leave dishes in the sink.", "absolute", "you ALWAYS"),
        ("Every time you come home late, you don't even text.", "absolute", "Every time you"),
        ("Dinner was cold. You’re always late.", "absolute", "You’re always"),
        ("You make me feel invisible.", "you_make_me", "You make me"),
        ("You're driving me crazy.", "you_make_me", "You're driving me"),
        ("It's all your fault that we're late.", "blame", "It's all your fault"),
        ("You ruined the whole weekend.", "blame", "You ruined"),
        ("You don't care about me.", "mind_reading", "You don't care"),
        ("I know you think I'm overreacting.", "mind_reading", "I know you think"),
        ("You did that on purpose.", "mind_reading", "on purpose"),
        ("You're trying to make me jealous.", "mind_reading", "You're trying to"),
        ("You're so selfish.", "name_calling", "You're so selfish"),
        ("You are such an idiot.", "name_calling", "You are such an idiot"),
        ("Real mature.", "contempt", "Real mature"),
        ("What is wrong with you?", "contempt", "What is wrong with you"),
    ],
)
def test_each_kind_points_at_the_words(text: str, kind: str, words: str):
    flag = _one(text, kind)
    assert _span_text(text, flag) == words
    assert flag.matched == words
    assert flag.why and flag.why.endswith(".")
    assert kind in KINDS


def test_why_names_the_pattern_in_plain_words():
    flag = _one("You never listen to me.", "absolute")
    assert "'You never" in flag.why
    assert "describe the moment" in flag.why


def test_spans_survive_curly_apostrophes_and_case():
    text = "OK. YOU’RE SO LAZY."
    flag = _one(text, "name_calling")
    assert _span_text(text, flag) == "YOU’RE SO LAZY"


def test_several_kinds_in_one_sentence():
    result = check_statement("You never listen because you don't care.")
    assert {"absolute", "mind_reading"} <= result.kinds
    assert [f.span for f in result.flags] == sorted(f.span for f in result.flags)


# ---------------------------------------------------------------- what must stay clean


def test_good_i_statement_passes_clean():
    result = check_statement(
        "I feel hurt when you are late. Could we text if we're running behind?"
    )
    assert result == CoachResult(flags=[], is_i_statement=True, rewrite=None)


@pytest.mark.parametrize(
    "text",
    [
        "I always feel better when we talk.",  # first-person absolute
        "I never want to lose you.",
        "Do you always work on Fridays?",  # a genuine question is the healthy alternative
        "You always make me laugh.",  # praise: flagging absolutes in praise is noise
        "You never judge me.",  # never + a negative verb is praise
        'My mom always said, "You\'re so lazy," and it still stings.',  # reported speech
        "It's not your fault.",
        "You're crazy talented.",
        "Every time you hug me, I feel calmer.",
    ],
)
def test_no_false_alarm(text: str):
    assert check_statement(text).flags == []


def test_blaming_question_is_still_flagged():
    assert "absolute" in check_statement("Why do you always have to yell?").kinds


def test_i_statement_shape_needs_a_feeling_and_a_situation():
    assert check_statement("When the baby cries at night, I feel exhausted.").is_i_statement
    assert not check_statement("Thank you for picking up the groceries.").is_i_statement
    # The right shape with blame inside is not an I-statement.
    result = check_statement("I feel hurt when you're always on your phone.")
    assert not result.is_i_statement
    assert result.kinds == {"absolute"}


# ---------------------------------------------------------------- rewrite frames


def _frame_ok(rewrite: str | None) -> str:
    assert rewrite is not None
    assert rewrite.startswith("I feel ")
    assert " when " in rewrite
    assert rewrite.endswith("?")
    return rewrite


@pytest.mark.parametrize(
    ("text", "must_contain"),
    [
        (
            "You always leave dishes in the sink.",
            ["the dishes are left in the sink", "[overwhelmed?]"],
        ),
        ("You never listen to me.", ["[unheard?]", "I'm talking", "aren't listening"]),
        (
            "You always forget to pick up the kids.",
            ["forget to pick up the kids", "[unimportant?]"],
        ),
        ("You never help with bedtime.", ["you don't help with bedtime"]),
        ("You’re always late.", ["you're late", "[worried?]"]),
        ("Every time you get angry, you slam the door.", ["you get angry", "[scared?]"]),
        ("You make me so angry when you do that.", ["[angry?]", "when you do that"]),
        ("You're always on your phone when we eat dinner.", ["on your phone while we eat dinner"]),
    ],
)
def test_rewrite_frames_keep_the_situation(text: str, must_contain: list[str]):
    rewrite = _frame_ok(check_statement(text).rewrite)
    for words in must_contain:
        assert words in rewrite
    for blame_word in ("always", "never", "every time"):
        assert blame_word not in rewrite.lower()


def test_rewrite_leaves_honest_blanks_when_it_cannot_infer():
    rewrite = _frame_ok(check_statement("You're so selfish.").rewrite)
    assert "[feeling]" in rewrite
    assert "selfish" not in rewrite  # a label is not a situation
    assert "[" in rewrite.split(" when ", 1)[1]


def test_rewrite_keeps_a_feeling_the_person_already_named():
    rewrite = _frame_ok(check_statement("You always come home late and I feel lonely.").rewrite)
    assert rewrite.startswith("I feel [lonely?] when you come home late.")


# ---------------------------------------------------------------- the corpus


def _corpus() -> list[dict[str, str]]:
    with CORPUS.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_corpus_is_well_formed():
    rows = _corpus()
    assert len(rows) >= 120
    assert {r["label"] for r in rows} == {"flag", "ok"}
    for r in rows:
        kinds = {k for k in r["kinds"].split(";") if k}
        assert kinds <= set(KINDS), r
        assert bool(kinds) == (r["label"] == "flag"), r
    covered = {k for r in rows for k in r["kinds"].split(";") if k}
    assert covered == set(KINDS)


def test_corpus_precision_and_recall_floors():
    m, _ = evaluate(load_corpus(CORPUS))
    assert m.precision >= P_FLOOR, f"precision {m.precision:.3f} < {P_FLOOR}"
    assert m.recall >= R_FLOOR, f"recall {m.recall:.3f} < {R_FLOOR}"


def test_heldout_precision_and_recall_do_not_regress():
    rows = load_corpus(CORPUS.parent / "istatement_heldout.csv")
    assert len(rows) == 130
    m, _ = evaluate(rows)
    assert m.precision >= HELDOUT_P_FLOOR and m.recall >= HELDOUT_R_FLOOR, (m.precision, m.recall)


@pytest.mark.parametrize(
    "kind_words",
    [
        "Thanks to you, I passed my exam.",
        "If you hadn't helped me, I would have failed.",
        "You have always supported me.",
        "You've always been my favourite.",
        "I know exactly what you're thinking, and I love it.",
        "You never make me feel silly for crying at films.",
        "You made me a cup of tea without me asking.",
        "You always make me laugh when I'm stressed.",
    ],
)
def test_praise_is_not_flagged(kind_words):
    assert check_statement(kind_words).flags == []


def test_repetitive_long_input_is_answered_promptly():
    """Overlapping alternatives once made matching exponential; bounded here by an alarm."""
    import signal

    def too_slow(*_):
        raise TimeoutError("check_statement took over 5 s")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(5)
    try:
        for text in ("you " + "such an " * 250 + "zzz", "you're " + "a real " * 280 + "x"):
            check_statement(text[:2000])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
