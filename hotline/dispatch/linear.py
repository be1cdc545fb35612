"""Linear-model helpers shared by the dispatch classifier's two levels: SVM scores for every
class, fold fits, temperature, top-k hits and the nearest-neighbour vote. Module level so that
joblib can run them in workers."""

from __future__ import annotations

import math
from typing import NamedTuple

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
    seed: int = 0,
) -> np.ndarray:
    """Scores of the rows ``test`` from an SVM fitted on the rows ``train``."""
    svm = svm_for(c, seed).fit(matrix[train], y[train])
    return decision_scores(svm, matrix[test], n_classes)


def svm_for(c: float, seed: int = 0) -> LinearSVC:
    """The linear SVM of the dispatch models. Seeded: liblinear visits the examples in a random
    order, drawn from numpy's global generator unless told, so the same data gave slightly
    different models (a threshold moved in its sixth decimal between two runs)."""
    return LinearSVC(C=c, random_state=seed)


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


class Neighbours(NamedTuple):
    """The nearest training texts of each query: ``votes``, the share of similarity per class
    among them; ``nearest``, the similarity of the nearest one; ``labels`` and ``similarities``
    (queries × ``NEIGHBOURS``), theirs, most similar first — what the confidence signals read
    (does the nearest agree, how many of the first few, how close is the best one that does not)."""

    votes: np.ndarray
    nearest: np.ndarray
    labels: np.ndarray
    similarities: np.ndarray


def neighbours(
    queries: sp.csr_matrix, train_t: sp.csr_matrix, y: np.ndarray, n_classes: int
) -> Neighbours:
    """The nearest training texts of each query (see :class:`Neighbours`). Rows of ``queries``
    and columns of ``train_t`` (the training matrix transposed) are unit length, so products are
    cosine similarities."""
    k = min(NEIGHBOURS, train_t.shape[1])
    n = queries.shape[0]
    votes = np.zeros((n, n_classes))
    labels = np.zeros((n, k), dtype=np.intp)
    similarities = np.zeros((n, k))
    for start in range(0, n, 512):  # bounds the dense similarity block
        # Slicing a sparse matrix costs as much as a small product: one text is not sliced.
        block = queries[start : start + 512] if n > 512 else queries
        sim = (block @ train_t).toarray()
        idx = np.argpartition(-sim, k - 1, axis=1)[:, :k]
        best = np.take_along_axis(sim, idx, 1)
        order = np.argsort(-best, axis=1, kind="stable")
        idx, best = np.take_along_axis(idx, order, 1), np.take_along_axis(best, order, 1)
        rows = np.repeat(np.arange(sim.shape[0]), k)
        np.add.at(votes[start : start + 512], (rows, y[idx].ravel()), best.ravel())
        labels[start : start + 512] = y[idx]
        similarities[start : start + 512] = best
    totals = votes.sum(axis=1, keepdims=True)
    shares = np.divide(votes, totals, out=np.zeros_like(votes), where=totals > 0)
    nearest = similarities[:, 0] if k else np.zeros(n)
    return Neighbours(shares, nearest, labels, similarities)


def out_of_fold_neighbours(
    matrix: sp.csr_matrix, y: np.ndarray, folds: list[tuple[np.ndarray, np.ndarray]], n_classes: int
) -> Neighbours:
    """Each training text's neighbours among the training part of its fold only, as the
    out-of-fold predictions they go with: a text never votes for itself (nor does its fold's
    other texts), so the confidence model learns what the vote is worth for a text the index
    has not seen — which every new order is."""
    k = min(NEIGHBOURS, min(len(train) for train, _ in folds))
    n = matrix.shape[0]
    out = Neighbours(
        np.zeros((n, n_classes)), np.zeros(n), np.zeros((n, k), dtype=np.intp), np.zeros((n, k))
    )
    for train, test in folds:
        part = neighbours(
            unit_rows(matrix[test]), unit_rows(matrix[train]).T.tocsr(), y[train], n_classes
        )
        out.votes[test], out.nearest[test] = part.votes, part.nearest
        out.labels[test] = part.labels[:, :k]
        out.similarities[test] = part.similarities[:, :k]
    return out


def neighbour_votes(
    queries: sp.csr_matrix, train_t: sp.csr_matrix, y: np.ndarray, n_classes: int
) -> tuple[np.ndarray, np.ndarray]:
    """The votes and the nearest similarity of :func:`neighbours`."""
    found = neighbours(queries, train_t, y, n_classes)
    return found.votes, found.nearest


def unit_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """A float64 copy with rows of unit length (cosine similarity by product)."""
    unit = matrix.astype(np.float64, copy=True)
    inplace_csr_row_normalize_l2(unit)
    return unit
