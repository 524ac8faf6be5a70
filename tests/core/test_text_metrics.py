"""Floors on the development metrics printed by scripts/text_metrics.py, and the held-out look
log. The floors sit a little under what was measured (numbers and sessions in the comments), so a
change that loses a few entries fails here and has to be looked at; they are regression guards,
not claims of quality. The issue's targets are for held-out sets the project lead holds."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
import text_metrics  # noqa: E402

DATA = REPO / "tests" / "data"

# Leave-one-author-out, as written into the model file by scripts/train_safety_model.py
# (scripts/check_safety_model.py, run by make test, proves the file current): author left out:
# (recall floor, false-alarm ceiling on safe entries, on attachment worries), and beside each
# what was measured in the eleventh session with twenty-five authors (what was read of each:
# tests/data/safety_sets.md and TUNED_ON in scripts/text_metrics.py). The
# threshold is chosen on false alarms averaged over authors, so one author may be over the
# limits. The targets (0.95 / 0.05 / 0.03) are not met; these floors only stop a
# regression.
CROSS_AUTHOR_FLOORS = {
    "A": (0.95, 0.02, 0.015),  # 0.977 / 0.004 / 0.000
    "B": (0.92, 0.04, 0.015),  # 0.947 / 0.025 / 0.000
    "T1": (0.96, 0.035, 0.03),  # 0.980 / 0.018 / 0.015
    "T2": (0.9, 0.03, 0.025),  # 0.928 / 0.015 / 0.010
    "U": (0.95, 0.09, 0.085),  # 0.975 / 0.073 / 0.070
    "W": (0.94, 0.03, 0.035),  # 0.966 / 0.016 / 0.020
    "X": (0.9, 0.04, 0.025),  # 0.922 / 0.027 / 0.010
    "Z1": (0.84, 0.075, 0.06),  # 0.869 / 0.062 / 0.045
    "Z2": (0.89, 0.055, 0.055),  # 0.916 / 0.042 / 0.040
    "Z3": (0.91, 0.065, 0.065),  # 0.931 / 0.048 / 0.050
    "Z4": (0.9, 0.055, 0.055),  # 0.922 / 0.042 / 0.040
    "Z5": (0.84, 0.065, 0.055),  # 0.866 / 0.049 / 0.040
    "Z6": (0.91, 0.075, 0.045),  # 0.939 / 0.060 / 0.030
    "Z7": (0.92, 0.07, 0.04),  # 0.947 / 0.053 / 0.025
    "Z8": (0.93, 0.075, 0.055),  # 0.956 / 0.058 / 0.040
    "Z9": (0.88, 0.065, 0.055),  # 0.909 / 0.051 / 0.040
    "Z10": (0.88, 0.04, 0.035),  # 0.900 / 0.024 / 0.020
    "Z11": (0.86, 0.035, 0.03),  # 0.884 / 0.020 / 0.015
    "Z12": (0.9, 0.05, 0.04),  # 0.925 / 0.033 / 0.025
    "Z13": (0.91, 0.065, 0.065),  # 0.931 / 0.049 / 0.050
    "Z14": (0.92, 0.045, 0.025),  # 0.944 / 0.029 / 0.010
    "Z15": (0.91, 0.045, 0.025),  # 0.934 / 0.031 / 0.010
    "Z16": (0.9, 0.055, 0.045),  # 0.922 / 0.040 / 0.030
    "Z17": (0.9, 0.055, 0.035),  # 0.922 / 0.038 / 0.020
    "Z18": (0.91, 0.06, 0.045),  # 0.938 / 0.044 / 0.030
    "Z19": (0.92, 0.06, 0.03),  # 0.941 / 0.046 / 0.015
    "Z20": (0.91, 0.085, 0.085),  # 0.931 / 0.070 / 0.071
    "Z21": (0.89, 0.06, 0.03),  # 0.916 / 0.044 / 0.015
    "Z22": (0.88, 0.045, 0.025),  # 0.906 / 0.031 / 0.010
    "Z23": (0.9, 0.08, 0.04),  # 0.929 / 0.067 / 0.025
}
MEAN_RECALL_FLOOR = 0.9  # measured 0.929
MEAN_FALSE_ALARM_CEILINGS = (0.048, 0.031)  # measured 0.040 of safe, 0.027 of attachment worries

# file: (recall floor, false-alarm ceiling on safe entries, on attachment worries)
SAFETY_FLOORS = {
    # blind author A; the classifier trains on it: 0.992 / 0.000 / 0.000
    "safety_dev_blind_a.csv": (0.95, 0.03, 0.02),
    # blind author B; the classifier trains on it: 0.992 / 0.004 / 0.000
    "safety_dev_blind_b.csv": (0.94, 0.02, 0.01),
    # phrase set the rules were written with: 0.973 / 0.009
    "safety_phrases.csv": (0.95, 0.03, 1.0),
}
# file: (recall floor, false-alarm ceiling, good I-statements acknowledged floor, rewrites floor)
# As the app runs (rules and the learned model, which trains on every one of these sets, so the
# figures are optimistic; the honest ones are the leave-one-author-out floors below).
COACH_FLOORS = {
    # blind author E, rules added for its failures: 1.000 / 0.000 / 1.000 / 1.000
    "coach_dev_blind_e.csv": (0.97, 0.02, 0.95, 1.0),
    # blind author G, rules added after reading its misses: 0.968 / 0.000 / 1.000 / 1.000
    "coach_dev_blind_g.csv": (0.93, 0.02, 0.95, 1.0),
    # blind author H, rows never read (model trains on it): 0.877 / 0.007 / 0.883 / 1.000;
    # fifteenth session (its unacknowledged good I-statements read): 0.977 / 0.007 / 0.983 / 1.000
    "coach_dev_blind_h.csv": (0.85, 0.04, 0.95, 1.0),
    # the corpus the rules were first written with: 1.000 / 0.012 / - / 1.000
    "istatement_corpus.csv": (0.97, 0.03, 0.0, 1.0),
}
# The coach's leave-one-author-out table, as written into its model file by
# scripts/train_coach_model.py (make test's --check proves the file current): author left out:
# (recall floor, false-alarm ceiling) for rules and model together. Measured in the ninth
# session with sixteen authors (threshold from false alarms averaged over authors):
# E 1.000 / 0.000, G 0.977 / 0.027, H 0.964 / 0.013, J 0.986 / 0.007, L 0.977 / 0.027,
# M 0.946 / 0.040, O 0.936 / 0.020, P 0.973 / 0.053, Q 0.969 / 0.026, R 0.932 / 0.053,
# S 0.932 / 0.020, CA 0.946 / 0.027, CB 0.964 / 0.026, CC 0.941 / 0.033, corpus 1.000 / 0.054,
# heldout-2026-11 1.000 / 0.052 (optimistic: since the ninth session every author's missed
# problems other than sarcasm, and six authors' missed sarcasm, were read for rules).
# Regression guards, not the target (recall >= 0.85, false alarms <= 0.05 on a
# held-out author).
COACH_CROSS_AUTHOR_FLOORS = {
    "E": (0.97, 0.03),
    "G": (0.96, 0.04),
    "H": (0.94, 0.04),
    "J": (0.96, 0.02),
    "L": (0.95, 0.03),
    "M": (0.92, 0.055),
    "O": (0.91, 0.03),
    "P": (0.95, 0.07),
    "Q": (0.95, 0.04),
    "R": (0.91, 0.07),
    "S": (0.91, 0.04),
    "CA": (0.93, 0.045),
    "CB": (0.94, 0.045),
    "CC": (0.93, 0.05),
    "CL": (0.93, 0.045),  # tenth session: 94.8% / 3.3%
    "CN": (0.96, 0.11),  # tenth session: 97.2% / 9.6% (sincere lines that sound sharp)
    "corpus": (0.97, 0.065),
    "heldout-2026-11": (0.97, 0.065),
}


@pytest.mark.parametrize("name", SAFETY_FLOORS)
def test_safety_dev_floors(name):
    recall, fa_safe, fa_attachment = SAFETY_FLOORS[name]
    got, _ = text_metrics.safety_table(text_metrics.read_safety(DATA / name))
    assert got["recall"] >= recall, got
    assert got["false_alarms"] <= fa_safe, got
    if got["attachment"] == got["attachment"]:  # not NaN: the set has attachment worries
        assert got["attachment"] <= fa_attachment, got


def test_cross_author_floors():
    table = text_metrics.cross_author_table(stored=True)
    assert set(table) == set(CROSS_AUTHOR_FLOORS)
    for author, (recall, fa_safe, fa_attachment) in CROSS_AUTHOR_FLOORS.items():
        got = table[author]
        assert got["recall"] >= recall, (author, got)
        assert got["safe"] <= fa_safe, (author, got)
        assert got["attachment_worry"] <= fa_attachment, (author, got)
    assert sum(r["recall"] for r in table.values()) / len(table) >= MEAN_RECALL_FLOOR
    assert sum(r["safe"] for r in table.values()) / len(table) <= MEAN_FALSE_ALARM_CEILINGS[0]
    worries = sum(r["attachment_worry"] for r in table.values()) / len(table)
    assert worries <= MEAN_FALSE_ALARM_CEILINGS[1]
    lines = text_metrics.cross_author_lines(table)
    assert any(line.strip().startswith("mean") for line in lines)
    assert any(line.strip().startswith("worst") for line in lines)
    # The README quotes the table down to the count of authors at target, not restated by hand.
    quoted = lines[: next(i for i, line in enumerate(lines) if "all three targets" in line) + 1]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for line in quoted:
        assert line in readme, line


@pytest.mark.parametrize("name", COACH_FLOORS)
def test_coach_dev_floors(name):
    recall, fa, good, rewrites = COACH_FLOORS[name]
    got, _ = text_metrics.coach_table(text_metrics.read_coach(DATA / name))
    assert got["recall"] >= recall, got
    assert got["false_alarms"] <= fa, got
    if got["good"] == got["good"]:
        assert got["good"] >= good, got
    assert got["rewrites"] >= rewrites, got


def test_coach_cross_author_floors_and_the_readme_quotes_the_table():
    import json

    from safebase.core.practice.coach_model import MODEL_PATH

    table = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["cross_author"]
    assert set(table) == set(COACH_CROSS_AUTHOR_FLOORS)
    for author, (recall, fa) in COACH_CROSS_AUTHOR_FLOORS.items():
        together = table[author]["together"]
        assert together["recall"] >= recall, (author, together)
        assert together["false_alarms"] <= fa, (author, together)
    lines = text_metrics.coach_cross_author_lines()
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for line in lines:  # quoted, not restated: a retrain that moves a number must update it
        assert line in readme, line


def test_heldout_metrics_print_only_when_asked_and_every_look_is_logged(
    tmp_path, monkeypatch, capsys
):
    log = tmp_path / "looks.md"
    monkeypatch.setattr(text_metrics, "LOOK_LOG", log)
    heldout = tuple((label, tmp_path / path.name) for label, path in text_metrics.HELDOUT)
    monkeypatch.setattr(text_metrics, "HELDOUT", heldout)
    monkeypatch.setattr(text_metrics, "ROOT", tmp_path)
    text_metrics.heldout(set())
    assert "not present" in capsys.readouterr().out
    assert not log.exists()  # nothing looked at, nothing logged
    (tmp_path / "safety_heldout_blind.csv").write_text(
        "text,label,kind\nI want to die,risk,suicidal_ideation\nnice day,safe,everyday\n", "utf-8"
    )
    (tmp_path / "coach_heldout_blind_k.csv").write_text(
        "text,label,kind\nShut up.,problem,command\n", "utf-8"
    )
    text_metrics.heldout(set())
    text_metrics.heldout({"coach_heldout_blind_k.csv"})
    out = capsys.readouterr().out
    assert "recall 100.0% (1/1)" in out
    assert "I want to die" not in out  # aggregate only
    lines = [x for x in log.read_text("utf-8").splitlines() if x.startswith("- ")]
    assert len(lines) == 2 and "safety_heldout_blind.csv" in lines[0]
    assert "coach_heldout_blind_k.csv" in lines[1] and "safety" not in lines[1]  # only K looked at
    # Each look logs its headline figures, and the next look at the same set prints them.
    assert "recall 100.0%, false alarms 0.0%" in lines[0]
    assert out.count("look 1 at this set") == 2  # the first call looked at both sets
    assert "look 2 at this set; the previous logged figures: recall 100.0%" in out  # then K
    assert text_metrics.previous_looks("coach_heldout_blind_k.csv")[0] == 2
    # Each look counts the sets meeting the targets, so the README need not count by hand.
    assert "safety: recall target met by 1 of 1, both false-alarm limits by 1 of 1, " in out
    assert "every target by 1 of 1 (C+D)" in out
    assert out.count("coach: recall target met by 1 of 1") == 2
    assert "every target by 1 of 1 (K)" in out
    assert text_metrics.previous_looks("coach_heldout_blind.csv") == (0, None)  # not a prefix
    with pytest.raises(SystemExit):
        text_metrics.heldout({"safety_dev_blind_a.csv"})  # a development set is not held out


def test_targets_are_counted_per_held_out_set():
    """A set just under a target is counted as missing it; the names are the README's."""
    safety_ok = {"recall": 0.95, "false_alarms": 0.05, "attachment": 0.03}
    safety_worries = {"recall": 0.96, "false_alarms": 0.02, "attachment": 0.031}
    coach_short = {"recall": 0.849, "false_alarms": 0.0}
    met = {
        "safety": [
            ("Y13", text_metrics.meets_targets("safety", safety_ok)),
            ("Y12", text_metrics.meets_targets("safety", safety_worries)),
        ],
        "coach": [("I", text_metrics.meets_targets("coach", coach_short))],
    }
    lines = text_metrics.target_count_lines(met)
    assert lines[0] == (
        "  safety: recall target met by 2 of 2, both false-alarm limits by 1 of 2, "
        "every target by 1 of 2 (Y13)"
    )
    assert lines[1].endswith("every target by 0 of 1 (none)")
    names = [text_metrics._set_name(path) for _, path in text_metrics.HELDOUT]
    assert names[:3] == ["C+D", "V", "Y"] and "F" in names and "CW" in names
