"""Fitting the learned parts: weighted logistic regressions, out-of-fold predictions and isotonic calibration.

Everything is deterministic: fixed seeds, folds by a hash of the group name, and inputs in a fixed order.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

SEED = 20261125
CALIBRATION_KNOTS = 48


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


def isotonic_knots(raw: np.ndarray, labels: np.ndarray, weights: np.ndarray) -> tuple[tuple[float, ...], ...]:
    """A monotone calibration curve as at most ``CALIBRATION_KNOTS`` (x, y) knots, spanning 0–1."""
    model = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip", increasing=True)
    model.fit(raw, labels, sample_weight=weights)
    grid = np.unique(np.quantile(raw, np.linspace(0.0, 1.0, CALIBRATION_KNOTS)))
    xs = np.concatenate([[0.0], grid, [1.0]])
    ys = np.maximum.accumulate(model.predict(xs))
    ys[0], ys[-1] = min(ys[0], ys[1]), max(ys[-1], ys[-2])
    return tuple(float(x) for x in xs), tuple(float(y) for y in ys)
