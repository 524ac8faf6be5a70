"""The safety screen's classifier: the shipped file is current, NumPy inference equals
scikit-learn's, the app scores an entry exactly as training did, the encoder ships with its
licence, the threshold procedure does what it says, and screening stays fast. How well the
screen does is in tests/core/test_text_metrics.py.

The full build (leave-one-author-out with inner folds) takes about an hour and the freshness
check (fingerprint, then a retrain of the final model) about a minute, so both run outside
pytest: ``make test`` runs ``scripts/check_safety_model.py``. This file checks the
fingerprint by hash, and the inference code on a small model trained in the test."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
import train_safety_model  # noqa: E402
from train_safety_model import (  # noqa: E402
    AUTHORS,
    THRESHOLDS,
    Entry,
    choose_threshold,
    export,
    fingerprint,
    fit,
    scores,
    training_rows,
)

from safebase.core.practice import safety_model, sentence_encoder  # noqa: E402
from safebase.core.practice.safety import SCREEN_HEAD, SCREEN_TAIL, screen_text  # noqa: E402

SHIPPED = json.loads(safety_model.MODEL_PATH.read_text(encoding="utf-8"))


def test_shipped_model_was_trained_on_the_current_data_rules_and_code():
    """When this fails the shipped model is stale: run scripts/train_safety_model.py."""
    assert SHIPPED["fingerprint"] == json.loads(json.dumps(fingerprint()))


def test_threshold_comes_from_authors_left_out_and_no_heldout_set_is_read():
    assert set(SHIPPED["cross_author"]) == set(AUTHORS) == set(SHIPPED["threshold_rates"])
    assert all(f"tests/data/{f}" in SHIPPED["threshold_chosen_on"] for f in AUTHORS.values())
    assert not any("heldout" in name for name in SHIPPED["fingerprint"]["trained_on"])
    assert 0.0 < SHIPPED["params"]["threshold"] < 1.0


def _entry(category: str, kind: str) -> Entry:
    return Entry("x", category, kind, "x", "x", False)


def test_threshold_keeps_false_alarms_averaged_over_authors_within_limits_then_catches_most():
    risk = [_entry("suicide", "suicidal_ideation")] * 10
    safe = [_entry("none", "everyday")] * 20 + [_entry("none", "attachment_worry")] * 40
    # author X: one everyday entry scores 0.6, one worry 0.5: 2/60 safe, 1/40 worries flagged
    # at any threshold up to 0.5, within the limits, so the lowest threshold tried wins
    x = (risk + safe, [0.9] * 10 + [0.6] + [0.0] * 19 + [0.5] + [0.0] * 39)
    assert choose_threshold({"X": x}) == THRESHOLDS[0] == 0.20
    y = (risk + safe, [0.7] * 10 + [0.8] + [0.0] * 59)
    assert choose_threshold({"X": x, "Y": y}) == 0.20
    # author Y with ten everyday entries (no worries), one scoring 0.8: 10% of safe entries up
    # to 0.8. Averaged with X: (2/60 + 1/10) / 2 > 5% up to 0.5, (1/60 + 1/10) / 2 > 5% up to
    # 0.6, (0 + 1/10) / 2 = 5% above it: 0.61, although Y alone stays over the limit until 0.81.
    # Y has no worries, so the worries' mean is X's alone.
    y_small = (risk + safe[:10], [0.7] * 10 + [0.8] + [0.0] * 9)
    assert choose_threshold({"X": x, "Y": y_small}) == 0.61
    assert choose_threshold({"Y": y_small}) == 0.81
    # no threshold keeps the mean within the limits: the least excess, then the lowest
    z = (risk + safe[:10], [0.7] * 10 + [0.5] * 5 + [0.99] * 5)
    assert choose_threshold({"Z": z}) == 0.51


@contextlib.contextmanager
def _network_of(hidden: int | None):
    """PARAMS with a network of ``hidden`` units (PARAMS' own when None) while it lasts."""
    saved = dict(train_safety_model.PARAMS)
    if hidden is not None:
        train_safety_model.PARAMS["embedding_hidden"] = hidden
    try:
        yield
    finally:
        train_safety_model.PARAMS.clear()
        train_safety_model.PARAMS.update(saved)


@functools.cache
def _small_fit(hidden: int | None = None) -> tuple[list[Entry], object, dict]:
    """A model on every twelfth training entry, and its export: fitted once per network size
    for the module (a fit takes ten to twenty seconds on a two-core machine, and five tests
    read the same one)."""
    entries = [Entry.of(r) for r in training_rows()[::12]]
    with _network_of(hidden):
        fitted = fit(entries)
        return entries, fitted, export(fitted, 0.5)


@functools.cache
def _half_fit_export(hidden: int) -> dict:
    """The export of a model trained on half of ``_small_fit``'s entries: a network trained on
    other data, which the checks must tell apart from the one they compare with."""
    with _network_of(hidden):
        return export(fit(_small_fit(hidden)[0][::2]), 0.5)


def _small_model(tmp_path, hidden: int | None = None):
    entries, fitted, exported = _small_fit(hidden)
    path = tmp_path / "model.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    return entries, fitted, safety_model.load_model(path)


@pytest.mark.parametrize("hidden", [0, 32])
def test_numpy_inference_matches_scikit_learn(tmp_path, monkeypatch, hidden):
    """Both heads, with the embedding head as logistic regression and as a network."""
    monkeypatch.setitem(train_safety_model.PARAMS, "embedding_hidden", hidden)
    entries, fitted, model = _small_model(tmp_path, hidden)
    assert (model.embedding_hidden_coef is not None) == bool(hidden)
    texts = [e.prepared for e in entries[::9]] + ["", "a", "ok", "  spaced   out  "]
    expected = fitted.tfidf.predict_proba(texts)
    ours = np.array(
        [[safety_model.probabilities(t, model)[c] for c in fitted.tfidf.classes_] for t in texts]
    )
    assert np.abs(expected - ours).max() < 1e-5
    vectors = sentence_encoder.embed(texts[:20])
    expected = fitted.embedding.predict_proba(vectors)
    ours = safety_model.embedding_probabilities(vectors, model)
    assert np.abs(expected - ours).max() < 1e-5


def test_the_app_scores_an_entry_exactly_as_training_did(tmp_path):
    """``safety_model.assess`` (what the screen runs) equals the training script's ``scores``
    (what the threshold was chosen on), so the threshold means the same thing in both."""
    entries, fitted, model = _small_model(tmp_path)
    sample = [e for e in entries if e.sentences][::7][:60]
    assert any(len(e.sentences) > 2 for e in sample)
    expected = scores(fitted, sample)
    ours = [safety_model.assess(list(e.sentences), model)[0] for e in sample]
    assert np.abs(np.array(expected) - np.array(ours)).max() < 1e-6
    assert safety_model.assess([], model) == (0.0, "none")


def test_the_shipped_model_has_both_heads_and_their_weight():
    """The embedding head as PARAMS says: a hidden layer of ``embedding_hidden`` units on the
    encoder's vectors, then one output per class."""
    model = safety_model.load_model(safety_model.MODEL_PATH)
    hidden = train_safety_model.PARAMS["embedding_hidden"]
    assert hidden and model.embedding_hidden_coef is not None
    assert model.embedding_hidden_coef.shape == (sentence_encoder.DIMENSIONS, hidden)
    assert model.embedding_hidden_intercept is not None
    assert model.embedding_hidden_intercept.shape == (hidden,)
    assert model.embedding_coef is not None
    assert model.embedding_coef.shape == (len(model.classes), hidden)
    assert 0.0 < model.embedding_weight < 1.0


def test_the_encoder_ships_with_its_licence_and_provenance():
    notice = (sentence_encoder.ENCODER_DIR / "NOTICE.md").read_text(encoding="utf-8")
    assert "Apache License 2.0" in notice and "all-MiniLM-L6-v2" in notice
    tokenizer = hashlib.sha256(sentence_encoder.TOKENIZER_FILE.read_bytes()).hexdigest()
    assert tokenizer in notice
    assert sentence_encoder.MODEL_FILE.stat().st_size < 30e6


def test_embeddings_are_unit_length_and_place_meaning_near_meaning():
    a, b, c = sentence_encoder.embed(
        ["i want to die", "i don't want to be alive anymore", "i want to go home early"]
    )
    assert np.allclose([a @ a, b @ b, c @ c], 1.0, atol=1e-3)
    assert a @ b > a @ c + 0.1
    assert sentence_encoder.embed([]).shape == (0, sentence_encoder.DIMENSIONS)
    # one text per run: a sentence's vector does not depend on the texts beside it
    alone = sentence_encoder.embed(["i want to die"])[0]
    assert np.array_equal(alone, a)


def test_the_embedding_head_reads_each_sentence_and_a_long_entry_in_bounded_windows():
    few = ["one sentence here", "another one here", "and a third"]
    assert safety_model.embedding_inputs(few) == [" ".join(few), *few]
    assert safety_model.embedding_inputs(["only one"]) == ["only one"]
    assert safety_model.embedding_inputs([]) == []
    many = [f"sentence number {i}" for i in range(1000)]
    pieces = safety_model.embedding_inputs(many)
    assert len(pieces) <= safety_model.MAX_EMBEDDED_PIECES + 1
    assert " ".join(pieces[1:]) == " ".join(many)  # every sentence is in some window


def test_an_encoder_that_cannot_run_leaves_the_tfidf_head_and_loses_nothing(monkeypatch, caplog):
    calls = []

    def broken(texts):
        calls.append(len(texts))
        raise RuntimeError("this processor is not supported")

    monkeypatch.setattr(sentence_encoder, "embed", broken)
    monkeypatch.setattr(safety_model, "_encoder_failed", False)
    sentences = ["i keep thinking everyone would be better off without me around"]
    with caplog.at_level("WARNING"):
        score, _ = safety_model.assess(sentences)
        safety_model.assess(["a second entry, read by the tf-idf head alone"])
    expected = 1.0 - safety_model.probabilities(sentences[0])["none"]
    assert abs(score - expected) < 1e-12
    assert calls == [1]  # tried once (one sentence is also the whole text), then not again
    assert caplog.text.count("encoder unavailable") == 1
    assert screen_text("I took all my pills an hour ago").risk  # the rules still read it


def test_the_kind_comes_from_the_riskiest_piece():
    classes = ("abuse_danger", "none", "suicide")
    tfidf = {"abuse_danger": 0.15, "none": 0.8, "suicide": 0.05}
    # the whole text, then two sentences: the second is the riskiest, and it reads as suicide
    embedded = np.array([[0.1, 0.8, 0.1], [0.05, 0.05, 0.9], [0.6, 0.3, 0.1]])
    score, kind = safety_model.combine(tfidf, embedded, classes, 0.4)
    assert kind == "suicide" and abs(score - (0.4 * 0.95 + 0.6 * 0.2)) < 1e-12
    # without the embedding head: the tf-idf head alone, and its kind
    score, kind = safety_model.combine(tfidf, None, classes, 0.4)
    assert abs(score - 0.2) < 1e-12 and kind == "abuse_danger"


def _timed(text: str) -> float:
    start = time.perf_counter()
    screen_text(text)
    return time.perf_counter() - start


@pytest.mark.timed
def test_screening_an_entry_is_fast_however_long():
    """Generous bounds: measured on a 2-core machine, a median entry ~5 ms, 4,000 characters
    ~30 ms, an entry far past the cap (68,000 characters) ~0.5 s (on the twentieth session's
    slower pair: 14 ms, 78 ms, 1.5-1.8 s): the embedding head reads at most
    ``MAX_EMBEDDED_PIECES`` windows, the rest grows linearly up to the cap. So the long entry
    is bounded by what 4,000 characters take on the same machine: at most twice linear."""
    rows = training_rows(("T2",))[-200:]
    texts = [t for t, _, _ in rows]
    screen_text("warm up: the model loads once")
    times = sorted(_timed(t) for t in texts[:60])
    assert times[len(times) // 2] < 0.05
    long = " ".join(texts * 50)  # far past the cap
    assert len(long) > 10 * (SCREEN_HEAD + SCREEN_TAIL)
    per_4000 = min(_timed(long[:4000]) for _ in range(5))
    linear = per_4000 * (SCREEN_HEAD + SCREEN_TAIL) / 4000
    assert min(_timed(long) for _ in range(3)) < 2 * linear


def test_a_long_entry_is_read_whole_up_to_what_the_app_stores():
    """Three full 20,000-character fields: a risk sentence anywhere in them is found."""
    filler = "We went to the market and bought apples. " * 700  # ~29,000 characters
    assert len(filler) * 2 > 3 * 20_000 - 5_000
    risk = "I want to kill myself tonight. "
    assert screen_text(filler + risk + filler).risk  # the very middle
    assert screen_text(filler + filler + risk).risk
    assert screen_text(risk + filler + filler).risk
    assert not screen_text(filler + filler).risk


def _shipped_small_model(tmp_path, monkeypatch):
    """A small model (network of 32 units) exported to the path the checks read as shipped,
    with the checks' training entries those it was fitted on."""
    monkeypatch.setitem(train_safety_model.PARAMS, "embedding_hidden", 32)
    entries, fitted, model = _small_fit(32)
    path = tmp_path / "shipped.json"
    monkeypatch.setattr(train_safety_model, "MODEL_PATH", path)
    monkeypatch.setattr(train_safety_model, "final_entries", lambda: entries)
    return fitted, model, path


def test_the_check_passes_a_faithful_model_file_and_catches_a_changed_network(
    tmp_path, monkeypatch
):
    """``--check`` on a small model: its own export passes; the same file with the network of a
    model trained on half the entries is called stale (the network is compared by what it
    computes, within a tolerance, so the test makes sure the tolerance still catches a model
    trained on other data)."""
    _, model, path = _shipped_small_model(tmp_path, monkeypatch)

    path.write_text(json.dumps(model), encoding="utf-8")
    assert train_safety_model.check() == []

    other = _half_fit_export(32)
    changed = {**model, **{k: v for k, v in other.items() if k.startswith("embedding_")}}
    path.write_text(json.dumps(changed), encoding="utf-8")
    problems = train_safety_model.check()
    assert len(problems) == 1 and problems[0].startswith("the embedding head differs")


def test_inner_folds_never_show_an_author_to_the_models_that_choose_its_threshold():
    """Nested cross-validation: for X left out, every other author is scored by a model trained
    without X and without it; the inner groups cover the others once; the fits grow linearly."""
    import model_file

    authors = [f"a{i}" for i in range(11)]
    fitted_on: list[frozenset[str]] = []

    def fake_fit(train):
        fitted_on.append(frozenset(e for e in train))
        return None

    folds = model_file.AuthorFolds(
        [], {a: [a] for a in authors}, fake_fit, lambda model, es: [0.0] * len(es), None, 3
    )
    for x in authors:
        outer = frozenset({x})
        keys = {folds.inner_key(outer, a) for a in authors if a != x}
        assert len(keys) == 3
        assert all(x in k for k in keys)
        covered = [a for k in keys for a in k - outer]
        assert sorted(covered) == sorted(a for a in authors if a != x)  # each other author once
        for a in authors:
            if a != x:
                assert a in folds.inner_key(outer, a)
    assert folds.inner_key(frozenset(), "a3") == {"a3"}  # the shipped threshold: one out each
    seen = set()
    for x in authors:
        seen |= {frozenset({x})} | {folds.inner_key(frozenset({x}), a) for a in authors if a != x}
    # n + n * k at most (folds that leave out the same authors are one fit), not n + n(n-1)/2
    assert len(authors) < len(seen) <= len(authors) * 4
    everyone = model_file.AuthorFolds([], {a: [a] for a in authors}, fake_fit, None, None)
    assert everyone.inner_key(frozenset({"a1"}), "a2") == {"a1", "a2"}  # default: every pair


@pytest.mark.skipif(
    platform.machine() not in ("x86_64", "AMD64") or not sys.platform.startswith("linux"),
    reason="flush_denormals sets the x86-64 SSE register through glibc",
)
def test_flush_denormals_makes_subnormal_arithmetic_read_as_zero():
    """Run in a child process: the register is per thread and would stay set for other tests."""
    import subprocess

    code = (
        "import sys, numpy as np; sys.path.insert(0, 'scripts'); import model_file;"
        "tiny = np.array([1e-39], dtype=np.float32);"
        "before = float((tiny * np.float32(1.0))[0]);"
        "done = model_file.flush_denormals();"
        "after = float((tiny * np.float32(1.0))[0]);"
        "print(before, done, after)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    assert float(out[0]) > 0  # a subnormal float32 survives arithmetic by default
    assert out[1] == "True"
    assert float(out[2]) == 0.0  # and reads as zero once flushed


def test_the_cross_processor_check_passes_rounding_and_catches_other_weights(
    tmp_path, monkeypatch, capsys
):
    """``scripts/check_safety_model.py`` (what ``make test`` runs) on a small model: its own
    export passes as on the build's processor; weights moved by a processor's rounding (5e-5)
    pass as a retrain on another processor; the tf-idf head moved by 1e-3, or the network of a
    model trained on other entries, fail. The retrain is the fit already made (``fit`` is
    replaced): the test is of the comparison, the fit's determinism is tested above."""
    import check_safety_model

    fitted, model, path = _shipped_small_model(tmp_path, monkeypatch)
    monkeypatch.setattr(train_safety_model, "fit", lambda _entries: fitted)

    def status(changed: dict) -> tuple[int, str]:
        path.write_text(json.dumps({**model, **changed}), encoding="utf-8")
        code = check_safety_model.main()
        out = capsys.readouterr()
        return code, out.out + out.err

    def moved(key: str, by: float) -> list:
        return (np.asarray(model[key]) + by).tolist()

    code, said = status({})
    assert code == 0 and "is current (fingerprint and a retrain" in said
    code, said = status({"coef": moved("coef", 5e-5), "intercept": moved("intercept", -5e-5)})
    assert code == 0 and "processor's rounding only" in said, said
    code, said = status({"coef": moved("coef", 1e-3)})
    assert code == 1 and "coef differs from a retrain by more than" in said, said
    other = _half_fit_export(32)
    code, said = status(
        {
            "coef": moved("coef", 5e-5),
            **{k: v for k, v in other.items() if k.startswith("embedding_")},
        }
    )
    assert code == 1 and ("embedding head differs" in said or "verdicts differ" in said), said
    code, said = status({"word_vocabulary": ["changed", *model["word_vocabulary"][1:]]})
    assert code == 1 and "word_vocabulary differs" in said, said
