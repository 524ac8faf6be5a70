"""How long ``safebase --help`` takes to start, against a bare ``python -c pass``.

Run from the repository root:

    .venv/bin/python benchmarks/cli_startup.py [--runs N]

Each command runs N times (default 20) as a fresh subprocess, after one unmeasured warm-up run,
timed with ``time.perf_counter`` around ``subprocess.run``. It prints the median and the fastest
run of each, the ratio of the medians, and a ``TARGET MISSED`` line when the median of
``safebase --help`` is 0.3 s or more. ``safebase`` is the console script next to the Python that
runs this file (``.venv/bin/safebase``), i.e. what a person types.

This is a measurement, not a test: it exits 0 whenever it finishes. Timings depend on the machine
and on whatever else is running; the ratio to ``python -c pass`` in the same run travels better.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_SECONDS = 0.3


def time_runs(cmd: list[str], runs: int) -> list[float]:
    subprocess.run(cmd, check=True, capture_output=True)  # warm-up: disk cache, .pyc files
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="runs per command (default 20)")
    args = parser.parse_args()
    script = Path(sys.executable).parent / "safebase"
    if not script.exists():
        sys.exit(f"{script} not found: run `make install` first")
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "safebase --help": [str(script), "--help"],
    }
    medians = {}
    for name, cmd in commands.items():
        times = time_runs(cmd, args.runs)
        medians[name] = statistics.median(times)
        print(f"{name:<16} median {medians[name]:.3f} s   fastest {min(times):.3f} s")
    ratio = medians["safebase --help"] / medians["python -c pass"]
    print(f"ratio            {ratio:.1f}x   ({args.runs} runs each)")
    if medians["safebase --help"] >= TARGET_SECONDS:
        print(f"TARGET MISSED: safebase --help median is not below {TARGET_SECONDS} s")


if __name__ == "__main__":
    main()
