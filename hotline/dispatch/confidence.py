"""Confidence that a suggestion is right, and the auto-dispatch threshold for a target precision.

The classifier's probabilities rank suggestions; whether the first one may be dispatched without
a person looking is a separate question, answered by a small logistic model over signals of each
prediction (:func:`signals`): the top probabilities and margins, the total probability of the
suggested unit's first-level unit, how much of the nearest training examples agree (by
similarity, and by their labels: :func:`neighbour_signals`), how similar the nearest one is, how
many training examples the suggested label has, and the text's length
— and, where the caller has it, how often held-out predictions of the suggested label were right
(:func:`label_precision`, cross-fitted: a bureau often confused with its own section is less
sure than one that never is, whatever the margins say). It is fitted on out-of-fold (OOF)
predictions: whether each was right.

The threshold is chosen on confidences the confidence model did not see either
(:func:`cross_fitted_threshold`): the OOF rows are split again, K times over several seeds, the
model fitted on the rest scores each part, and the threshold is the lowest at which the pooled
scores reach the target precision. Choosing it on the model's own training rows would promise a
little more precision than new orders get.

Even held out, the precision at a threshold is an estimate from a few thousand predictions: a
threshold where it is exactly the target is one where new orders fall short about half the
time. With ``bound_z`` the threshold is chosen where the Wilson lower bound of the precision,
``bound_z`` standard errors below the estimate (each prediction counted once, not once per
repeat), reaches the target — a margin that shrinks as the evidence grows. How many standard
errors is itself chosen by cross-validation (:func:`choose_margin`): the narrowest margin whose
thresholds, chosen on some of the cross-fitted confidences, keep the target on the others.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import expit
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.preprocessing import StandardScaler

#: A precision cannot be claimed from fewer auto-dispatched examples than this.
MIN_SUPPORT = 50
#: Cross-fitting for the threshold: folds × repeats (different seeds).
THRESHOLD_FOLDS = 5
THRESHOLD_REPEATS = 3
#: Pseudo-predictions at the overall hit rate added to each label's count in
#: :func:`label_precision`, so that a label predicted twice is not called certain.
LABEL_PRIOR_WEIGHT = 5.0
#: Margins (``bound_z``) :func:`choose_margin` tries, narrowest first: none, half, one and the
#: one-sided 95 % standard errors.
MARGINS = (0.0, 0.5, 1.0, 1.645)
#: Seeds of the split :func:`choose_margin` repeats.
MARGIN_SEEDS = 2
#: The nearest few training texts whose agreement is a signal of its own (besides all of them).
NEAREST_FEW = 5


def wilson_lower_bound(hits: np.ndarray | float, n: np.ndarray | float, z: float) -> np.ndarray:
    """The Wilson score interval's lower end for ``hits`` successes in ``n`` trials, ``z``
    standard errors below (``z`` 0: the plain rate)."""
    hits, n = np.asarray(hits, dtype=float), np.maximum(np.asarray(n, dtype=float), 1e-12)
    p = hits / n
    if z <= 0:
        return p
    spread = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return np.asarray((p + z * z / (2 * n) - spread) / (1 + z * z / n))


def choose_threshold(
    confidence: Sequence[float] | np.ndarray,
    correct: Sequence[bool] | np.ndarray,
    target_precision: float,
    min_support: int = MIN_SUPPORT,
    bound_z: float = 0.0,
    repeats: int = 1,
) -> float:
    """The lowest confidence at which held-out predictions reach ``target_precision``.

    Predictions with ``confidence >= threshold`` are dispatched automatically. Among all cut
    points (between distinct confidence values) whose auto-dispatched set holds at least
    ``min_support`` predictions with precision ≥ the target, the one dispatching the most wins.
    With ``bound_z`` > 0 the precision is its Wilson lower bound (see the module docstring);
    ``repeats`` says how many times each prediction is pooled, so that the bound counts it once.
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
    counted = np.arange(1, conf.size + 1)
    precision = wilson_lower_bound(np.cumsum(hit) / repeats, counted / repeats, bound_z)
    # A cut can only fall after the last of a run of equal confidences.
    cut = np.r_[conf[1:] < conf[:-1], True]
    support = counted >= max(1, min_support)
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
    label_precision: np.ndarray | None = None,
    neighbour_labels: np.ndarray | None = None,
    neighbour_similarities: np.ndarray | None = None,
) -> np.ndarray:
    """One row of signals per prediction (columns: see the module docstring).

    ``probabilities`` and ``scores`` are per label; ``knn`` the neighbours' share per label;
    ``support`` the training examples per label; ``lengths`` the texts' lengths in characters;
    ``group_probability`` the first-level unit's total for the top label (unit level only);
    ``label_precision`` per prediction, the held-out precision of its top label
    (:func:`label_precision`); ``neighbour_labels`` and ``neighbour_similarities`` the nearest
    training texts' labels and similarities, most similar first (:func:`neighbour_signals`).
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
    if label_precision is not None:
        columns.append(label_precision)
    if neighbour_labels is not None and neighbour_similarities is not None:
        columns.extend(neighbour_signals(neighbour_labels, neighbour_similarities, first, knn).T)
    return np.column_stack(columns)


def neighbour_signals(
    labels: np.ndarray, similarities: np.ndarray, predicted: np.ndarray, votes: np.ndarray
) -> np.ndarray:
    """What the nearest training texts say about each prediction: whether the nearest one has
    the predicted label, the share of the ``NEAREST_FEW`` nearest and of all of them that do,
    the similarity-weighted vote's margin (the predicted label's share less the best other
    label's), and the similarity of the closest text that agrees and of the closest that does not.

    ``labels`` and ``similarities`` are per prediction, most similar first; ``votes`` the share
    of similarity per label. A neighbour at similarity 0 shares no term with the text and
    agrees with nothing. For the training rows the neighbours must come from the other folds
    (:func:`hotline.dispatch.linear.out_of_fold_neighbours`): a text that votes for itself
    always agrees, at similarity 1.
    """
    rows = np.arange(len(predicted))
    agree = (labels == predicted[:, None]) & (similarities > 0)
    disagree = (labels != predicted[:, None]) & (similarities > 0)
    others = votes.copy()
    others[rows, predicted] = 0.0
    few = min(NEAREST_FEW, labels.shape[1])
    return np.column_stack(
        [
            agree[:, 0] if labels.shape[1] else np.zeros(len(rows)),
            agree[:, :few].mean(axis=1) if few else np.zeros(len(rows)),
            agree.mean(axis=1) if labels.shape[1] else np.zeros(len(rows)),
            votes[rows, predicted] - others.max(axis=1),
            np.where(agree, similarities, 0.0).max(axis=1, initial=0.0),
            np.where(disagree, similarities, 0.0).max(axis=1, initial=0.0),
        ]
    )


def label_precision(
    predicted: np.ndarray,
    correct: np.ndarray,
    n_labels: int,
    random_state: int = 0,
    folds: int = THRESHOLD_FOLDS,
) -> tuple[np.ndarray, np.ndarray]:
    """How often held-out predictions of each label were right, shrunk toward the overall rate
    by ``LABEL_PRIOR_WEIGHT`` pseudo-predictions.

    Returns the table (one figure per label, for new predictions) and, per given prediction, the
    figure from the other ``folds`` − 1 parts of the predictions only (cross-fitted): the
    confidence model learns from these rows, and a row's own outcome must not be in its signal.
    Leaving out just the row itself is not enough: within a label, the rows that were wrong would
    then carry a slightly higher figure than the right ones, which a flexible model reads
    as the answer (measured: a gradient-boosted model "found" 0.79 coverage that way).
    """
    predicted = np.asarray(predicted, dtype=np.intp)
    correct = np.asarray(correct, dtype=float)
    table = _shrunk_precision(predicted, correct, n_labels)
    held_out = np.zeros(len(predicted))
    if len(predicted) < folds:
        return table, np.full(len(predicted), float(correct.mean()) if correct.size else 0.0)
    splitter = KFold(folds, shuffle=True, random_state=random_state)
    for train, test in splitter.split(predicted):
        part = _shrunk_precision(predicted[train], correct[train], n_labels)
        held_out[test] = part[predicted[test]]
    return table, held_out


def _shrunk_precision(predicted: np.ndarray, correct: np.ndarray, n_labels: int) -> np.ndarray:
    prior = float(correct.mean()) if correct.size else 0.0
    hits = np.bincount(predicted, weights=correct, minlength=n_labels)
    counts = np.bincount(predicted, minlength=n_labels).astype(float)
    return np.asarray((hits + LABEL_PRIOR_WEIGHT * prior) / (counts + LABEL_PRIOR_WEIGHT))


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


def cross_fitted_confidences(
    rows: np.ndarray,
    correct: np.ndarray,
    random_state: int = 0,
    folds: int = THRESHOLD_FOLDS,
    repeats: int = THRESHOLD_REPEATS,
) -> np.ndarray:
    """Confidences from models that did not see the rows they score: ``repeats`` × rows (one
    repeat, of the model's own rows, when there are too few right or wrong predictions to
    split)."""
    correct = np.asarray(correct, dtype=bool)
    n_splits = min(folds, int(correct.sum()), int((~correct).sum()))
    if n_splits < 2:  # too few right (or wrong) predictions to split: no held-out estimate
        return np.asarray(apply(fit(rows, correct), rows))[None, :]
    pooled = np.zeros((repeats, len(correct)))
    for r in range(repeats):
        splitter = StratifiedKFold(n_splits, shuffle=True, random_state=random_state + r)
        for train, test in splitter.split(rows, correct):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                pooled[r, test] = apply(fit(rows[train], correct[train]), rows[test])
    return pooled


def pooled_threshold(
    pooled: np.ndarray, correct: np.ndarray, target_precision: float, bound_z: float = 0.0
) -> float:
    """The threshold on cross-fitted confidences (:func:`cross_fitted_confidences`), each
    prediction counted once however many repeats hold it (see :func:`choose_threshold`)."""
    repeats = pooled.shape[0]
    return choose_threshold(
        pooled.ravel(),
        np.tile(correct, repeats),
        target_precision,
        MIN_SUPPORT * repeats if repeats > 1 else MIN_SUPPORT,
        bound_z=bound_z,
        repeats=repeats,
    )


def cross_fitted_threshold(
    rows: np.ndarray,
    correct: np.ndarray,
    target_precision: float,
    random_state: int = 0,
    folds: int = THRESHOLD_FOLDS,
    repeats: int = THRESHOLD_REPEATS,
    bound_z: float = 0.0,
) -> tuple[float, np.ndarray]:
    """The threshold chosen on confidences from models that did not see the rows they score.

    Returns the threshold and the pooled held-out confidences (``repeats`` × rows, the first
    repeat first), for reporting coverage and precision at that threshold. ``bound_z``: see
    :func:`choose_threshold`.
    """
    correct = np.asarray(correct, dtype=bool)
    pooled = cross_fitted_confidences(rows, correct, random_state, folds, repeats)
    return pooled_threshold(pooled, correct, target_precision, bound_z), pooled.ravel()


@dataclass(frozen=True)
class MarginChoice:
    """The margin (``bound_z``) :func:`choose_margin` chose, and per margin tried the coverage
    and precision its threshold gave on the parts it was not chosen on."""

    bound_z: float
    figures: dict[float, tuple[float, float | None]]


def choose_margin(
    pooled: np.ndarray,
    correct: np.ndarray,
    target_precision: float,
    random_state: int = 0,
    margins: Sequence[float] = MARGINS,
    parts: int = THRESHOLD_FOLDS,
    seeds: int = MARGIN_SEEDS,
) -> MarginChoice:
    """The smallest margin whose threshold keeps the target precision on predictions it was
    not chosen on.

    The cross-fitted confidences are split into ``parts``, ``seeds`` times over; for each
    margin the threshold is chosen on all parts but one and applied to that one, and the
    precision pooled over every held-out part must reach the target. Without a margin the
    threshold sits where the precision is the target exactly and new orders fall short of it
    about half the time; with one too wide, coverage is given away that the evidence did not
    ask for. How wide is the evidence's call: it depends on how many predictions there are
    and how flat the precision is near the cut. When no margin qualifies, the widest.
    Cheap: the confidences are those already cross-fitted, only thresholds are chosen again.
    """
    correct = np.asarray(correct, dtype=bool)
    figures: dict[float, tuple[float, float | None]] = {}
    n = len(correct)
    if pooled.shape[0] < 2 or min(int(correct.sum()), int((~correct).sum())) < parts:
        return MarginChoice(float(max(margins)), figures)
    splits = [
        split
        for seed in range(seeds)
        for split in StratifiedKFold(parts, shuffle=True, random_state=random_state + seed).split(
            np.zeros(n), correct
        )
    ]
    for z in sorted(margins):
        auto_n = hits = 0
        for chosen_on, held_out in splits:
            threshold = pooled_threshold(
                pooled[:, chosen_on], correct[chosen_on], target_precision, z
            )
            auto = pooled[:, held_out] >= threshold
            auto_n += int(auto.sum())
            hits += int((auto & correct[held_out]).sum())
        coverage = auto_n / (pooled.shape[0] * n * seeds)
        figures[float(z)] = (coverage, hits / auto_n if auto_n else None)
    for z in sorted(margins):
        precision = figures[float(z)][1]
        if precision is not None and precision >= target_precision:
            return MarginChoice(float(z), figures)
    return MarginChoice(float(max(margins)), figures)
