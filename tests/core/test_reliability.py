"""Alpha, omega and item–total correlations against hand-worked values and pingouin."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pingouin
import pytest

from safebase.core.reliability import (
    MomentAccumulator,
    cronbach_alpha_from_cov,
    omega_total_from_corr,
    one_factor_loadings,
    reliability_of,
)


def test_alpha_hand_worked():
    # Three items, four people.
    data = np.array([[1, 1, 1], [2, 2, 2], [3, 3, 3], [2, 3, 1]], dtype=float)
    item_vars = data.var(axis=0, ddof=1)
    total_var = data.sum(axis=1).var(ddof=1)
    by_hand = 3 / 2 * (1 - item_vars.sum() / total_var)
    # item vars: .6667, .9167, .9167 (sum 2.5); totals 3, 6, 9, 6 → var 6 → α = 1.5·(1 − 2.5/6).
    assert by_hand == pytest.approx(1.5 * (1 - 2.5 / 6))
    rel = reliability_of("s", ["a", "b", "c"], data)
    assert rel.alpha == pytest.approx(0.875)


def _one_factor_sample(n: int, loadings: np.ndarray, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    factor = rng.standard_normal(n)
    noise = rng.standard_normal((n, loadings.size)) * np.sqrt(1 - loadings**2)
    return factor[:, None] * loadings + noise


def test_alpha_agrees_with_pingouin():
    data = _one_factor_sample(2_000, np.array([0.8, 0.7, 0.6, 0.75, 0.5, 0.65]), seed=1)
    data = np.round(data * 1.2 + 4).clip(1, 7)  # make it Likert-like
    ours = reliability_of("s", list("abcdef"), data).alpha
    theirs, _ci = pingouin.cronbach_alpha(pd.DataFrame(data))
    assert ours == pytest.approx(theirs, abs=1e-10)


def test_item_total_correlations_are_corrected():
    data = _one_factor_sample(500, np.array([0.8, 0.7, 0.6, 0.5]), seed=2)
    rel = reliability_of("s", ["a", "b", "c", "d"], data)
    for j, key in enumerate("abcd"):
        rest = np.delete(data, j, axis=1).sum(axis=1)
        assert rel.item_total[key] == pytest.approx(np.corrcoef(data[:, j], rest)[0, 1])


def test_one_factor_model_recovered_exactly():
    loadings = np.array([0.9, 0.8, 0.7, 0.6, 0.5])
    corr = np.outer(loadings, loadings)
    np.fill_diagonal(corr, 1.0)
    assert one_factor_loadings(corr) == pytest.approx(loadings, abs=1e-6)
    # McDonald: ω = (Σλ)² / ((Σλ)² + Σ(1 − λ²)) when the model holds exactly.
    s = loadings.sum()
    expected = s**2 / (s**2 + (1 - loadings**2).sum())
    assert omega_total_from_corr(corr) == pytest.approx(expected, abs=1e-6)  # fit tolerance


def test_omega_equals_alpha_for_tau_equivalent_items():
    # Equal loadings (tau-equivalent, standardised): omega total equals alpha.
    loadings = np.full(6, 0.7)
    corr = np.outer(loadings, loadings)
    np.fill_diagonal(corr, 1.0)
    assert omega_total_from_corr(corr) == pytest.approx(cronbach_alpha_from_cov(corr), abs=1e-6)


def test_chunked_accumulation_equals_one_pass():
    rng = np.random.default_rng(3)
    data = rng.integers(1, 8, size=(1_001, 5)).astype(float)
    data[rng.random(data.shape) < 0.05] = np.nan
    whole = MomentAccumulator(5)
    whole.add(data)
    parts = MomentAccumulator(5)
    for chunk in np.array_split(data, 13):
        parts.add(chunk)
    complete = data[~np.isnan(data).any(axis=1)]
    assert parts.n == whole.n == len(complete)
    assert parts.covariance() == pytest.approx(np.cov(complete, rowvar=False), abs=1e-10)
    assert whole.covariance() == pytest.approx(np.cov(complete, rowvar=False), abs=1e-10)


def test_too_few_rows_give_no_statistics():
    rel = reliability_of("s", ["a", "b"], np.array([[1.0, 2.0], [2.0, np.nan]]))
    assert rel.alpha is None and rel.n == 1
