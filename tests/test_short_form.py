"""safebase's own short form of the ECR: its headline numbers re-derived from the real answers.

scripts/derive_short_form.py runs the whole search (GRM calibration, every subset, adaptive
tests) and writes safebase/instruments/safebase-ecr12.toml. Here, in a few seconds: the same
split from the same seed; the validation step picks the shipped items again at the shipped
lengths; and safebase's scorer on the test split gives the r, alpha and n in the file's table.

Skips outside CI when ../shared is absent; fails in CI (see tests.conftest.shared_path).
"""

from __future__ import annotations

import hashlib
import sys

import numpy as np
import pytest

from safebase.core.instrument import get_instrument
from tests.conftest import REPO, shared_path

sys.path.insert(0, str(REPO / "scripts"))
import derive_short_form as derive

pytestmark = pytest.mark.realdata
FORM = "safebase-ecr12"
SHA256 = "7703f7f7b4d35d1d85b5cf4062cecc94380cdedd4fcd16132411186c1ac95ec1"


@pytest.fixture(scope="module")
def answers() -> np.ndarray:
    path = shared_path("data", "openpsychometrics_ecr", "data.csv")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == SHA256
    return derive.load_answers(path)


@pytest.fixture(scope="module")
def splits(answers) -> derive.Splits:
    return derive.split_rows(len(answers), get_instrument(FORM).spec.derivation.split_seed)


def test_the_split_is_the_shipped_one_and_its_parts_never_mix(answers, splits):
    d = get_instrument(FORM).spec.derivation
    assert d.split_seed == derive.SPLIT_SEED
    parts = (splits.train, splits.validation, splits.test)
    assert [len(p) for p in parts] == [d.train_n, d.validation_n, d.test_n]
    together = np.concatenate(parts)
    assert len(np.unique(together)) == len(answers) == len(together)


def test_headline_r_per_scale_on_the_test_split(answers, splits):
    inst = get_instrument(FORM)
    test = answers[splits.test]
    rows = derive.evaluate_form(inst, test, derive.full_scores(test))
    shipped = inst.spec.derivation.validation
    assert [r.scale for r in rows] == [r.scale for r in shipped] == ["anxiety", "avoidance"]
    for got, want in zip(rows, shipped, strict=True):
        assert got.items == want.source_items
        assert round(got.r_full, 4) == want.r_full
        assert [round(x, 4) for x in got.ci] == list(want.r_full_ci95)
        assert round(got.r_rest, 4) == want.r_rest
        assert round(got.alpha, 4) == want.alpha
        assert got.n == want.n
        assert got.r_full >= derive.TARGET_R  # the criterion, on both scales


def test_validation_picks_the_shipped_items_again(answers, splits):
    """Calibrate the GRM on train (girth), propose subsets, let validation choose: the shipped
    items come back at the shipped lengths."""
    inst = get_instrument(FORM)
    k_all = derive.keyed(answers)
    full = derive.full_scores(answers)
    for row in inst.spec.derivation.validation:
        numbers = derive.scale_numbers(row.scale)
        cols = [n - 1 for n in numbers]
        train, val = k_all[splits.train][:, cols], k_all[splits.validation][:, cols]
        grm = derive.calibrate(train)
        assert grm.a.shape == (18,) and grm.b.shape == (18, 4)
        subset, _, r = derive.choose_subset(
            grm, train, val, full[row.scale][splits.validation], len(row.source_items)
        )
        assert sorted(numbers[i] for i in subset) == row.source_items
        assert r >= derive.TARGET_R


def test_hand_written_grm_posterior_agrees_with_girths_own_eap(answers, splits):
    """The hand-written GRM pieces (category probabilities, posterior on a grid) give the same
    EAP as girth computes inside its calibration, for the same parameters and people."""
    import girth

    cols = [n - 1 for n in derive.scale_numbers("avoidance")]
    block = derive.keyed(answers)[splits.train[:3000]][:, cols]
    data = np.where(np.isnan(block), girth.INVALID_RESPONSE, block).astype(int).T
    fit = girth.grm_mml(data)
    grm = derive.Grm(np.asarray(fit["Discrimination"]), np.asarray(fit["Difficulty"]))
    ours = derive.posterior(derive.category_probabilities(grm), block) @ derive.THETA
    # girth integrates on 41 points over [-4.5, 4.5], we on 61 over [-5, 5]: equal to 0.01.
    assert np.abs(ours - np.asarray(fit["Ability"])).max() < 0.01
