"""The safety screen's rule files: schema, and every example a rule or look-alike carries."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from safebase.core.errors import InstrumentFileError
from safebase.core.practice.safety import screen_text
from safebase.core.practice.safety_rules import CATEGORIES, load_rules, rules_dir, shipped_rules

RULES, MASKS = shipped_rules()


def test_every_kind_has_a_rule_file_and_ids_are_unique():
    assert {r.category for r in RULES} == set(CATEGORIES)
    ids = [r.id for r in RULES] + [m.id for m in MASKS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_examples(rule):
    """must_match: the screen flags the entry and this rule is among those that fired;
    must_not_match: this rule does not fire on the entry."""
    for text in rule.must_match:
        result = screen_text(text)
        assert rule.id in result.matched_rule_ids, (text, result.matched_rule_ids)
    for text in rule.must_not_match:
        assert rule.id not in screen_text(text).matched_rule_ids, text


@pytest.mark.parametrize("mask", MASKS, ids=lambda m: m.id)
def test_lookalike_examples(mask):
    """must_match: the look-alike is found and the entry is not flagged; must_not_match: the
    look-alike's look-alike is still flagged."""
    from safebase.core.practice.text import normalise

    for text in mask.must_match:
        assert mask.pattern.search(normalise(text)), text
        assert not screen_text(text).risk, text
    for text in mask.must_not_match:
        assert screen_text(text).risk, text


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(rules_dir(), target)
    return target


def test_a_rule_without_counter_examples_fails_naming_file_and_field(tmp_path):
    d = _copy(tmp_path)
    path = d / "self_harm.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("must_not_match", text.index('id = "self_harm.word"'))
    end = text.index("\n", start)
    path.write_text(text[:start] + "must_not_match = []" + text[end:], encoding="utf-8")
    with pytest.raises(InstrumentFileError, match=r"self_harm\.toml: field 'rule\.0\.must_not"):
        load_rules(d)


def test_a_bad_pattern_or_fragment_fails_naming_the_rule(tmp_path):
    d = _copy(tmp_path)
    path = d / "suicide.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("<<suicide_word>>", "<<no_such_fragment>>", 1), "utf-8")
    with pytest.raises(InstrumentFileError, match=r"suicide\.word.*no_such_fragment"):
        load_rules(d)
    path.write_text(text.replace("<<suicide_word>>", "(unclosed", 1), "utf-8")
    with pytest.raises(InstrumentFileError, match=r"suicide\.word.*not a valid pattern"):
        load_rules(d)


def test_a_rule_filed_under_the_wrong_kind_fails(tmp_path):
    d = _copy(tmp_path)
    path = d / "self_harm.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('id = "self_harm.word"', 'id = "suicide.wordtwo"', 1), "utf-8")
    with pytest.raises(InstrumentFileError, match=r"must start with 'self_harm\.'"):
        load_rules(d)
