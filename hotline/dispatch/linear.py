"""Linear-model helpers shared by the dispatch classifier's two levels: SVM scores for every
class, fold fits, temperature, top-k hits and the nearest-neighbour vote. Module level so that
joblib can run them in workers."""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax
from sklearn.svm import LinearSVC
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

#: Neighbours consulted for the confidence estimate.
NEIGHBOURS = 20


def fold_scores(
    matrix: sp.csr_matrix,
    train: np.ndarray,
    test: np.ndarray,
    y: np.ndarray,
    n_classes: int,
    c: float,
) -> np.ndarray:
    """Scores of the rows ``test`` from an SVM fitted on the rows ``train``."""
    svm = LinearSVC(C=c).fit(matrix[train], y[train])
    return decision_scores(svm, matrix[test], n_classes)


def decision_scores(svm: LinearSVC, matrix: sp.csr_matrix, n_classes: int) -> np.ndarray:
    """SVM scores for every class; classes absent from this training set score very low."""
    # The product itself, not decision_function: its input checks cost more than the product
    # for a single text.
    raw = np.asarray(matrix @ svm.coef_.T) + svm.intercept_
    if raw.shape[1] == 1:  # two classes: one score, for the second
        raw = np.c_[-raw, raw]
    scores = np.full((matrix.shape[0], n_classes), -10.0)
    scores[:, svm.classes_] = raw
    return scores


def top_k_hits(scores: np.ndarray, y: np.ndarray, k: int = 3) -> tuple[float, float]:
    """Top-1 and top-``k`` accuracy of ``scores`` (rows: texts) against the labels ``y``."""
    top = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return float((top[:, 0] == y).mean()), float((top == y[:, None]).any(axis=1).mean())


def fit_temperature(scores: np.ndarray, y: np.ndarray) -> float:
    """The factor on the scores whose softmax has the least log-loss on ``y``."""
    rows = np.arange(len(y))

    def loss(log_t: float) -> float:
        return float(-log_softmax(scores * math.exp(log_t), axis=1)[rows, y].mean())

    return math.exp(minimize_scalar(loss, bounds=(-4.0, 6.0), method="bounded").x)


def neighbour_votes(
    queries: sp.csr_matrix, train_t: sp.csr_matrix, y: np.ndarray, n_classes: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per query: the share of similarity per class among its nearest training texts, and the
    similarity of the nearest one. Rows of ``queries`` and columns of ``train_t`` (the training
    matrix transposed) are unit length, so products are cosine similarities."""
    k = min(NEIGHBOURS, train_t.shape[1])
    votes = np.zeros((queries.shape[0], n_classes))
    nearest = np.zeros(queries.shape[0])
    for start in range(0, queries.shape[0], 512):  # bounds the dense similarity block
        # Slicing a sparse matrix costs as much as a small product: one text is not sliced.
        block = queries[start : start + 512] if queries.shape[0] > 512 else queries
        sim = (block @ train_t).toarray()
        idx = np.argpartition(-sim, k - 1, axis=1)[:, :k]
        rows = np.repeat(np.arange(sim.shape[0]), k)
        np.add.at(
            votes[start : start + 512],
            (rows, y[idx].ravel()),
            np.take_along_axis(sim, idx, 1).ravel(),
        )
        nearest[start : start + 512] = sim.max(axis=1)
    totals = votes.sum(axis=1, keepdims=True)
    return np.divide(votes, totals, out=np.zeros_like(votes), where=totals > 0), nearest


def unit_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """A float64 copy with rows of unit length (cosine similarity by product)."""
    unit = matrix.astype(np.float64, copy=True)
    inplace_csr_row_normalize_l2(unit)
    return unit
