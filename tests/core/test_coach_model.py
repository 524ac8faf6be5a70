"""The coach's learned model: the shipped file is current, NumPy inference equals
scikit-learn's, the threshold procedure does what it says, hints point at the words that
weighed most, and the rules keep the model away from praise, questions and reported speech.
How well the coach does (leave-one-author-out) is in tests/core/test_text_metrics.py.

The full build (leave-one-author-out, 21 fits) takes about a minute, so it runs outside
pytest: ``make test`` runs ``scripts/train_coach_model.py --check``. Here the fingerprint is
checked by hash, and the inference code on a small model trained in the test."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
from train_coach_model import (  # noqa: E402
    AUTHORS,
    Entry,
    choose_threshold,
    export,
    fingerprint,
    fit,
    read_rows,
)

from safebase.core.practice import coach_model  # noqa: E402
from safebase.core.practice.istatement import check_statement, model_may_flag  # noqa: E402
from safebase.core.practice.safety_model import load_model, probabilities  # noqa: E402
from safebase.core.practice.text import fold  # noqa: E402

SHIPPED = json.loads(coach_model.MODEL_PATH.read_text(encoding="utf-8"))
DATA = REPO / "tests" / "data"


def test_shipped_model_was_trained_on_the_current_data_rules_and_code():
    """When this fails the shipped model is stale: run scripts/train_coach_model.py."""
    assert SHIPPED["fingerprint"] == json.loads(json.dumps(fingerprint()))


def test_threshold_comes_from_authors_left_out_and_no_heldout_set_is_read():
    assert set(SHIPPED["cross_author"]) == set(AUTHORS)
    assert all(f"tests/data/{f}" in SHIPPED["threshold_chosen_on"] for f in AUTHORS.values())
    assert not any("blind" in n and "heldout" in n for n in SHIPPED["fingerprint"]["trained_on"])
    assert "tests/data/coach_heldout_blind.csv" not in SHIPPED["fingerprint"]["trained_on"]
    assert 0.0 < SHIPPED["params"]["threshold"] < 1.0


def _entry(problem: bool) -> Entry:
    return Entry("x", problem, "k", ["x"], False)


def test_threshold_keeps_false_alarms_averaged_over_authors_within_3_percent():
    problems, fair = [_entry(True)] * 10, [_entry(False)] * 20
    clean = (problems + fair, [0.9] * 10 + [0.0] * 20)
    assert choose_threshold({"Z": clean}) == 0.30  # nothing to keep out: the lowest threshold
    # One fair sentence of twenty at 0.6 is 5%, over 3%: the threshold must pass 0.6 ...
    x = (problems + fair, [0.9] * 10 + [0.6] + [0.0] * 19)
    assert choose_threshold({"X": x}) == 0.61
    # ... unless averaged with an author without false alarms (2.5%): the mean is what an unseen
    # author should expect, so one author may be over.
    assert choose_threshold({"X": x, "Z": clean}) == 0.30
    # Two at 0.6 and 0.7 (10%) averaged with 0%: 5%, over; past 0.6 the mean is 2.5%.
    y = (problems + fair, [0.9] * 10 + [0.6, 0.7] + [0.0] * 18)
    assert choose_threshold({"Y": y, "Z": clean}) == 0.61


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A model trained in the test on one author's rows, exported and read back."""
    entries = [Entry(t, p, k, [], False) for t, p, k in read_rows(DATA / "coach_dev_blind_e.csv")]
    pipeline = fit(entries)
    path = tmp_path_factory.mktemp("m") / "coach_model.json"
    path.write_text(json.dumps(export(pipeline, 0.5)), encoding="utf-8")
    return pipeline, load_model(path)


def test_numpy_inference_equals_scikit_learn(small):
    pipeline, model = small
    texts = [
        "you never listen to me",
        "Could you pick up milk?",
        "Oh great, another evening on your phone.",
        "i feel lonely when we don't talk",
    ]
    ours = [probabilities(fold(t), model)["problem"] for t in texts]
    theirs = pipeline.predict_proba([fold(t) for t in texts])[:, 1]
    assert np.allclose(ours, theirs, atol=1e-4)


def test_word_weights_add_up_to_the_score(small, monkeypatch):
    """The hint's word weights are the model's own: their sum plus the intercept is the
    log-odds it scored the sentence with."""
    _, model = small
    monkeypatch.setattr(coach_model, "_model", lambda: model)
    sentence = fold("oh sure, because you always know best")
    weights = [w for _, _, w in coach_model.weighed_words(sentence)]
    p = coach_model.problem_probability(sentence)
    log_odds = float(np.log(p / (1 - p)))
    intercept = float(model.intercept[1] - model.intercept[0])
    assert sum(weights) + intercept == pytest.approx(log_odds, abs=1e-6)


def test_a_tone_flag_points_at_the_words_and_says_it_is_a_pattern():
    text = "Honestly the way you talk to the waiters embarrasses everyone."
    flags = [f for f in check_statement(text).flags if f.kind == "tone"]
    assert flags, check_statement(text).flags
    flag = flags[0]
    assert text[flag.span[0] : flag.span[1]] == flag.matched and flag.matched.strip()
    assert f"'{flag.matched}'" in flag.why and "pattern, not a rule" in flag.why
    named = flag.why.split("(")[1].split(")")[0]  # the words named are the sentence's own
    assert all(w.strip("' ") in text for w in named.split(","))
    assert check_statement(text).rewrite is not None


@pytest.mark.parametrize(
    "sentence",
    [
        "You never judge me.",  # praise the rules recognise
        "Thanks to you, I passed my exam.",
        'She said "you always do this" and walked off.',  # reported speech
        "Do you always work late on Fridays?",  # a genuine question
        "My sister never gives my clothes back.",  # about someone else
        "I feel like an idiot for forgetting.",  # the speaker about themself
    ],
)
def test_the_model_does_not_speak_where_the_rules_know_better(sentence):
    assert not model_may_flag(fold(sentence).strip(), fold(sentence))
    assert check_statement(sentence).flags == []
