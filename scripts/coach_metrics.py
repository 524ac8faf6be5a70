"""How well the I-statement coach separates blaming sentences from fair ones, on the hand corpus.

Prints a confusion table for "flag" detection, precision/recall/F1, recall per kind, and every
miss, so rule changes can be judged on the whole corpus rather than on the sentence being fixed.

    .venv/bin/python scripts/coach_metrics.py [path/to/sentences.csv]
"""

from __future__ import annotations

import csv
import re
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from safebase.core.practice.istatement import KINDS, check_statement  # noqa: E402

CORPUS = REPO / "tests" / "data" / "istatement_corpus.csv"


@dataclass(frozen=True)
class Row:
    text: str
    label: str
    kinds: frozenset[str]
    note: str


@dataclass
class Metrics:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    kind_hits: dict[str, int] | None = None
    kind_totals: dict[str, int] | None = None

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_corpus(path: Path = CORPUS) -> list[Row]:
    with path.open(newline="", encoding="utf-8") as f:
        return [
            Row(
                r["text"],
                r["label"].strip(),
                frozenset(k for k in re.split(r"[;|]", r["kinds"]) if k),
                r["note"],
            )
            for r in csv.DictReader(f)
        ]


def evaluate(rows: list[Row]) -> tuple[Metrics, list[tuple[str, Row, set[str]]]]:
    """Sentence-level flag detection plus per-kind recall; returns the misses for inspection."""
    m = Metrics(kind_hits=dict.fromkeys(KINDS, 0), kind_totals=dict.fromkeys(KINDS, 0))
    misses: list[tuple[str, Row, set[str]]] = []
    for row in rows:
        got = check_statement(row.text).kinds
        flagged = bool(got)
        if row.label == "flag":
            if flagged:
                m.tp += 1
            else:
                m.fn += 1
                misses.append(("missed", row, got))
        elif flagged:
            m.fp += 1
            misses.append(("false alarm", row, got))
        else:
            m.tn += 1
        for kind in row.kinds:
            m.kind_totals[kind] += 1
            if kind in got:
                m.kind_hits[kind] += 1
            elif flagged:
                misses.append((f"kind {kind} missed", row, got))
    return m, misses


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]).resolve() if args else CORPUS
    rows = load_corpus(path)
    m, misses = evaluate(rows)
    print(f"corpus: {path}  ({len(rows)} sentences)\n")
    print("                 coach: flag   coach: ok")
    print(f"label flag       {m.tp:>10}   {m.fn:>9}")
    print(f"label ok         {m.fp:>10}   {m.tn:>9}\n")
    print(f"precision {m.precision:.3f}   recall {m.recall:.3f}   F1 {m.f1:.3f}")
    held = [r for r in rows if r.note.startswith("held-out")]
    if held:
        h, _ = evaluate(held)
        print(
            f"held-out subset ({len(held)} rows written after the rules were tuned): "
            f"precision {h.precision:.3f}   recall {h.recall:.3f}   F1 {h.f1:.3f}"
        )
    print()
    print("recall per kind (sentence has the kind and the coach named it):")
    for kind in KINDS:
        total = m.kind_totals[kind]
        hits = m.kind_hits[kind]
        print(f"  {kind:<13} {hits:>3}/{total:<3} {hits / total if total else 0:.3f}")
    print(f"\nmisses ({len(misses)}):")
    for what, row, got in misses:
        got_s = ",".join(sorted(got)) or "-"
        print(f"  [{what}] {row.text!r}  expected={','.join(sorted(row.kinds)) or '-'} got={got_s}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
