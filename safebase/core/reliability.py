"""Internal consistency for a table of responses, accumulated chunk by chunk in bounded memory.

Statistics use rows complete on the scale's items (listwise within the scale), after reverse keying.
Sums and cross-products are accumulated, so a 10-million-row file costs one k×k matrix per scale.

* Cronbach's alpha: α = k/(k−1) · (1 − Σσᵢ² / σ_T²)  (Cronbach, 1951, Psychometrika 16, 297–334).
* Corrected item–total correlation: r(xᵢ, T − xᵢ).
* McDonald's omega total from a one-factor model of the item correlation matrix, fitted by iterated
  principal axis factoring (a least-squares solution, as psych's ``fa(fm="pa")``):
  ω_t = 1 − Σ(1 − hᵢ²) / Σᵢⱼ Rᵢⱼ  (McDonald, 1999, Test theory: A unified treatment; the
  definition psych::omega uses, Revelle & Zinbarg, 2009, Psychometrika 74, 145–154).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def cronbach_alpha_from_cov(cov: np.ndarray) -> float:
    k = cov.shape[0]
    total_var = cov.sum()
    return float(k / (k - 1) * (1.0 - np.trace(cov) / total_var))


def item_total_from_cov(cov: np.ndarray) -> np.ndarray:
    """Corrected item–total correlations, r(item, sum of the other items)."""
    row_sums = cov.sum(axis=1)
    diag = np.diag(cov)
    total_var = cov.sum()
    cov_rest = row_sums - diag
    var_rest = total_var - 2 * row_sums + diag
    return cov_rest / np.sqrt(diag * var_rest)


def one_factor_loadings(corr: np.ndarray, tol: float = 1e-7, max_iter: int = 200) -> np.ndarray:
    """Loadings of a single common factor by iterated principal axis factoring.

    Starts from squared multiple correlations; each step puts the communalities on the diagonal
    and takes the first eigenvector, until the communalities stop changing. The iteration cap
    bounds the cost on data with no common factor (e.g. random responders), where it would
    otherwise crawl; psych's ``fa`` caps principal axis iterations the same way.
    """
    try:
        h2 = 1.0 - 1.0 / np.diag(np.linalg.inv(corr))
    except np.linalg.LinAlgError:
        h2 = np.full(corr.shape[0], 0.5)
    loadings = np.sqrt(np.clip(h2, 0, 1))
    for _ in range(max_iter):
        reduced = corr.copy()
        np.fill_diagonal(reduced, h2)
        values, vectors = np.linalg.eigh(reduced)
        loadings = vectors[:, -1] * np.sqrt(max(values[-1], 0.0))
        new_h2 = np.clip(loadings**2, 0.0, 1.0)
        if np.max(np.abs(new_h2 - h2)) < tol:
            h2 = new_h2
            break
        h2 = new_h2
    if loadings.sum() < 0:
        loadings = -loadings
    return loadings


def omega_total_from_corr(corr: np.ndarray) -> float:
    loadings = one_factor_loadings(corr)
    uniqueness = 1.0 - loadings**2
    return float(1.0 - uniqueness.sum() / corr.sum())


def cov_to_corr(cov: np.ndarray) -> np.ndarray:
    sd = np.sqrt(np.diag(cov))
    return cov / np.outer(sd, sd)


@dataclass(frozen=True)
class ScaleReliability:
    scale_id: str
    n: int
    k: int
    alpha: float | None
    omega_total: float | None
    item_total: dict[str, float]

    def as_dict(self) -> dict[str, object]:
        return {
            "n_complete": self.n,
            "items": self.k,
            "alpha": self.alpha,
            "omega_total": self.omega_total,
            "item_total_correlations": self.item_total,
        }


def reliability_from_cov(
    scale_id: str, keys: list[str], n: int, cov: np.ndarray
) -> ScaleReliability:
    k = len(keys)
    if n < 3 or k < 2 or np.any(np.diag(cov) <= 0):
        return ScaleReliability(scale_id, n, k, None, None, {})
    alpha = cronbach_alpha_from_cov(cov)
    omega = omega_total_from_corr(cov_to_corr(cov)) if k >= 3 else None
    itc = dict(zip(keys, (float(x) for x in item_total_from_cov(cov)), strict=True))
    return ScaleReliability(scale_id, n, k, alpha, omega, itc)


class MomentAccumulator:
    """Running n, Σx and Σxxᵀ over complete rows of a block of columns."""

    def __init__(self, k: int):
        self.k = k
        self.n = 0
        self.total = np.zeros(k)
        self.cross = np.zeros((k, k))
        # Centre on the first chunk's means so the cross-products do not lose precision.
        self.shift: np.ndarray | None = None

    def add(self, block: np.ndarray) -> None:
        self.add_complete(block[~np.isnan(block).any(axis=1)])

    def add_complete(self, complete: np.ndarray) -> None:
        """Add rows already known to have no missing value."""
        if not len(complete):
            return
        if self.shift is None:
            self.shift = complete.mean(axis=0)
        centred = complete - self.shift
        self.n += len(centred)
        self.total += centred.sum(axis=0)
        self.cross += centred.T @ centred

    def covariance(self) -> np.ndarray:
        mean = self.total / self.n
        return (self.cross - self.n * np.outer(mean, mean)) / (self.n - 1)


def reliability_of(scale_id: str, keys: list[str], keyed_block: np.ndarray) -> ScaleReliability:
    """Alpha, omega and item–total correlations of one in-memory block of keyed responses."""
    acc = MomentAccumulator(len(keys))
    acc.add(keyed_block)
    if acc.n < 3:
        return ScaleReliability(scale_id, acc.n, len(keys), None, None, {})
    return reliability_from_cov(scale_id, keys, acc.n, acc.covariance())
