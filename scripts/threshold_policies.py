"""The safety screen's leave-one-author-out table under several threshold policies, one run.

    .venv/bin/python scripts/threshold_policies.py FOLDS.pkl   # builds FOLDS.pkl if absent

Why: the shipped threshold is the lowest at which false alarms, averaged over authors, stay
within the issue's limits (``choose_threshold`` in ``train_safety_model.py``). Other policies
trade recall for false alarms differently, and which to ship is a product decision; this script
prints each one's table from the *same* fits, so the choice is made on numbers, not guesses.

It runs the build's nested leave-one-author-out procedure (``CrossAuthor``, about an hour on two
cores) and keeps every fold's scores in FOLDS.pkl, so a second run only re-reads them. Each
author left out gets its threshold from the policy applied to the other authors' inner-fold
scores, exactly as the shipped threshold is chosen; the first policy is the shipped one and must
reproduce the shipped table (checked when the fits match the shipped model's inputs).
The script writes no model file.
"""

from __future__ import annotations

import json
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import model_file
import train_safety_model as t

Scored = dict[str, tuple[list, list[float]]]
LIMITS = t.FALSE_ALARM_LIMITS


def _within(rates: dict[str, float]) -> bool:
    return all(not rates[g] > limit for g, limit in LIMITS.items())  # NaN (no such entries) passes


def mean_within(factor: float) -> Callable[[Scored], float]:
    """The lowest threshold whose authors' mean false alarms are within ``factor`` x the limits
    (the least excess where none is); factor 1 is the shipped ``choose_threshold``."""

    def choose(scored: Scored) -> float:
        best, best_excess = t.THRESHOLDS[-1], float("inf")
        for th in t.THRESHOLDS:
            per_author = [t.rates(es, t.flags(es, ss, th)) for es, ss in scored.values()]
            over = sum(
                max(0.0, t._mean([r[g] for r in per_author]) - limit * factor)
                for g, limit in LIMITS.items()
            )
            if over < best_excess - 1e-12:
                best, best_excess = th, over
        return best

    return choose


def share_within(share: float) -> Callable[[Scored], float]:
    """The lowest threshold at which at least ``share`` of the authors are within both limits."""

    def choose(scored: Scored) -> float:
        for th in t.THRESHOLDS:
            per_author = [t.rates(es, t.flags(es, ss, th)) for es, ss in scored.values()]
            if sum(_within(r) for r in per_author) >= share * len(per_author):
                return th
        return t.THRESHOLDS[-1]

    return choose


POLICIES: dict[str, Callable[[Scored], float]] = {
    "P0 mean within the limits (shipped)": mean_within(1.0),
    "P1 mean within 0.8 x the limits": mean_within(0.8),
    "P2 limits met by half the authors": share_within(1 / 2),
    "P3 limits met by two thirds": share_within(2 / 3),
    "P4 limits met by three quarters": share_within(3 / 4),
}


def fold_scores(path: Path) -> dict:
    """Every fold's scores and each author's labels: read from ``path``, or computed (the
    build's fits, about an hour) and written there."""
    if path.exists():
        return pickle.loads(path.read_bytes())
    with t.one_blas_thread():
        folds = t.CrossAuthor()
        folds.precompute()
    data = {
        "scored": {
            tuple(sorted(key)): {a: [float(x) for x in s] for a, s in by.items()}
            for key, by in folds._scored.items()
        },
        "labels": {
            a: [(e.rule, e.category, e.kind) for e in es] for a, es in folds.by_author.items()
        },
        "inner_groups": t.INNER_GROUPS,
        "fingerprint": t.fingerprint(),
    }
    path.write_bytes(pickle.dumps(data))
    return data


def table(data: dict, choose: Callable[[Scored], float]) -> tuple[dict[str, dict], float]:
    """Per author left out: the policy's threshold and the rates at it; and the threshold the
    policy gives over all authors (what would ship)."""
    by_author = {
        a: [SimpleNamespace(rule=r, category=c, kind=k) for r, c, k in rows]
        for a, rows in data["labels"].items()
    }
    folds = model_file.AuthorFolds(
        [], by_author, None, None, choose, inner_groups=data["inner_groups"]
    )
    folds._scored = {frozenset(k): v for k, v in data["scored"].items()}
    out = {}
    for author, entries in by_author.items():
        th = folds.threshold(frozenset({author}))
        flagged = t.flags(entries, folds.scored(frozenset({author}), author), th)
        out[author] = {"threshold": th, **t.rates(entries, flagged)}
    return out, folds.threshold()


def summary(rows: dict[str, dict]) -> str:
    n = len(rows)
    mean = {k: 100 * sum(r[k] for r in rows.values()) / n for k in ("recall", *LIMITS)}
    within = sum(_within(r) for r in rows.values())
    full = sum(r["recall"] >= 0.95 for r in rows.values())
    return (
        f"recall {mean['recall']:.2f}%  false alarms {mean['safe']:.2f}% of safe, "
        f"{mean['attachment_worry']:.2f}% of worries  within both limits {within} of {n}  "
        f"recall >= 95% {full} of {n}"
    )


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    data = fold_scores(Path(args[0]))
    shipped = json.loads(t.MODEL_PATH.read_text(encoding="utf-8"))
    current = data.get("fingerprint") == shipped.get("fingerprint")
    for name, choose in POLICIES.items():
        rows, threshold = table(data, choose)
        print(f"{name}: threshold {threshold:.2f}\n  {summary(rows)}")
        if name.startswith("P0") and current:
            stored = shipped["cross_author"]
            same = all(
                rows[a]["threshold"] == stored[a]["threshold"]
                and abs(rows[a]["recall"] - stored[a]["recall"]) < 1e-3
                for a in rows
            )
            print(f"  reproduces the shipped table: {same}")
            if not same:
                return 1
    if not current:
        print("(these fits were not made from the shipped model's inputs: not compared)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
