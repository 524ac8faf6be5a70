"""The one normaliser and sentence splitter shared by the safety screen and the coach."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from safebase.core.practice import coach_flags, safety
from safebase.core.practice.text import fold, normalise, sentence_spans, sentences


def test_fold_straightens_every_apostrophe_and_keeps_length():
    text = "I´m sure he’s ‘fine’, isnʼt he? `ok` “yes”"
    folded = fold(text)
    assert folded == "i'm sure he's 'fine', isn't he? 'ok' \"yes\""
    assert len(folded) == len(text)


@given(st.text(max_size=200))
def test_fold_never_changes_length(text):
    assert len(fold(text)) == len(text)


def test_sentences_split_on_punctuation_semicolons_and_line_breaks():
    assert sentences("I'm fine.\nNot really; it's hard! Is it? ok") == [
        "I'm fine.",
        "Not really;",
        "it's hard!",
        "Is it?",
        "ok",
    ]
    assert sentences("It cost 3.5 pounds, e.g. a coffee") == [
        "It cost 3.5 pounds, e.g.",
        "a coffee",
    ]
    assert sentence_spans("   ") == []


def test_normalise_spells_contractions_one_way():
    assert normalise("IM fine, dont worry\n  ill   be ok") == "i'm fine, don't worry\ni'll be ok"
    assert normalise("Hell no") == "hell no"  # a word, not "he'll"


def test_both_tools_read_the_same_sentences():
    """The drift the issue names: one split on newlines, the other did not; one straightened
    the acute accent, the other did not."""
    text = "You never listen\nI want to die´s not a thing"
    assert coach_flags._sentences(fold(text)) == sentence_spans(fold(text))
    assert [s.text.strip() for s in safety._read_entry(text)] == sentences(normalise(text))
