"""Run a text model's build in parts: every fold's scores are saved as it finishes, so a build
longer than one sitting resumes where it stopped.

    .venv/bin/python scripts/build_in_parts.py safety --cache DIR [--minutes M]
    .venv/bin/python scripts/build_in_parts.py coach --cache DIR [--minutes M]

Why: the safety build is n * (INNER_GROUPS + 1) + 1 fits over n authors (33 now, 199 fits); on a
two-core machine where a fit takes two minutes of a core it lasts over three hours, longer than
a working session, and a build stopped half-way used to be lost.

What it changes: nothing the build computes. ``scripts/train_safety_model.py``,
``scripts/train_coach_model.py`` and ``scripts/model_file.py`` are in the shipped models'
fingerprints, so they are not edited for this. For the length of the run this script wraps two
methods of ``model_file.AuthorFolds``: ``_score_left_out`` (one fold: fit without some authors,
score their entries), so that a fold in the cache is read instead of fitted and a fold fitted is
saved at once, and ``precompute`` (every fold, two at a time), so that the build can stop at a
time limit. Then the training script's own ``main`` runs unchanged: its folds, the final fit,
the threshold, the table, the model file.

The cache is a folder named by a hash of the script's fingerprint (training files, rule files,
code, parameters), so folds computed from other inputs are never mixed in, with one file per
fold, named by who was left out, holding their entries' scores as the fold returned them
(pickled: NumPy float32 and Python floats stay exactly what they were, so a threshold compares
the same numbers whether a fold was read or fitted). A file is written under a temporary name
and renamed when complete, so a kill leaves no half-written fold. The cache is this machine's
own working state: never load one from elsewhere (pickle runs what it reads). With ``--minutes``,
no new fold starts after that many minutes: the folds running finish and are saved, and the
script exits with status 3 ("run again to resume") before anything is written. Folds computed
on different processors may be mixed; their scores differ by the network's rounding
(``scripts/check_safety_model.py`` measures how much).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import multiprocessing
import os
import pickle
import sys
import time
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
sys.path.insert(0, str(SCRIPTS))
import model_file  # noqa: E402

TRAINING_SCRIPTS = {"safety": "train_safety_model", "coach": "train_coach_model"}
STOPPED = 3  # exit status: stopped at the time limit, run again to resume


class TimeIsUp(Exception):
    """No new fold starts after the deadline (raised in a fold worker, seen by the parent)."""


def cache_folder(folder: Path, fingerprint: dict) -> Path:
    """The cache for exactly these inputs."""
    digest = hashlib.sha256(json.dumps(fingerprint, sort_keys=True).encode()).hexdigest()[:16]
    return folder / f"folds-{digest}"


def _fold_file(cache: Path, key: frozenset[str]) -> Path:
    return cache / ("+".join(sorted(key)) + ".pickle")


def read_folds(cache: Path) -> dict[frozenset[str], dict]:
    """Folds saved so far, keyed by who was left out."""
    return {
        frozenset(path.name.removesuffix(".pickle").split("+")): pickle.loads(path.read_bytes())
        for path in cache.glob("*.pickle")
    }


def save_fold(cache: Path, key: frozenset[str], scores: dict) -> None:
    """One fold, written under a temporary name, synced, then renamed into place."""
    final = _fold_file(cache, key)
    partial = cache / f".{final.name}.{os.getpid()}.partial"
    with partial.open("wb") as out:
        pickle.dump(scores, out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, final)


def resumable(folder: Path, deadline: float | None):
    """``AuthorFolds`` methods for the run: a fold is read when saved, else fitted and saved at
    once; after the deadline a fold not saved is not started (``None``), and ``precompute``
    then stops the build with ``TimeIsUp`` once the folds already running are done."""
    saved = read_folds(folder)
    plain_fold = model_file.AuthorFolds._score_left_out
    plain_precompute = model_file.AuthorFolds.precompute

    def score_left_out(folds: model_file.AuthorFolds, key: frozenset[str]) -> dict | None:
        if key in saved:
            return saved[key]
        if deadline is not None and time.monotonic() > deadline:
            if multiprocessing.parent_process() is None:
                raise TimeIsUp  # folds fitted one by one in this process (the coach's build)
            return None
        scores = plain_fold(folds, key)
        save_fold(folder, key, scores)
        return scores

    def precompute(folds: model_file.AuthorFolds, processes: int = 2) -> None:
        plain_precompute(folds, processes)
        if any(scores is None for scores in folds._scored.values()):
            raise TimeIsUp

    return {"_score_left_out": score_left_out, "precompute": precompute}, len(saved)


def run(which: str, cache: Path, minutes: float | None, argv: list[str] | None = None) -> int:
    script = importlib.import_module(TRAINING_SCRIPTS[which])
    folder = cache_folder(cache, script.fingerprint())
    folder.mkdir(parents=True, exist_ok=True)
    deadline = None if minutes is None else time.monotonic() + minutes * 60
    methods, already = resumable(folder, deadline)
    print(f"folds cache {folder}: {already} folds saved before this run", file=sys.stderr)
    plain = {name: getattr(model_file.AuthorFolds, name) for name in methods}
    for name, method in methods.items():
        setattr(model_file.AuthorFolds, name, method)
    try:
        return script.main(argv or [])
    except TimeIsUp:
        print(
            f"stopped at the time limit with {len(read_folds(folder))} folds saved in {folder}; "
            "run again to resume",
            file=sys.stderr,
        )
        return STOPPED
    finally:
        for name, method in plain.items():
            setattr(model_file.AuthorFolds, name, method)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", choices=sorted(TRAINING_SCRIPTS))
    parser.add_argument("--cache", type=Path, required=True, help="folder for the folds cache")
    parser.add_argument("--minutes", type=float, help="start no new fold after this long")
    args = parser.parse_args(argv)
    return run(args.model, args.cache, args.minutes)


if __name__ == "__main__":
    sys.exit(main())
