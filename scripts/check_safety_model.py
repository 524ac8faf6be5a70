"""Is the shipped safety model current? The check ``make test`` runs, on any processor.

Usage::

    .venv/bin/python scripts/check_safety_model.py   # exit 1 if the shipped file is stale

``scripts/train_safety_model.py --check`` asks a retrain of the final model for the shipped
weights themselves, which only the processor that built the file gives back: on another one
(another SIMD width or BLAS kernel) float sums are ordered differently and the network's
optimiser carries the difference along. Measured in the twentieth session, on an AVX2-only AMD
EPYC, against a file built on the nineteenth session's machine from the same inputs: vocabularies
and idf weights equal, the tf-idf head's weights within 1.8e-5 (stored to six decimals), the
network's risk probabilities 0.012 apart on average and 0.38 at most, so ``--check`` called a
current file stale. This script makes one retrain and asks, in order:

1. the fingerprint (hashes of the training files, rule files and code, and the parameters)
   equals the stored one, exactly: the stored threshold and table come from these inputs;
2. a retrain gives the shipped weights (``--check``'s comparison): then the file is current;
3. otherwise, as a retrain on another processor would: vocabularies and idf weights equal, the
   tf-idf head's weights within ``CROSS_PROCESSOR["weights"]``, the network's probabilities on
   the training entries within ``CROSS_PROCESSOR["probability_mean"]`` on average, and the
   verdicts at the shipped threshold (both heads averaged as the app does, on each training
   entry's text) differing on at most ``CROSS_PROCESSOR["verdicts"]`` of the entries.

A hand-edited or stale weight file fails 1 or 3; only the processor's rounding passes 3. The
script is not part of the model's fingerprint, so changing it does not call for a rebuild.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import model_file
import train_safety_model as build

# Limits for a retrain on a processor other than the build's, each a few times what was
# measured between two processors (twentieth session): tf-idf weights 1.8e-5 apart at most,
# network probabilities 0.012 apart on average, verdicts differing on 0.12% of 26,172 training
# entries (the rules, which decide many entries before the classifier, are not in this count).
CROSS_PROCESSOR = {"weights": 1e-4, "probability_mean": 0.03, "verdicts": 0.01}


def stale_inputs(shipped: dict) -> list[str]:
    """The fingerprint's parts that differ from the current inputs (exact comparison)."""
    stored = shipped.get("fingerprint", {})
    return [
        f"{key} changed since the model was trained"
        for key, value in build.fingerprint().items()
        if json.dumps(stored.get(key), sort_keys=True) != json.dumps(value, sort_keys=True)
    ]


def same_processor_problems(model: dict, shipped: dict, gap: np.ndarray) -> list[str]:
    """``train_safety_model.py --check``'s comparison of a retrain with the shipped weights."""
    problems = [
        f"{key} differs from a retrain"
        for key in build.WEIGHTS
        if not model_file.same_numbers(model[key], shipped[key])
    ]
    limit = build.PROBABILITY_TOLERANCE
    if gap.mean() > limit["mean"] or gap.max() > limit["max"]:
        problems.append(
            f"the embedding head differs from a retrain (by {gap.mean():.4f} on average, "
            f"{gap.max():.3f} at most)"
        )
    return problems


def risk_scores(texts: list[str], x: np.ndarray, path: Path) -> np.ndarray:
    """Each text's risk score as the app combines the two heads (the text's vector its only
    piece), from the model file at ``path``."""
    from safebase.core.practice import safety_model

    m = safety_model.load_model(path)
    embedded = safety_model.embedding_probabilities(x, m)
    return np.array(
        [
            safety_model.combine(
                safety_model.probabilities(text, m), row[None, :], m.classes, m.embedding_weight
            )[0]
            for text, row in zip(texts, embedded, strict=True)
        ]
    )


def cross_processor_problems(
    model: dict, shipped: dict, gap: np.ndarray, texts: list[str], x: np.ndarray
) -> tuple[list[str], str]:
    """What a retrain on another processor would not explain, and what was measured."""
    problems = [
        f"{key} differs from a retrain"
        for key in ("char_vocabulary", "char_idf", "word_vocabulary", "word_idf")
        if not model_file.same_numbers(model[key], shipped[key])
    ]
    problems += [
        f"{key} differs from a retrain by more than {CROSS_PROCESSOR['weights']}"
        for key in ("coef", "intercept")
        if not model_file.same_numbers(model[key], shipped[key], CROSS_PROCESSOR["weights"])
    ]
    if gap.mean() > CROSS_PROCESSOR["probability_mean"]:
        problems.append(f"the embedding head differs from a retrain by {gap.mean():.4f}")
    with tempfile.TemporaryDirectory() as folder:
        retrained = Path(folder) / "retrained.json"
        model_file.write_model(
            {**shipped, **{k: model[k] for k in model if k in shipped}}, retrained
        )
        threshold = shipped["params"]["threshold"]
        ours = risk_scores(texts, x, build.MODEL_PATH) >= threshold
        theirs = risk_scores(texts, x, retrained) >= threshold
    differ = float(np.mean(ours != theirs))
    if differ > CROSS_PROCESSOR["verdicts"]:
        problems.append(f"verdicts differ from a retrain's on {differ:.2%} of training entries")
    measured = (
        f"network probabilities {gap.mean():.4f} apart on average, verdicts differing on "
        f"{differ:.2%} of {len(texts)} training entries"
    )
    return problems, measured


def main() -> int:
    path = build.MODEL_PATH
    if not path.exists():
        return model_file.report_check(
            [f"{path} is missing"], path, "scripts/train_safety_model.py"
        )
    shipped = json.loads(path.read_text(encoding="utf-8"))
    problems = stale_inputs(shipped)
    if problems:
        return model_file.report_check(problems, path, "scripts/train_safety_model.py")
    with build.one_blas_thread():
        entries = build.final_entries()
        fitted = build.fit(entries)
        model = build.export(fitted, shipped["params"]["threshold"])
        texts = [e.train_text for e in entries]
        x = build.vectors(texts)
        from safebase.core.practice.safety_model import embedding_probabilities, load_model

        gap = np.abs(
            embedding_probabilities(x, load_model(path)) - fitted.embedding.predict_proba(x)
        )
        if not same_processor_problems(model, shipped, gap):
            return model_file.report_check([], path, "scripts/train_safety_model.py")
        problems, measured = cross_processor_problems(model, shipped, gap, texts, x)
    if problems:
        return model_file.report_check(problems, path, "scripts/train_safety_model.py")
    print(
        f"{path} is current: fingerprint exact; a retrain here differs from the build's in "
        f"the processor's rounding only ({measured})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
