"""Train the I-statement coach's learned model and write it as plain data (JSON).

    .venv/bin/python scripts/train_coach_model.py          # writes the shipped model file
    .venv/bin/python scripts/train_coach_model.py --check  # exit 1 if the shipped file is stale

Why a model next to the rules: rules written from one author's lines caught 88% of that
author's problem sentences and half of the next author's (issue 8). A small tf-idf + logistic
regression model learns the wider shapes of blame, contempt, orders and dismissal from several
authors; the rules keep what they know and the model does not (praise such as "you never judge
me", reported speech, genuine questions, a sentence about someone else — see
``model_may_flag`` in ``safebase/core/practice/coach_gate.py``), and every flag of the model
names the words that weighed most, so it stays explainable.

What it learns from (provenance; every file's hash is written into the model file), one
sentence or short message per row, labelled problem or fair:

* ``tests/data/coach_train_written.csv``: sentences written for issue 8 by the engineer who
  wrote the coach's rules, for each kind the issue names (threats, orders, sarcasm, character
  attacks, labels, mind reading, blame, defensiveness and stonewalling) and for fair sentences
  of many shapes (I-statements, requests, appreciation, apologies, praise that uses "always" or
  "never", reported speech, sentences about a third person). Always in training.
* Eighteen authors (``AUTHORS``), each a separate file: ``istatement_corpus.csv`` (written with
  the first rules), ``istatement_heldout.csv`` (an earlier held-out set, looked at, now
  development data) and the blind sets ``coach_dev_blind_e.csv``, ``_g.csv``, ``_h.csv``,
  ``_j.csv``, ``_l.csv``, ``_m.csv``, ``_o.csv``, ``_p.csv``, ``_q.csv``, ``_r.csv``, ``_s.csv``,
  ``_ca.csv``, ``_cb.csv``, ``_cc.csv``, ``_cl.csv``, ``_cn.csv`` (sixteen independent authors
  who never saw the rules, the model or each other's sentences). The four sarcasm sets (CO, CQ,
  CR, CS) are not trained on (``tests/data/coach_sets.md``).

Leave-one-author-out (``CrossAuthor``), the honest estimate for a new author: for each author
left out, a model trained on the rest; its threshold chosen on the other authors' sentences,
each scored by a model that did not train on them, as the lowest threshold at which the coach
(rules and model together, as the app runs) keeps false alarms, averaged over the authors,
within ``MEAN_FALSE_ALARMS`` of fair sentences; then read on the author left out. The shipped
threshold is the same procedure one level up. The table (rules alone, model alone, together,
per author) is written into the model file and printed by ``scripts/text_metrics.py``.
Held-out sets are never read here.

``--check`` (run by ``make test``) compares the fingerprint (hashes of the training files and
of the code that reads sentences, the rules included, since they decide where the model may
speak and the threshold is chosen with them) and retrains the final model to compare weights.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import model_file  # noqa: E402  (beside this script)

from safebase.core.practice.coach_model import MODEL_PATH  # noqa: E402
from safebase.core.practice.istatement import find_flags, model_sentences  # noqa: E402

DATA = ROOT / "tests" / "data"
BASE_FILES = ("coach_train_written.csv",)
AUTHORS = {
    "E": "coach_dev_blind_e.csv",
    "G": "coach_dev_blind_g.csv",
    "H": "coach_dev_blind_h.csv",
    "J": "coach_dev_blind_j.csv",
    "L": "coach_dev_blind_l.csv",
    "M": "coach_dev_blind_m.csv",
    "O": "coach_dev_blind_o.csv",
    "P": "coach_dev_blind_p.csv",
    "Q": "coach_dev_blind_q.csv",
    "R": "coach_dev_blind_r.csv",
    "S": "coach_dev_blind_s.csv",
    "CA": "coach_dev_blind_ca.csv",
    "CB": "coach_dev_blind_cb.csv",
    "CC": "coach_dev_blind_cc.csv",
    "CL": "coach_dev_blind_cl.csv",
    "CN": "coach_dev_blind_cn.csv",
    "corpus": "istatement_corpus.csv",
    "heldout-2026-11": "istatement_heldout.csv",
}
CODE_FILES = (
    "safebase/core/practice/text.py",
    "safebase/core/practice/istatement.py",
    # the rules decide where the model may speak (model_may_flag) and which sentences it reads
    "safebase/core/practice/coach_rules.py",
    "safebase/core/practice/rule_files.py",
    "safebase/core/practice/coach_flags.py",
    "safebase/core/practice/coach_rewrite.py",
    "safebase/core/practice/coach_gate.py",
    *sorted(
        f"safebase/core/practice/coach_rules/{p.name}"
        for p in (ROOT / "safebase/core/practice/coach_rules").glob("*.toml")
    ),
    "safebase/core/practice/coach_model.py",
    "scripts/train_coach_model.py",
    "scripts/model_file.py",
)
PARAMS = {"char_ngrams": [2, 5], "word_ngrams": [1, 2], "min_df": 2, "C": 4.0}
# The target: false alarms at most 5% of fair sentences, for a new author.
FALSE_ALARM_LIMIT = 0.05  # the target for false alarms on fair sentences
MEAN_FALSE_ALARMS = 0.03  # what the threshold allows, averaged over authors left out
THRESHOLDS = [step / 100 for step in range(30, 96)]


def read_rows(path: Path) -> list[tuple[str, bool, str]]:
    """(text, is a problem, kind), from either format (problem/fair + kind, or flag/ok + kinds)."""
    with path.open(encoding="utf-8", newline="") as f:
        out = []
        for r in csv.DictReader(f):
            problem = r["label"].strip() in ("problem", "flag")
            kind = (r.get("kind") or r.get("kinds") or "").split(";")[0].strip()
            out.append((r["text"], problem, kind or ("problem" if problem else "fair")))
        return out


@dataclass
class Entry:
    """A labelled sentence and what the coach reads of it (computed once)."""

    text: str
    problem: bool
    kind: str
    sentences: list[str]  # the sentences the model may read (model_may_flag), folded
    rule: bool  # a rule fired: flagged whatever the model says

    @classmethod
    def of(cls, row: tuple[str, bool, str]) -> Entry:
        text, problem, kind = row
        return cls(text, problem, kind, model_sentences(text), bool(find_flags(text)))


def augmented(entries: list[Entry]) -> list[Entry]:
    """Each row, plus the same row in lower case without punctuation (as people type on a
    phone), plus each sentence of a fair message of several sentences on its own (every
    sentence of a fair message is fair; the coach reads sentence by sentence). Chosen by the
    leave-one-author-out table: the same mean recall with fewer false alarms (2026-11-29:
    together 0.955 / 0.032 without, 0.955 / 0.025 with)."""
    from safebase.core.practice.text import sentences

    out = list(entries)
    for e in entries:
        out.append(Entry(re.sub(r"[.,!?;:']", "", e.text.lower()), e.problem, e.kind, [], False))
        parts = sentences(e.text) if not e.problem else []
        if len(parts) > 1:
            out += [Entry(part, False, e.kind, [], False) for part in parts]
    return out


def fit(entries: list[Entry]):
    """The scikit-learn pipeline the shipped model is exported from: union of char_wb and word
    tf-idf, then logistic regression, both classes weighing the same in total. It trains on
    whole rows (a row is one sentence or a short message) and their ``augmented`` forms."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    from safebase.core.practice.text import fold

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
    rows = augmented(entries)
    return pipeline.fit([fold(e.text) for e in rows], [int(e.problem) for e in rows])


def scores(pipeline, entries: list[Entry]) -> list[float]:
    """Per entry, the highest problem probability over the sentences the model may read (0 when
    it may read none): what the coach compares with the threshold."""
    flat = [(i, s) for i, e in enumerate(entries) for s in e.sentences]
    out = [0.0] * len(entries)
    if flat:
        probs = pipeline.predict_proba([s for _, s in flat])[:, 1]
        for (i, _), p in zip(flat, probs, strict=True):
            out[i] = max(out[i], float(p))
    return out


def rates(entries: list[Entry], flagged: list[bool]) -> dict[str, float]:
    """Recall on problem sentences and false alarms on fair ones."""
    pairs = list(zip(entries, flagged, strict=True))
    problems = [f for e, f in pairs if e.problem]
    fair = [f for e, f in pairs if not e.problem]
    return {
        "recall": sum(problems) / len(problems) if problems else float("nan"),
        "false_alarms": sum(fair) / len(fair) if fair else float("nan"),
    }


def flags(entries: list[Entry], entry_scores: list[float], threshold: float) -> list[bool]:
    return [e.rule or s >= threshold for e, s in zip(entries, entry_scores, strict=True)]


def choose_threshold(scored: dict[str, tuple[list[Entry], list[float]]]) -> float:
    """The lowest threshold at which false alarms, averaged over the authors (each author's
    sentences scored by a model that did not train on them), stay within ``MEAN_FALSE_ALARMS``;
    the highest threshold when none does.

    Averaged, as the safety screen's threshold is, not for every author separately (as until
    the fifth session): with eight authors the strictest one set the threshold for all (0.71),
    and leave-one-author-out recall fell while the other authors' false alarms were far below
    the limit. The mean is what an unseen author should expect; the spread is printed beside it
    (scripts/text_metrics.py), and the 3% mean leaves room under the issue's 5%."""
    for t in THRESHOLDS:
        per_author = [rates(es, flags(es, ss, t))["false_alarms"] for es, ss in scored.values()]
        if sum(per_author) / len(per_author) <= MEAN_FALSE_ALARMS:
            return t
    return THRESHOLDS[-1]


class CrossAuthor(model_file.AuthorFolds):
    """Leave-one-author-out, as in scripts/train_safety_model.py: for an author X left out, each
    other author Y is scored by a model trained without X and Y, the threshold is chosen on
    those scores, and a model trained without X is read on X at it. Fits are shared between
    folds (keyed by who was left out)."""

    def __init__(self) -> None:
        super().__init__(
            [Entry.of(r) for name in BASE_FILES for r in read_rows(DATA / name)],
            {a: [Entry.of(r) for r in read_rows(DATA / f)] for a, f in AUTHORS.items()},
            fit,
            scores,
            choose_threshold,
        )

    def table(self) -> dict[str, dict]:
        """Per author left out: threshold; recall and false alarms of the rules alone, the model
        alone and both together; per kind [flagged together, sentences]."""
        out = {}
        for author, entries in self.by_author.items():
            t = self.threshold(frozenset({author}))
            got = self.scored(frozenset({author}), author)
            both = flags(entries, got, t)
            per_kind: dict[str, list[int]] = {}
            for e, f in zip(entries, both, strict=True):
                label = f"{'problem' if e.problem else 'fair'} {e.kind}"
                hit_n = per_kind.setdefault(label, [0, 0])
                hit_n[0] += f
                hit_n[1] += 1
            out[author] = {
                "threshold": t,
                "rules": _round(rates(entries, [e.rule for e in entries])),
                "model": _round(rates(entries, [s >= t for s in got])),
                "together": _round(rates(entries, both)),
                "per_kind": dict(sorted(per_kind.items())),
            }
        return out


def _round(d: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 4) for k, v in d.items()}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fingerprint() -> dict:
    """Everything the stored threshold and leave-one-author-out table were computed from."""
    files = (*BASE_FILES, *AUTHORS.values())
    return {
        "trained_on": {f"tests/data/{n}": _sha256(DATA / n) for n in files},
        "code": {name: _sha256(ROOT / name) for name in CODE_FILES},
        "params": PARAMS,
        "false_alarm_limit": FALSE_ALARM_LIMIT,
        "mean_false_alarms": MEAN_FALSE_ALARMS,
    }


def _rounded(values) -> list[float]:
    return [round(float(x), 6) for x in values]


def export(pipeline, threshold: float, table: dict | None = None) -> dict:
    """The model file: fingerprint, threshold and how it was chosen, the table, the weights.

    Two classes, written as the two rows of a softmax (-w/2, +w/2): the same probability as the
    logistic regression, read by the same code as the safety screen's model."""
    union, logistic = pipeline.steps[0][1], pipeline.steps[1][1]
    (_, chars), (_, words) = union.transformer_list

    def vocab(vectorizer) -> list[str]:
        ordered = sorted(vectorizer.vocabulary_.items(), key=lambda kv: kv[1])
        return [term for term, _ in ordered]

    half = logistic.coef_[0] / 2
    return {
        "about": "safebase I-statement coach model: tf-idf (char_wb + word) + logistic "
        "regression, problem vs fair sentence; written by scripts/train_coach_model.py",
        "fingerprint": fingerprint(),
        "threshold_chosen_on": "leave-one-author-out scores of "
        + ", ".join(f"tests/data/{f}" for f in AUTHORS.values())
        + f": the lowest threshold at which false alarms, averaged over the authors, stay within "
        f"{MEAN_FALSE_ALARMS:.0%} of fair sentences (rules and model together)",
        "params": {**PARAMS, "threshold": threshold},
        "cross_author": table or {},
        "classes": ["fair", "problem"],
        "char_vocabulary": vocab(chars),
        "char_idf": _rounded(chars.idf_),
        "word_vocabulary": vocab(words),
        "word_idf": _rounded(words.idf_),
        "coef": [_rounded(-half), _rounded(half)],
        "intercept": _rounded([-logistic.intercept_[0] / 2, logistic.intercept_[0] / 2]),
    }


def final_entries(folds: CrossAuthor) -> list[Entry]:
    return folds.base + [e for es in folds.by_author.values() for e in es]


def build() -> tuple[dict, int]:
    folds = CrossAuthor()
    table = folds.table()
    threshold = folds.threshold()
    return export(folds.fitted(), threshold, table), len(final_entries(folds))


WEIGHTS = ("char_vocabulary", "char_idf", "word_vocabulary", "word_idf", "coef", "intercept")


def check() -> list[str]:
    """What is stale about the shipped file (empty when nothing)."""
    if not MODEL_PATH.exists():
        return [f"{MODEL_PATH} is missing"]
    shipped = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    current, stored = fingerprint(), shipped.get("fingerprint", {})
    problems = [
        f"{key} changed since the model was trained"
        for key in current
        if json.dumps(stored.get(key), sort_keys=True) != json.dumps(current[key], sort_keys=True)
    ]
    if problems:
        return problems
    folds = CrossAuthor()
    model = export(fit(final_entries(folds)), shipped["params"]["threshold"])
    return [
        f"{k} differs from a retrain"
        for k in WEIGHTS
        if not model_file.same_numbers(model[k], shipped[k])
    ]


def main(argv: list[str] | None = None) -> int:
    args = model_file.parse_args(argv, __doc__)
    if args.check:
        return model_file.report_check(check(), MODEL_PATH, "scripts/train_coach_model.py")
    model, n = build()
    size = model_file.write_model(model, MODEL_PATH)
    print(
        f"wrote {MODEL_PATH} ({size / 1e6:.2f} MB) from {n} sentences; threshold "
        f"{model['params']['threshold']:.2f} from leave-one-author-out scores"
    )
    for author, row in model["cross_author"].items():
        r, m, b = row["rules"], row["model"], row["together"]
        print(
            f"  left out {author:<16} t={row['threshold']:.2f}  rules {r['recall']:.3f}/"
            f"{r['false_alarms']:.3f}  model {m['recall']:.3f}/{m['false_alarms']:.3f}  "
            f"together {b['recall']:.3f}/{b['false_alarms']:.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
