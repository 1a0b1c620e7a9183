"""Fitting the learned parts: weighted logistic regressions, out-of-fold predictions and the risk ladder.

Everything is deterministic: fixed seeds, folds by a hash of the group name, and inputs in a fixed order.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

SEED = 20261125


@dataclass(frozen=True)
class LinearFit:
    """One fitted logistic regression: its weights and intercept."""

    coef: np.ndarray
    intercept: float

    def logits(self, inputs: np.ndarray) -> np.ndarray:
        """The linear scores of the rows of ``inputs``."""
        return inputs.astype(np.float64) @ self.coef.astype(np.float64) + self.intercept

    def probabilities(self, inputs: np.ndarray) -> np.ndarray:
        """The probabilities of the rows of ``inputs``."""
        return 1.0 / (1.0 + np.exp(-np.clip(self.logits(inputs), -40.0, 40.0)))


def balanced_weights(labels: np.ndarray, base: np.ndarray, positive_share: float) -> np.ndarray:
    """Sample weights that give the positives ``positive_share`` of the total weight (base weights kept within)."""
    positive = labels > 0.5
    weights = base.astype(np.float64).copy()
    pos_total, neg_total = weights[positive].sum(), weights[~positive].sum()
    if pos_total == 0 or neg_total == 0:
        return weights
    weights[positive] *= positive_share / pos_total
    weights[~positive] *= (1.0 - positive_share) / neg_total
    return weights * len(weights)


def fit_logistic(inputs: np.ndarray, labels: np.ndarray, weights: np.ndarray, strength: float) -> LinearFit:
    """A weighted L2 logistic regression (``strength`` is sklearn's C)."""
    if labels.min() == labels.max():
        bias = 20.0 if labels[0] > 0.5 else -20.0
        return LinearFit(coef=np.zeros(inputs.shape[1]), intercept=bias)
    model = LogisticRegression(C=strength, max_iter=2000, random_state=SEED, tol=1e-5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(inputs, (labels > 0.5).astype(int), sample_weight=weights)
    return LinearFit(coef=model.coef_[0].copy(), intercept=float(model.intercept_[0]))


def fold_of(group: str, folds: int) -> int:
    """The cross-validation fold of a group (stable across runs and machines)."""
    return int.from_bytes(hashlib.sha256(f"fold:{group}".encode()).digest()[:4], "big") % folds


def out_of_fold(
    inputs: np.ndarray,
    labels: np.ndarray,
    weights: np.ndarray,
    groups: Sequence[str],
    strength: float,
    folds: int = 5,
) -> np.ndarray:
    """Each row's probability from a model fitted without the row's group."""
    assignment = np.asarray([fold_of(group, folds) for group in groups])
    predictions = np.zeros(len(labels))
    for fold in range(folds):
        held = assignment == fold
        if not held.any():
            continue
        model = fit_logistic(inputs[~held], labels[~held], weights[~held], strength)
        predictions[held] = model.probabilities(inputs[held])
    return predictions


def ladder_knots(
    raw: np.ndarray, labels: np.ndarray, weights: np.ndarray, ladder: Sequence[tuple[float, float]]
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """A monotone map from raw probability to risk that puts each policy level at a false-positive budget.

    Args:
        raw: out-of-fold raw probabilities of the training rows.
        labels: their 0/1 labels.
        weights: their sample weights.
        ladder: (risk level, share of the negatives' weight allowed at or above it), levels ascending.

    Returns:
        (raw knots, risk knots) for ``np.interp``: each level's raw threshold is the weighted quantile of the
        negatives that leaves the given share above it; between levels the map is linear.
    """
    negative = labels < 0.5
    order = np.argsort(raw[negative])
    values, mass = raw[negative][order], weights[negative][order]
    above = 1.0 - np.cumsum(mass) / mass.sum()
    xs, ys = [0.0], [0.0]
    for level, share in ladder:
        position = min(int(np.searchsorted(-above, -share)), len(values) - 1)
        threshold = max(float(values[position]), xs[-1] + 1e-6)
        xs.append(min(threshold, 1.0 - 1e-6 * (len(ladder) - len(xs) + 1)))
        ys.append(level)
    xs.append(1.0)
    ys.append(1.0)
    return tuple(xs), tuple(ys)
