"""Confidence that a suggestion is right, and the auto-dispatch threshold for a target precision.

The classifier's probabilities rank suggestions; whether the first one may be dispatched without
a person looking is a separate question, answered by a small logistic model over signals of each
prediction (:func:`signals`): the top probabilities and margins, the total probability of the
suggested unit's first-level unit, how much of the nearest training examples agree, how similar
the nearest one is, how many training examples the suggested label has, and the text's length.
It is fitted on out-of-fold (OOF) predictions: whether each was right.

The threshold is chosen on confidences the confidence model did not see either
(:func:`cross_fitted_threshold`): the OOF rows are split again, K times over several seeds, the
model fitted on the rest scores each part, and the threshold is the lowest at which the pooled
scores reach the target precision. Choosing it on the model's own training rows would promise a
little more precision than new orders get.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import expit
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler

#: A precision cannot be claimed from fewer auto-dispatched examples than this.
MIN_SUPPORT = 50
#: Cross-fitting for the threshold: folds × repeats (different seeds).
THRESHOLD_FOLDS = 5
THRESHOLD_REPEATS = 3


def choose_threshold(
    confidence: Sequence[float] | np.ndarray,
    correct: Sequence[bool] | np.ndarray,
    target_precision: float,
    min_support: int = MIN_SUPPORT,
) -> float:
    """The lowest confidence at which held-out predictions reach ``target_precision``.

    Predictions with ``confidence >= threshold`` are dispatched automatically. Among all cut
    points (between distinct confidence values) whose auto-dispatched set holds at least
    ``min_support`` predictions with precision ≥ the target, the one dispatching the most wins.
    Returns ``math.inf`` (never dispatch automatically) when no cut point qualifies.
    """
    conf = np.asarray(confidence, dtype=float)
    hit = np.asarray(correct, dtype=bool)
    if conf.shape != hit.shape:
        raise ValueError("confidence and correct must have the same length")
    if conf.size == 0:
        return math.inf
    order = np.argsort(-conf, kind="stable")
    conf, hit = conf[order], hit[order]
    precision = np.cumsum(hit) / np.arange(1, conf.size + 1)
    # A cut can only fall after the last of a run of equal confidences.
    cut = np.r_[conf[1:] < conf[:-1], True]
    support = np.arange(1, conf.size + 1) >= max(1, min_support)
    ok = np.flatnonzero(cut & support & (precision >= target_precision))
    if ok.size == 0:
        return math.inf
    return float(conf[ok.max()])


def signals(
    probabilities: np.ndarray,
    scores: np.ndarray,
    knn: np.ndarray,
    nearest: np.ndarray,
    support: np.ndarray,
    lengths: np.ndarray,
    group_probability: np.ndarray | None = None,
) -> np.ndarray:
    """One row of signals per prediction (columns: see the module docstring).

    ``probabilities`` and ``scores`` are per label; ``knn`` the neighbours' share per label;
    ``support`` the training examples per label; ``lengths`` the texts' lengths in characters;
    ``group_probability`` the first-level unit's total for the top label (unit level only).
    """
    order = np.argsort(-probabilities, axis=1, kind="stable")[:, :2]
    rows = np.arange(probabilities.shape[0])
    first = order[:, 0]
    second = order[:, 1] if order.shape[1] > 1 else order[:, 0]
    p1, p2 = probabilities[rows, first], probabilities[rows, second]
    s1, s2 = scores[rows, first], scores[rows, second]
    agree = knn[rows, first]
    others = knn.copy()
    others[rows, first] = -1.0
    columns = [
        p1,
        p2,
        p1 - p2,
        s1,
        s1 - s2,
        agree,
        others.max(axis=1),
        nearest,
        np.log1p(support[first]),
        np.log1p(lengths),
    ]
    if group_probability is not None:
        columns.append(group_probability)
    return np.column_stack(columns)


@dataclass(frozen=True)
class ConfidenceModel:
    """A fitted logistic regression on standardised signals, applied with plain numpy."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def predict(self, rows: np.ndarray) -> np.ndarray:
        """The chance that each prediction is right."""
        return np.asarray(expit(((rows - self.mean) / self.scale) @ self.coef + self.intercept))


def fit(rows: np.ndarray, correct: np.ndarray) -> ConfidenceModel | None:
    """The confidence model; ``None`` when every prediction was right or every one wrong."""
    correct = np.asarray(correct, dtype=bool)
    if correct.all() or not correct.any():
        return None
    scaler = StandardScaler().fit(rows)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    model = LogisticRegression(C=1.0, max_iter=1000).fit((rows - scaler.mean_) / scale, correct)
    return ConfidenceModel(scaler.mean_, scale, model.coef_[0], float(model.intercept_[0]))


def apply(model: ConfidenceModel | None, rows: np.ndarray) -> np.ndarray:
    """Confidence per row; without a model, the top probability (the first column)."""
    return rows[:, 0] if model is None else model.predict(rows)


def cross_fitted_threshold(
    rows: np.ndarray,
    correct: np.ndarray,
    target_precision: float,
    random_state: int = 0,
    folds: int = THRESHOLD_FOLDS,
    repeats: int = THRESHOLD_REPEATS,
) -> tuple[float, np.ndarray]:
    """The threshold chosen on confidences from models that did not see the rows they score.

    Returns the threshold and the pooled held-out confidences (``repeats`` × rows, the first
    repeat first), for reporting coverage and precision at that threshold.
    """
    correct = np.asarray(correct, dtype=bool)
    n_splits = min(folds, int(correct.sum()), int((~correct).sum()))
    if n_splits < 2:  # too few right (or wrong) predictions to split: no held-out estimate
        pooled = apply(fit(rows, correct), rows)
        return choose_threshold(pooled, correct, target_precision), pooled
    pooled = np.zeros((repeats, len(correct)))
    for r in range(repeats):
        splitter = StratifiedKFold(n_splits, shuffle=True, random_state=random_state + r)
        for train, test in splitter.split(rows, correct):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                pooled[r, test] = apply(fit(rows[train], correct[train]), rows[test])
    threshold = choose_threshold(
        pooled.ravel(), np.tile(correct, repeats), target_precision, MIN_SUPPORT * repeats
    )
    return threshold, pooled.ravel()
