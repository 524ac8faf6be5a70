"""How well the safety screen does on the labelled phrase set: confusion table, recall, precision.

    .venv/bin/python scripts/safety_metrics.py [path/to/phrases.csv]

Recall (sensitivity) matters most: a miss means someone at risk sees no help. Precision matters
less: a false alarm only shows a resources panel beside the entry. Per category, a row counts as
a hit when its labelled category is among the categories the screen returned. Misses and false
alarms are listed so that every change to the rules can be read against the phrases it moved.
The phrases are test data written for this purpose, not anyone's real entries.
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from pathlib import Path

from safebase.core.practice.safety import CATEGORIES, screen_text

DEFAULT = Path(__file__).resolve().parent.parent / "tests" / "data" / "safety_phrases.csv"


@dataclass(frozen=True)
class Counts:
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else float("nan")

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else float("nan")


@dataclass(frozen=True)
class Row:
    text: str
    label: bool
    categories: tuple[str, ...]
    note: str


def load_rows(path: Path = DEFAULT) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            Row(
                text=r["text"],
                label=r["label"].strip() == "1",
                categories=tuple(c for c in r["category"].split("|") if c),
                note=r["note"],
            )
            for r in csv.DictReader(fh)
        ]


def evaluate(rows: list[Row]) -> tuple[Counts, dict[str, Counts], list[Row], list[Row]]:
    """Overall counts, per-category counts, misses and false alarms."""
    tp = fp = fn = tn = 0
    per = {c: [0, 0, 0, 0] for c in CATEGORIES}
    misses: list[Row] = []
    false_alarms: list[Row] = []
    for row in rows:
        result = screen_text(row.text)
        if row.label and result.risk:
            tp += 1
        elif row.label:
            fn += 1
            misses.append(row)
        elif result.risk:
            fp += 1
            false_alarms.append(row)
        else:
            tn += 1
        for c in CATEGORIES:
            truth = row.label and c in row.categories
            said = c in result.categories
            per[c][0 if truth and said else 1 if said else 2 if truth else 3] += 1
    return Counts(tp, fp, fn, tn), {c: Counts(*v) for c, v in per.items()}, misses, false_alarms


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT
    rows = load_rows(path)
    overall, per, misses, false_alarms = evaluate(rows)
    print(f"{len(rows)} phrases from {path}\n")
    print("                 screen: risk   screen: no risk")
    print(f"label: risk      {overall.tp:>12}   {overall.fn:>15}")
    print(f"label: no risk   {overall.fp:>12}   {overall.tn:>15}\n")
    print(f"{'':16} {'recall':>7} {'precision':>9}   tp  fp  fn")
    print(f"{'overall':16} {overall.recall:7.3f} {overall.precision:9.3f}", end="")
    print(f"  {overall.tp:3} {overall.fp:3} {overall.fn:3}")
    for c, k in per.items():
        print(f"{c:16} {k.recall:7.3f} {k.precision:9.3f}  {k.tp:3} {k.fp:3} {k.fn:3}")
    print(f"\nMisses ({len(misses)}):")
    for r in misses:
        print(f"  [{'|'.join(r.categories)}] {r.text}  ({r.note})")
    print(f"\nFalse alarms ({len(false_alarms)}):")
    for r in false_alarms:
        print(f"  {r.text}  ({r.note}) -> {screen_text(r.text).matched_rule_ids}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
