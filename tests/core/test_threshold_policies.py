"""scripts/threshold_policies.py: its shipped policy is the build's ``choose_threshold``."""

from __future__ import annotations

import random
import sys
from pathlib import Path
from types import SimpleNamespace

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
import threshold_policies as tp  # noqa: E402
import train_safety_model as t  # noqa: E402


def _scored(seed: int) -> dict:
    rng = random.Random(seed)
    out = {}
    for author in "ABCDEF":
        entries, scores = [], []
        for _ in range(60):
            risk = rng.random() < 0.4
            kind = "attachment_worry" if not risk and rng.random() < 0.5 else "other"
            entries.append(
                SimpleNamespace(rule=False, category="suicide" if risk else t.NONE, kind=kind)
            )
            scores.append(min(1.0, max(0.0, rng.gauss(0.7 if risk else 0.35, 0.2))))
        out[author] = (entries, scores)
    return out


def test_the_shipped_policy_is_the_builds_choice_and_stricter_ones_are_higher():
    for seed in range(5):
        scored = _scored(seed)
        shipped = tp.POLICIES["P0 mean within the limits (shipped)"](scored)
        assert shipped == t.choose_threshold(scored)
        assert tp.POLICIES["P1 mean within 0.8 x the limits"](scored) >= shipped
        assert tp.POLICIES["P4 limits met by three quarters"](scored) >= tp.POLICIES[
            "P2 limits met by half the authors"
        ](scored)
