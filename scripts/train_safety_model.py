"""Train the safety screen's local text classifier and write it as plain data (JSON).

    .venv/bin/python scripts/train_safety_model.py          # writes the shipped model file
    .venv/bin/python scripts/train_safety_model.py --check  # exit 1 if the shipped file is stale

Why a classifier beside the rules: on phrase sets written by authors who never saw the rules, the
rules found only 26-43% of risk phrases. With a tf-idf + logistic regression model trained on the
labelled phrases, tested across authors (train without one development set, test on it), the
screen found 72-85% at precision 0.89-0.93. Details and numbers: tests/core/test_safety_model.py.

The model is written as vocabularies, idf weights and coefficients, not a pickle: the app reads
it with NumPy alone (safebase/core/practice/safety_model.py) and scikit-learn is only needed
here and in the tests. Training is deterministic, so --check can compare files exactly.
tests/data/safety_heldout.csv is never used for training.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from safebase.core.practice.safety import prepare_text  # noqa: E402
from safebase.core.practice.safety_model import MODEL_PATH, PARAMS  # noqa: E402

TRAINING_FILES = (
    "tests/data/safety_phrases.csv",
    "tests/data/safety_dev_b.csv",
    "tests/data/safety_dev_c.csv",
    "tests/data/safety_everyday.csv",
    "tests/data/safety_everyday2.csv",
    "tests/data/safety_attachment_ok.csv",
    "tests/data/safety_short_ok.csv",
)
NONE = "none"


def read_rows(path: Path) -> list[tuple[str, str]]:
    """(text, category or "none") for each row of a labelled phrase file."""
    with path.open(encoding="utf-8", newline="") as f:
        return [
            (r["text"], r["category"] if r["label"] == "1" else NONE) for r in csv.DictReader(f)
        ]


def training_rows() -> list[tuple[str, str]]:
    return [row for name in TRAINING_FILES for row in read_rows(ROOT / name)]


def fit(rows: list[tuple[str, str]]):
    """The scikit-learn pipeline the shipped model is exported from."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    pipeline = make_pipeline(
        make_union(
            TfidfVectorizer(
                analyzer="char_wb",
                ngram_range=tuple(PARAMS["char_ngrams"]),
                sublinear_tf=True,
                min_df=PARAMS["min_df"],
            ),
            TfidfVectorizer(
                analyzer="word",
                ngram_range=tuple(PARAMS["word_ngrams"]),
                sublinear_tf=True,
                min_df=PARAMS["min_df"],
            ),
        ),
        LogisticRegression(C=PARAMS["C"], max_iter=5000, class_weight="balanced"),
    )
    pipeline.fit([prepare_text(t) for t, _ in rows], [c for _, c in rows])
    return pipeline


def export(pipeline) -> dict:
    union, logistic = pipeline.steps[0][1], pipeline.steps[1][1]
    (_, chars), (_, words) = union.transformer_list

    def vocab(vectorizer) -> list[str]:
        ordered = sorted(vectorizer.vocabulary_.items(), key=lambda kv: kv[1])
        return [term for term, _ in ordered]

    digests = {
        name: hashlib.sha256((ROOT / name).read_bytes()).hexdigest() for name in TRAINING_FILES
    }
    return {
        "about": "safebase safety screen classifier: tf-idf (char_wb + word) + logistic "
        "regression; written by scripts/train_safety_model.py",
        "trained_on": digests,
        "params": PARAMS,
        "classes": [str(c) for c in logistic.classes_],
        "char_vocabulary": vocab(chars),
        "char_idf": [round(float(x), 6) for x in chars.idf_],
        "word_vocabulary": vocab(words),
        "word_idf": [round(float(x), 6) for x in words.idf_],
        "coef": [[round(float(x), 6) for x in row] for row in logistic.coef_],
        "intercept": [round(float(x), 6) for x in logistic.intercept_],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped file")
    args = parser.parse_args(argv)
    rows = training_rows()
    text = json.dumps(export(fit(rows)), ensure_ascii=False, separators=(",", ":")) + "\n"
    if args.check:
        current = MODEL_PATH.read_text(encoding="utf-8") if MODEL_PATH.exists() else ""
        if current != text:
            print(f"{MODEL_PATH} is stale: run scripts/train_safety_model.py", file=sys.stderr)
            return 1
        print(f"{MODEL_PATH} matches {len(rows)} training phrases")
        return 0
    MODEL_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {MODEL_PATH} ({len(text) / 1e6:.2f} MB) from {len(rows)} phrases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
