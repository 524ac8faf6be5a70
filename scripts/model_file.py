"""What the two text-model training scripts share (``train_safety_model.py``,
``train_coach_model.py``): their command line, writing the shipped JSON file, and comparing a
retrain with it. One copy, so the safety screen's model and the coach's are checked the same way
by ``make test``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path


def flush_denormals() -> bool:
    """Set the SSE control register of this thread to flush subnormal floats to zero (FTZ) and
    read them as zero (DAZ), on x86-64 Linux with glibc; returns whether it did.

    Why: the safety screen's network trains in float32, and its weight decay drives the weights
    of unused hidden units towards zero until they become subnormal (below 1.2e-38). On Intel
    processors arithmetic on subnormal numbers is some hundred times slower: measured in the
    sixteenth session, an epoch went from 0.3 s to 6-7 s once 13% of the hidden weights were
    subnormal (about epoch 20), which stretched a build from about an hour to many. Flushing them
    changes numbers far below the 6 decimals the model file keeps. Call it right before the
    arithmetic: forked workers inherit the register, but running onnxruntime (the sentence
    encoder) resets it in the thread that called it. Done through glibc's
    ``fegetmode``/``fesetmode`` (``femode_t``: control word, then MXCSR at byte 4), so no
    compiled package is needed."""
    import ctypes
    import ctypes.util
    import platform

    if platform.machine() not in ("x86_64", "AMD64") or not sys.platform.startswith("linux"):
        return False
    try:
        libm = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")
        get, put = libm.fegetmode, libm.fesetmode
    except (OSError, AttributeError):
        return False
    mode = (ctypes.c_uint32 * 2)()
    if get(ctypes.byref(mode)) != 0:
        return False
    mode[1] |= (1 << 15) | (1 << 6)  # MXCSR: flush to zero, denormals are zero
    return put(ctypes.byref(mode)) == 0


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


class AuthorFolds:
    """Leave-one-author-out fits, shared between folds (keyed by who was left out).

    For an author X left out, each other author Y is scored by a model trained without X and Y,
    the threshold is chosen on those scores, and a model trained without X is read on X at it.
    With ``inner_groups`` = k, the other authors are dealt round-robin (sorted by name) into k
    groups and each group is scored by a model trained without X and that group: nested
    cross-validation with k inner folds, n + n*k fits instead of n + n(n-1)/2, which keeps the
    build linear in the number of authors. X is still never seen by anything that chooses its
    threshold.
    Each script gives its own entries, ``fit``, ``scores`` and ``choose_threshold``, and
    adds its own ``table`` in a subclass. A model trained without a set of authors is only ever
    read on those authors' entries, so ``scored`` keeps their scores, not the model, and
    ``precompute`` runs the fits in parallel processes (forked: they share the entries)."""

    def __init__(
        self,
        base: list,
        by_author: dict[str, list],
        fit: Callable[[list], object],
        scores: Callable[[object, list], object],
        choose_threshold: Callable[[dict], float],
        inner_groups: int | None = None,
    ) -> None:
        self.base = base
        self.by_author = by_author
        self.inner_groups = inner_groups
        self.fit, self.scores, self.choose_threshold = fit, scores, choose_threshold
        self._fits: dict[frozenset[str], object] = {}
        self._scored: dict[frozenset[str], dict[str, object]] = {}

    def fitted(self, left_out: set[str] | frozenset[str] = frozenset()):
        key = frozenset(left_out)
        if key not in self._fits:
            train = self.base + [e for a, es in self.by_author.items() if a not in key for e in es]
            self._fits[key] = self.fit(train)
        return self._fits[key]

    def _score_left_out(self, key: frozenset[str]) -> dict[str, object]:
        """Each left-out author's entries scored by a model trained without ``key``."""
        train = self.base + [e for a, es in self.by_author.items() if a not in key for e in es]
        model = self.fit(train)
        return {a: self.scores(model, self.by_author[a]) for a in key}

    def scored(self, left_out: frozenset[str], author: str):
        """``author``'s entries scored by a model trained without ``left_out`` (which holds
        ``author``)."""
        if left_out not in self._scored:
            self._scored[left_out] = self._score_left_out(left_out)
        return self._scored[left_out][author]

    def inner_key(self, left_out: frozenset[str], author: str) -> frozenset[str]:
        """Who is left out of the model that scores ``author`` when the threshold for
        ``left_out`` is chosen: ``author`` alone beside them, or ``author``'s inner group."""
        if self.inner_groups is None or not left_out:
            return left_out | {author}
        rest = sorted(a for a in self.by_author if a not in left_out)
        group = rest.index(author) % self.inner_groups
        return left_out | {a for i, a in enumerate(rest) if i % self.inner_groups == group}

    def precompute(self, processes: int = 2) -> None:
        """Every fold the table and the threshold need (each author left out, and each inner
        fold beside it), in ``processes`` forked processes; progress on stderr."""
        import multiprocessing

        authors = sorted(self.by_author)
        keys = [frozenset({a}) for a in authors]
        for x in authors:
            outer = frozenset({x})
            keys += [self.inner_key(outer, a) for a in authors if a != x]
        keys = [k for k in dict.fromkeys(keys) if k not in self._scored]
        global _ACTIVE
        _ACTIVE = self
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            for done, (key, result) in enumerate(pool.imap_unordered(_score_key, keys), 1):
                self._scored[key] = result
                print(f"  fold {done}/{len(keys)}", file=sys.stderr, flush=True)
        _ACTIVE = None

    def threshold(self, left_out: frozenset[str] = frozenset()) -> float:
        scored = {}
        for author in (a for a in self.by_author if a not in left_out):
            key = self.inner_key(left_out, author)
            scored[author] = (self.by_author[author], self.scored(key, author))
        return self.choose_threshold(scored)


_ACTIVE: AuthorFolds | None = None  # the folds a forked worker reads (set by ``precompute``)


def _score_key(key: frozenset[str]) -> tuple[frozenset[str], dict[str, object]]:
    assert _ACTIVE is not None
    return key, _ACTIVE._score_left_out(key)
