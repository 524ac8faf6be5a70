"""What the two text-model training scripts share (``train_safety_model.py``,
``train_coach_model.py``): their command line, writing the shipped JSON file, and comparing a
retrain with it. One copy, so the safety screen's model and the coach's are checked the same way
by ``make test``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def parse_args(argv: list[str] | None, doc: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped file")
    return parser.parse_args(argv)


def report_check(problems: list[str], path: Path, script: str) -> int:
    """Exit status of ``--check``: 0 when the shipped file equals a retrain, else 1 and why."""
    if problems:
        for problem in problems:
            print(f"{path.name}: {problem}", file=sys.stderr)
        print(f"{path} is stale: run {script}", file=sys.stderr)
        return 1
    print(f"{path} is current (fingerprint and a retrain of the final model)")
    return 0


def write_model(model: dict, path: Path) -> int:
    """Write the model as compact JSON (plain data, diffable by key); returns its length."""
    text = json.dumps(model, ensure_ascii=False, separators=(",", ":")) + "\n"
    path.write_text(text, encoding="utf-8")
    return len(text)


def same_numbers(a, b, tolerance: float = 1e-5) -> bool:
    """Equal, but for floats within ``tolerance`` (BLAS may differ in the last bits between
    machines; weights are stored to six decimals)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_numbers(a[k], b[k], tolerance) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(
            same_numbers(x, y, tolerance) for x, y in zip(a, b, strict=True)
        )
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, int | float) and isinstance(b, int | float) and abs(a - b) <= tolerance
    return a == b
