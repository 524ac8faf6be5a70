"""The I-statement coach's rule files: schema, fragments, and every example a rule carries."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from safebase.core.errors import InstrumentFileError
from safebase.core.practice.coach_rules import (
    RULE_KINDS,
    load_rules,
    rules_dir,
    shipped_rules,
)
from safebase.core.practice.istatement import find_flags, rule_matches
from safebase.core.practice.rule_files import FRAGMENT_REF

RULES = shipped_rules().rules


def test_every_kind_has_a_rule_file_and_ids_are_unique():
    assert {r.kind for r in RULES} == set(RULE_KINDS)
    assert {p.stem for p in rules_dir().glob("*.toml")} == {*RULE_KINDS, "fragments"}
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))


def test_fragment_references_resolve_and_every_fragment_is_used():
    def read(name: str) -> dict:
        return tomllib.loads((rules_dir() / f"{name}.toml").read_text("utf-8"))

    fragments = read("fragments")["fragments"]
    patterns = [r["pattern"] for kind in RULE_KINDS for r in read(kind)["rule"]]
    patterns += fragments.values()
    used = {
        name
        for p in patterns
        for alternative in ([p] if isinstance(p, str) else p)
        for name in FRAGMENT_REF.findall(alternative)
    }
    assert used <= set(fragments), used - set(fragments)
    assert set(fragments) <= used, set(fragments) - used
    for rule in RULES:
        assert "<<" not in rule.pattern.pattern, rule.id
    for name, value in shipped_rules().fragments.items():
        assert "<<" not in value, name


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_examples(rule):
    """must_match: the coach flags the rule's kind at words this rule matched; must_not_match:
    this rule finds nothing that stands in the message."""
    for text in rule.must_match:
        found = {span for r, span in rule_matches(text) if r.id == rule.id}
        flagged = {f.span for f in find_flags(text) if f.kind == rule.kind}
        assert found & flagged, (text, found, flagged)
    for text in rule.must_not_match:
        assert not [span for r, span in rule_matches(text) if r.id == rule.id], text


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(rules_dir(), target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_copy_loads_like_the_shipped_rules(tmp_path):
    loaded = load_rules(_copy(tmp_path))
    assert [(r.id, r.pattern.pattern) for r in loaded.rules] == [
        (r.id, r.pattern.pattern) for r in RULES
    ]


def test_a_rule_without_counter_examples_fails_naming_file_and_field(tmp_path):
    d = _copy(tmp_path)
    path = d / "blame.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("must_not_match", text.index('id = "blame.your_fault"'))
    end = text.index("]", start) + 1
    path.write_text(text[:start] + "must_not_match = []" + text[end:], encoding="utf-8")
    with pytest.raises(InstrumentFileError, match=r"blame\.toml: field 'rule\.0\.must_not_match'"):
        load_rules(d)


def test_an_unknown_field_or_check_fails_naming_file_and_field(tmp_path):
    d = _copy(tmp_path)
    path = d / "you_make_me.toml"
    _edit(path, 'check = "polarity"', 'check = "sometimes"')
    with pytest.raises(InstrumentFileError, match=r"you_make_me\.toml: field 'rule\.0\.check'"):
        load_rules(d)
    _edit(path, 'check = "sometimes"', 'chek = "polarity"')
    with pytest.raises(InstrumentFileError, match=r"you_make_me\.toml: field 'rule\.0\.chek'"):
        load_rules(d)


def test_a_bad_pattern_or_fragment_fails_naming_the_rule(tmp_path):
    d = _copy(tmp_path)
    path = d / "you_make_me.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("<<you>>", "<<no_such_fragment>>", 1), "utf-8")
    with pytest.raises(InstrumentFileError, match=r"you_make_me\.you_make_me.*no_such_fragment"):
        load_rules(d)
    path.write_text(text.replace("<<you>>", "(unclosed", 1), "utf-8")
    with pytest.raises(InstrumentFileError, match=r"you_make_me\.you_make_me.*not a valid pattern"):
        load_rules(d)


def test_a_rule_filed_under_the_wrong_kind_or_twice_fails(tmp_path):
    d = _copy(tmp_path)
    path = d / "disguised_you.toml"
    _edit(path, 'id = "disguised_you.i_feel_like_you"', 'id = "blame.i_feel_like_you"')
    with pytest.raises(InstrumentFileError, match=r"must start with 'disguised_you\.'"):
        load_rules(d)
    _edit(path, 'id = "blame.i_feel_like_you"', 'id = "disguised_you.i_feel_like_you"')
    text = path.read_text(encoding="utf-8")
    rule = text[text.index("[[rule]]") :]
    path.write_text(text + "\n" + rule, encoding="utf-8")
    with pytest.raises(InstrumentFileError, match=r"disguised_you\.toml: field 'rule'.*duplicate"):
        load_rules(d)


def test_a_malformed_file_fails_naming_the_file(tmp_path):
    d = _copy(tmp_path)
    _edit(d / "fragments.toml", 'id = "fragments"', 'id = "fragments')
    with pytest.raises(InstrumentFileError, match=r"fragments\.toml: not valid TOML"):
        load_rules(d)
