"""The safety screen: negations, idioms, third person, categories, privacy, resources, corpus."""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

import pytest

from safebase.core.practice.safety import (
    CATEGORIES,
    SafetyResult,
    crisis_resources,
    immediate_danger_message,
    screen_text,
)

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
from safety_metrics import evaluate, load_rows  # noqa: E402

# Floors for the labelled phrase set (tests/data/safety_phrases.csv, 448 phrases, 220 risk).
# Measured when set: rules alone recall 0.991 (218/220), precision 0.982 (218/222); rules plus
# the classifier (which was trained on these phrases too) recall 1.0, precision 0.961.
#
# RECALL_FLOOR is high because a miss means someone at risk sees no help. PRECISION_FLOOR is
# lower because a false alarm only shows a resources panel beside the entry; it never blocks or
# changes anything. Both sit a little below the measured values so a rule change that loses one
# or two phrases fails here and has to be looked at.
#
# These corpus numbers say little about new wording: every batch in the corpus was followed by
# rules written for it. How the screen does on wording nobody tuned for is measured on
# tests/data/safety_heldout.csv (157 phrases, 89 risk), written by a separate author who saw
# neither the rules nor the corpus. NEVER add rules or training rows for its phrases: it is
# only useful while unseen. See HELDOUT_RECALL_FLOOR below.
RECALL_FLOOR = 0.97
PRECISION_FLOOR = 0.93

# Held-out (tests/data/safety_heldout.csv), 2026-11-23. Rules alone: recall 0.247 (22/89) before
# that day's rule additions, 0.393 (35/89) after. Rules plus the classifier, as it changed that
# day (settings always chosen on the development folds, see test_safety_model.py; this set only
# looked at in aggregate, never phrase by phrase): 0.989 / precision 0.800 (first version);
# 0.944 / 0.816 (denial and idiom gates, everyday entries); 0.966 / 0.827 (more everyday entries,
# threshold 0.4, not shipped); 0.910 / 0.844 (attachment-worry set, threshold 0.5); shipped:
# 0.933 (83/89) / 0.830 (83/100) after a code review found the denial/idiom gate switched the
# classifier off for a whole entry (now per sentence), short notes were added to training and
# notes under 3 words go to the rules alone. These floors guard against regressions only.
HELDOUT_RECALL_FLOOR = 0.91
HELDOUT_PRECISION_FLOOR = 0.80


def risk(text: str) -> bool:
    return screen_text(text).risk


@pytest.mark.parametrize(
    "text",
    [
        "I would never hurt myself",
        "I'm not suicidal",
        "no thoughts of killing myself",
        "I don't want to die, I want things to change",
        "I haven't self-harmed and I don't plan to",
        "He has never hit me",
    ],
)
def test_negations_are_not_risk(text):
    assert not risk(text)


@pytest.mark.parametrize(
    "text",
    [
        "I don't want to live anymore",
        "I don't see the point in living",
        "I can't go on",
        "I don't feel safe at home",
        "I can't stop thinking about killing myself",
        "Nobody knows I want to die",
        "I'm not okay and I want to die",  # negator is in another clause
    ],
)
def test_negation_is_targeted_not_blanket(text):
    assert risk(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'm dying to see her",
        "this traffic is killing me",
        "I could kill for a coffee",
        "she killed it at the presentation",
        "I nearly died laughing",
        "dead tired",
        "my phone died",
        "that cake was to die for",
        "I beat myself up about it",
        "she hit me up on WhatsApp",
        "I cut myself shaving",
    ],
)
def test_idioms_are_not_risk(text):
    assert not risk(text)


def test_past_and_recovered_phrasing_shows_resources():
    # Decision: a false alarm costs a panel, a miss costs a lot.
    assert screen_text("years ago I self-harmed but I'm safe now").categories == ("self_harm",)
    assert risk("I haven't self-harmed in two years")


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("my friend said she wants to die", "suicide"),
        ("my brother has been cutting himself", "self_harm"),
        ("my friend's boyfriend hits her", "abuse_danger"),
    ],
)
def test_third_person_reports_show_resources(text, category):
    assert category in screen_text(text).categories


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I want to die", "suicide"),
        ("I want to hurt myself", "self_harm"),
        ("I want to hurt him", "harm_to_others"),
        ("I'm going to kill him", "harm_to_others"),
        ("I'll kill him if he eats my leftovers lol", "harm_to_others"),  # decision: counts
        ("he hit me", "abuse_danger"),
        ("I'm scared he'll hurt me", "abuse_danger"),
    ],
)
def test_categories(text, category):
    result = screen_text(text)
    assert result.risk
    assert result.categories == (category,)
    assert all(rule_id.startswith(category) for rule_id in result.matched_rule_ids)


@pytest.mark.parametrize(
    "text", ["I feel suicidle", "i want to kms", "I want to unalive myself", "I CAN’T GO ON"]
)
def test_misspellings_case_and_curly_apostrophes(text):
    assert risk(text)


def test_result_holds_rule_ids_not_text():
    result = screen_text("I want to die, I can't go on")
    assert isinstance(result, SafetyResult)
    assert set(result.categories) <= set(CATEGORIES)
    assert result.matched_rule_ids
    assert all(re.fullmatch(r"[a-z_]+\.[a-z_]+", rule_id) for rule_id in result.matched_rule_ids)
    assert "want to die" not in repr(result)
    with pytest.raises(AttributeError):
        result.risk = False  # type: ignore[misc]


def test_empty_text_is_not_risk():
    assert screen_text("") == SafetyResult(False, (), ())
    assert not risk("   ")


def test_screen_emits_nothing(caplog, capsys):
    secret = "SECRET-ENTRY I want to kill myself and he hit me"
    with caplog.at_level(logging.DEBUG):
        screen_text(secret)
        screen_text("an ordinary day SECRET-ENTRY")
    assert caplog.records == []
    out, err = capsys.readouterr()
    assert out == "" and err == ""


def test_resources_list_is_complete_and_sourced():
    items = crisis_resources()
    names = {r.name for r in items}
    assert {"988 Suicide & Crisis Lifeline", "Samaritans", "Find A Helpline"} <= names
    for r in items:
        assert r.source.startswith("https://"), r.name
        assert r.contact and r.region
        assert set(r.topics) <= set(CATEGORIES)
    assert immediate_danger_message() == (
        "If you are in immediate danger, call your local emergency number."
    )


def test_local_number_comes_first():
    items = crisis_resources(" 0800 123 456 ", "Our clinic's line")
    assert (items[0].name, items[0].contact) == ("Our clinic's line", "0800 123 456")
    assert items[1:] == crisis_resources()
    assert crisis_resources("0800 123 456")[0].name == "Local crisis line"


def test_no_local_number_means_the_default_list():
    assert crisis_resources(None, "A label alone") == crisis_resources()
    assert crisis_resources("  ") == crisis_resources()


def test_heldout_recall_does_not_regress():
    rows = load_rows(REPO / "tests" / "data" / "safety_heldout.csv")
    assert len(rows) == 157
    overall = evaluate(rows)[0]
    assert overall.recall >= HELDOUT_RECALL_FLOOR
    assert overall.precision >= HELDOUT_PRECISION_FLOOR


def test_corpus_recall_and_precision_floors():
    rows = load_rows(REPO / "tests" / "data" / "safety_phrases.csv")
    assert len(rows) >= 150
    overall, _, misses, false_alarms = evaluate(rows)
    assert overall.recall >= RECALL_FLOOR, [r.text for r in misses]
    assert overall.precision >= PRECISION_FLOOR, [r.text for r in false_alarms]


@pytest.mark.parametrize(
    "opening",
    ["He hurt my feelings at lunch.", "Work was busy, I'd kill for a coffee.", "I'm not suicidal."],
)
def test_a_denial_or_idiom_in_one_sentence_does_not_hide_the_next(opening):
    """The classifier skips only the sentence with the denial or idiom, not the whole entry."""
    risky = "been writing goodbye messages in my head all week"
    assert screen_text(risky).only_by_classifier
    assert screen_text(f"{opening} {risky}").risk


def test_notes_too_short_for_the_classifier_go_to_the_rules_alone():
    """On a word or two the classifier mostly echoes its training mix; it would flag these."""
    from safebase.core.practice import safety_model
    from safebase.core.practice.safety import prepare_text

    notes = ["Me", "Myself", "me"]
    assert any(safety_model.risk_category(prepare_text(n)) for n in notes)
    assert not any(screen_text(n).risk for n in notes)
    assert screen_text("kms").risk  # a short explicit statement is still the rules' to catch
