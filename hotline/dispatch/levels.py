"""The first-level part of a dispatch model (二级派单).

Given the unit tree (unit → first-level unit), a model also suggests the first-level unit. Three
ways to get its probabilities are tried on the out-of-fold (OOF) predictions of the unit model's
cross-validation, and the one with the best OOF accuracy plus OOF top-3 accuracy is kept (a
first-level suggestion is judged by both: the first for auto-dispatch, the three for the
operator's list; :func:`choose_method`, the first of :data:`METHODS` among equals):

- ``roll_up``: the unit probabilities summed per first-level unit (no second model);
- ``separate``: an SVM trained on first-level labels (it sees a bureau's sections as one class,
  so a bureau-vs-section disagreement in the history no longer splits its examples);
- ``combined``: the mean of both.

Beside the chosen method's probabilities, a **naive Bayes vote** may be blended in:
``(1 - w) × p + w × softmax(t × log P_nb)``, a multinomial naive Bayes over the same features
with little smoothing. Its smoothing, temperature ``t`` and weight ``w`` (0: no vote) are chosen
on the same OOF predictions by the same criterion (:func:`choose_vote`). Why: naive Bayes errs
differently from the SVMs — it counts each unit's own terms where they learn margins against all
the other units — so where the SVMs put the right unit just out of the top 3, the vote often
lifts it. On Taipei TRAIN (5 folds) the chosen vote raised the OOF top-3 by 0.5–1.1 points on
every fold, its top-1 kept, the misses falling for units of every size (430 → 381;
docs/benchmarks.md, session 11).

The first-level list also **names the unit suggestion's first-level unit**: where the unit model's
first suggestion lies under a first-level unit the blended probabilities leave out of the top
``k``, that unit takes the last place (never the first), so the operator's two lists never
disagree. It is kept only where it raises the OOF top-3 (:func:`listed_hits`); it changes no
probability, so the first suggestion, the confidence and auto-dispatch are the same either way.
On Taipei TRAIN it raised the OOF top-3 on every fold (+1 to +2 orders of about 1,278;
docs/benchmarks.md, session 28).

The first level has its own confidence model and threshold (:mod:`hotline.dispatch.confidence`):
a first-level unit can be sure while its sub-unit is not. Its signals add the held-out precision
of the suggested first-level unit (units such as a labour bureau and its inspection office are
confused with each other in the history, whatever the margins say) and the nearest training
texts' first-level units, and its threshold keeps the margin that cross-validation says the
target precision needs (:func:`hotline.dispatch.confidence.choose_margin`; the figures that
decided these are in docs/benchmarks.md).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from joblib import delayed
from scipy.special import logsumexp, softmax
from sklearn.svm import LinearSVC

from hotline.dispatch import confidence
from hotline.dispatch.hierarchy import group_index
from hotline.dispatch.linear import (
    Neighbours,
    decision_scores,
    fit_temperature,
    fold_scores,
    svm_for,
    top_k_hits,
)

#: First-level models tried, the preferred first among equals.
METHODS = ("roll_up", "combined", "separate")

#: The naive Bayes votes tried (smoothing α, temperature t, weight w), after "no vote"; the
#: first among equals is kept. Small α: a term seen only in a unit's few texts counts for it.
#: The weight stops at 0.3: the first-level probabilities also feed the unit level's confidence,
#: and on Taipei TRAIN a weight up to 0.5 (0.4 chosen) took the unit level's cross-validated
#: auto-dispatch coverage from 0.399 to 0.378 for 0.0005 more first-level OOF accuracy plus
#: top-3 (docs/benchmarks.md).
VOTE_ALPHAS = (0.003, 0.01, 0.03)
VOTE_TEMPERATURES = (0.3, 0.5, 1.0)
VOTE_WEIGHTS = (0.1, 0.2, 0.3)
#: Log-probability given to a first-level unit a fold's naive Bayes never saw (none, finally).
_UNSEEN = -1e4


class FirstLevel:
    """Which first-level unit each label lies under, how the first-level probabilities are made,
    its confidence model and threshold. Inactive (no classes) for a model trained without a tree.
    """

    #: Per first-level unit, the held-out precision of suggesting it; ``None`` in models saved
    #: before it was a signal (their confidence model was fitted without it).
    label_precision: np.ndarray | None = None
    #: Whether the confidence model reads the nearest texts' first-level units
    #: (:func:`hotline.dispatch.confidence.neighbour_signals`); not in models saved before.
    neighbour_signals = False
    #: The seed of the first-level SVM's fits (the model's ``random_state``, from
    #: :meth:`calibrate`); 0 in models saved before it was kept.
    random_state = 0
    #: The naive Bayes vote (see the module's docstring): its model, smoothing, temperature and
    #: weight; weight 0 (no vote) in models saved before it existed.
    naive_bayes: NaiveBayes | None = None
    vote_alpha = 0.0
    vote_temperature = 1.0
    vote_weight = 0.0
    #: Whether :meth:`top` lists the unit suggestion's first-level unit (see the module's
    #: docstring); not in models saved before it existed.
    lists_unit_first_level = False

    def __init__(self) -> None:
        self.classes = np.array([], dtype=object)
        #: Per unit label (the unit model's classes), the index of its first-level unit.
        self.index = np.zeros(0, dtype=np.intp)
        self.membership = np.zeros((0, 0))
        self.method = METHODS[0]
        self.temperature = 1.0
        self.svm: LinearSVC | None = None
        self.support = np.zeros(0)
        self.model: confidence.ConfidenceModel | None = None
        self.threshold = math.inf
        self.label_precision = None
        self.neighbour_signals = False
        self.random_state = 0
        self.naive_bayes = None
        self.vote_alpha = 0.0
        self.vote_temperature = 1.0
        self.vote_weight = 0.0
        self.lists_unit_first_level = False
        self.figures: dict[str, Any] = {}

    @property
    def active(self) -> bool:
        return len(self.classes) > 0

    def cross_validate(
        self,
        labels: Sequence[str],
        first_level_of: Mapping[str, str],
        matrix: sp.csr_matrix,
        y: np.ndarray,
        folds: list[tuple[np.ndarray, np.ndarray]],
        unit_probabilities: np.ndarray,
        seen: np.ndarray,
        *,
        c: float,
        parallel: Callable[[Any], list[Any]],
        say: Callable[[str], None],
    ) -> np.ndarray:
        """OOF first-level probabilities of each method; keeps the best method's, with the best
        naive Bayes vote blended in (or none), and returns them.

        ``labels`` are the unit model's classes, ``y`` the training rows' indices into them,
        ``unit_probabilities`` the unit model's OOF probabilities on the same ``folds``.
        """
        self.classes, self.index = group_index(labels, first_level_of)
        self.membership = np.zeros((len(self.index), len(self.classes)))
        self.membership[np.arange(len(self.index)), self.index] = 1.0
        y1 = self.index[y]
        self.support = np.bincount(y1, minlength=len(self.classes)).astype(float)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            scores = parallel(
                delayed(fold_scores)(matrix, train, test, y1, len(self.classes), c)
                for train, test in folds
            )
        separate_scores = np.zeros((len(y), len(self.classes)))
        for (_train, test), fold in zip(folds, scores, strict=True):
            separate_scores[test] = fold
        self.temperature = fit_temperature(separate_scores[seen], y1[seen])
        rolled = unit_probabilities @ self.membership
        separate = softmax(separate_scores * self.temperature, axis=1)
        candidates = {"roll_up": rolled, "combined": (rolled + separate) / 2, "separate": separate}
        hits = {m: top_k_hits(p, y1) for m, p in candidates.items()}
        self.method = choose_method(hits)
        say(
            "first level (accuracy / top-3): "
            + ", ".join(f"{m} {a:.3f} / {a3:.3f}" for m, (a, a3) in hits.items())
            + f" → {self.method}"
        )
        chosen = candidates[self.method]
        votes = _naive_bayes_oof(matrix, y1, folds, len(self.classes), VOTE_ALPHAS)
        vote_hits = {
            (alpha, t, w): top_k_hits(_blend(chosen, votes[alpha], t, w), y1)
            for alpha in VOTE_ALPHAS
            for t in VOTE_TEMPERATURES
            for w in VOTE_WEIGHTS
        }
        vote = choose_vote(hits[self.method], vote_hits)
        if vote is not None:
            self.vote_alpha, self.vote_temperature, self.vote_weight = vote
            chosen = _blend(chosen, votes[self.vote_alpha], self.vote_temperature, self.vote_weight)
            a, a3 = vote_hits[vote]
            say(
                f"first level + naive Bayes vote (α {vote[0]}, t {vote[1]}, w {vote[2]}): "
                f"{a:.3f} / {a3:.3f}"
            )
        # The unit model's first suggestion's first-level unit, listed: kept where OOF says so.
        unit_first = self.index[unit_probabilities.argmax(axis=1)]
        without = top_k_hits(chosen, y1)[1]
        listed = listed_hits(chosen, y1, unit_first)
        self.lists_unit_first_level = listed > without
        say(
            f"first level top-3, the unit suggestion's first-level unit listed: {listed:.4f} "
            f"(without {without:.4f}) → {'listed' if self.lists_unit_first_level else 'not'}"
        )
        self.figures = {
            "method": self.method,
            "lists_unit_first_level": self.lists_unit_first_level,
            "cv_top3_accuracy_listing_unit_first_level": listed,
            "cv_accuracy_by_method": {m: a for m, (a, _) in hits.items()},
            "cv_top3_accuracy_by_method": {m: a3 for m, (_, a3) in hits.items()},
            "vote": (
                {
                    "alpha": vote[0],
                    "temperature": vote[1],
                    "weight": vote[2],
                    "cv_accuracy": vote_hits[vote][0],
                    "cv_top3_accuracy": vote_hits[vote][1],
                }
                if vote is not None
                else None
            ),
        }
        return chosen

    def calibrate(
        self,
        oof: np.ndarray,
        found: Neighbours,
        lengths: np.ndarray,
        y: np.ndarray,
        seen: np.ndarray,
        target_precision: float,
        random_state: int,
    ) -> None:
        """Confidence model and threshold from the OOF first-level probabilities ``oof`` and
        the training texts' out-of-fold neighbours ``found``."""
        y1 = self.index[y]
        self.random_state = random_state
        predicted = oof.argmax(axis=1)
        correct = predicted == y1
        self.label_precision, held_out = confidence.label_precision(
            predicted[seen], correct[seen], len(self.classes), random_state
        )
        self.neighbour_signals = True
        rows = self._signals(oof[seen], _rows(found, seen), lengths[seen], held_out)
        self.model = confidence.fit(rows, correct[seen])
        cross_fitted = confidence.cross_fitted_confidences(rows, correct[seen], random_state)
        margin = confidence.choose_margin(
            cross_fitted, correct[seen], target_precision, random_state
        )
        self.threshold = confidence.pooled_threshold(
            cross_fitted, correct[seen], target_precision, margin.bound_z
        )
        pooled = cross_fitted.ravel()
        pooled_correct = np.resize(correct[seen], pooled.size)
        auto = pooled >= self.threshold
        top1, top3 = top_k_hits(oof, y1)
        if self.lists_unit_first_level:
            top3 = self.figures.get("cv_top3_accuracy_listing_unit_first_level", top3)
        self.figures.update(
            oof_accuracy=top1,
            oof_top3_accuracy=top3,
            threshold=self.threshold,
            margin=margin.bound_z,
            cv_precision_by_margin={str(z): p for z, (_, p) in margin.figures.items()},
            oof_auto_coverage=float(auto.mean()),
            oof_auto_precision=float(pooled_correct[auto].mean()) if auto.any() else None,
        )

    def fit_final(
        self, matrix: sp.csr_matrix, y: np.ndarray, c: float, seed: int | None = None
    ) -> None:
        """The first-level SVM on all training rows, where the chosen method uses one; seeded
        (``seed``, else the model's ``random_state``) as the unit SVM is, so the same data gives
        the same first-level model (see :func:`hotline.dispatch.linear.svm_for`); and the naive
        Bayes vote, where one was chosen."""
        if self.vote_weight > 0:
            self.naive_bayes = NaiveBayes(self.vote_alpha).fit(
                matrix, self.index[y], len(self.classes)
            )
        if self.method == "roll_up":
            return
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.svm = svm_for(c, self.random_state if seed is None else seed).fit(
                matrix, self.index[y]
            )

    def probabilities(self, unit_probabilities: np.ndarray, matrix: sp.csr_matrix) -> np.ndarray:
        """First-level probabilities of texts (their feature ``matrix``)."""
        rolled = unit_probabilities @ self.membership
        if self.method == "roll_up" or self.svm is None:
            chosen = rolled
        else:
            separate = softmax(
                decision_scores(self.svm, matrix, len(self.classes)) * self.temperature, axis=1
            )
            chosen = separate if self.method == "separate" else (rolled + separate) / 2
        if self.naive_bayes is None or self.vote_weight <= 0:
            return chosen
        vote = self.naive_bayes.log_probabilities(matrix)
        return _blend(chosen, vote, self.vote_temperature, self.vote_weight)

    def confidence(
        self, probabilities: np.ndarray, found: Neighbours, lengths: np.ndarray
    ) -> np.ndarray:
        """The chance that the first first-level suggestion is right."""
        precision = None
        if self.label_precision is not None:
            precision = self.label_precision[probabilities.argmax(axis=1)]
        return confidence.apply(self.model, self._signals(probabilities, found, lengths, precision))

    def unit_neighbour_signals(
        self, labels: np.ndarray, similarities: np.ndarray, votes: np.ndarray, units: np.ndarray
    ) -> np.ndarray:
        """Signals for the unit suggestions ``units`` from their nearest training texts
        (``labels``, ``similarities``, ``votes``: see :class:`Neighbours`): whether the nearest
        lies under the suggested unit's first-level unit, and the share of the nearest few and of
        all that do. A section whose neighbours are its own bureau's orders is less of a guess
        than one whose neighbours belong to another bureau."""
        return confidence.neighbour_signals(
            self.index[labels], similarities, self.index[units], votes @ self.membership
        )[:, :3]

    def top(
        self, probabilities: np.ndarray, k: int, unit: int | None = None
    ) -> list[tuple[str, float]]:
        """The ``k`` most likely first-level units of one text, best first; where this model
        lists the unit suggestion's first-level unit and ``unit`` (the index of the unit model's
        first suggestion) is given, its first-level unit takes the last place if it is not
        among them (never the first place: ``k`` ≥ 2). The probabilities stay each unit's own,
        so the list still reads from the most to the least likely."""
        order = np.argsort(-probabilities, kind="stable")[: max(1, min(k, len(self.classes)))]
        if self.lists_unit_first_level and unit is not None and len(order) >= 2:
            first_level = self.index[unit]
            if first_level not in order:
                order[-1] = first_level
        return [(str(self.classes[j]), float(probabilities[j])) for j in order]

    def report(self) -> dict[str, Any]:
        return {**self.figures, "labels": len(self.classes)}

    def _signals(
        self,
        probabilities: np.ndarray,
        found: Neighbours,
        lengths: np.ndarray,
        label_precision: np.ndarray | None,
    ) -> np.ndarray:
        # Log-probabilities stand in for the scores: a roll-up has no SVM score of its own.
        scores = np.log(np.clip(probabilities, 1e-12, None))
        # The neighbours' first-level units: a bureau's section agrees with its bureau here.
        nearby = self.index[found.labels] if self.neighbour_signals else None
        return confidence.signals(
            probabilities,
            scores,
            found.votes @ self.membership,
            found.nearest,
            self.support,
            lengths,
            label_precision=label_precision,
            neighbour_labels=nearby,
            neighbour_similarities=found.similarities,
        )


def _rows(found: Neighbours, rows: np.ndarray) -> Neighbours:
    return Neighbours(*(part[rows] for part in found))


class NaiveBayes:
    """Multinomial naive Bayes (the vote): what scikit-learn's ``MultinomialNB`` computes
    (``tests/dispatch/test_first_level_method.py`` checks it against it), with its log θ kept
    as one terms × classes float32 array in row order, so that a text's product with it reads
    only its own terms' rows. The library keeps classes × terms in float64 and multiplies by
    its transpose, which scipy copied on every prediction: one text took 29.8 ms at 10,000
    orders (budget 5 ms). A sparse log θ (only the terms a class has seen) cost 1.7 ms per text
    at 200,000 orders in scipy's sparse product."""

    def __init__(self, alpha: float) -> None:
        self.alpha = alpha
        self.log_theta = np.zeros((0, 0), dtype=np.float32)
        self.prior = np.zeros(0)

    def fit(self, matrix: sp.csr_matrix, y: np.ndarray, n_classes: int) -> NaiveBayes:
        return self.fit_counts(*_term_counts(matrix, y, n_classes))

    def fit_counts(self, counts: sp.csr_matrix, support: np.ndarray) -> NaiveBayes:
        """From each class's summed term weights (classes × terms) and its number of texts:
        what :meth:`fit` counts, shared by the smoothings tried on one fold."""
        smoothed = counts.toarray()
        smoothed += self.alpha
        smoothed /= smoothed.sum(axis=1, keepdims=True)
        self.log_theta = np.ascontiguousarray(np.log(smoothed).T, dtype=np.float32)
        with np.errstate(divide="ignore"):
            self.prior = np.where(support > 0, np.log(support / support.sum()), _UNSEEN)
        return self

    def log_probabilities(self, matrix: sp.csr_matrix) -> np.ndarray:
        """Per text (row of ``matrix``), the log-probability of each class."""
        # Both float32: a mixed product would have scipy convert log θ on every call.
        product = matrix.astype(np.float32, copy=False) @ self.log_theta
        joint = np.asarray(product, dtype=np.float64) + self.prior
        return joint - logsumexp(joint, axis=1, keepdims=True)


def _term_counts(
    matrix: sp.csr_matrix, y: np.ndarray, n_classes: int
) -> tuple[sp.csr_matrix, np.ndarray]:
    """Per class, the summed term weights of its texts and their number."""
    onehot = sp.csr_matrix((np.ones(len(y)), (y, np.arange(len(y)))), shape=(n_classes, len(y)))
    return (onehot @ matrix).tocsr(), np.bincount(y, minlength=n_classes).astype(float)


def _naive_bayes_oof(
    matrix: sp.csr_matrix,
    y1: np.ndarray,
    folds: list[tuple[np.ndarray, np.ndarray]],
    n_classes: int,
    alphas: Sequence[float],
) -> dict[float, np.ndarray]:
    """Out-of-fold naive Bayes log-probabilities per smoothing α; each fold counted once."""
    out = {alpha: np.zeros((len(y1), n_classes)) for alpha in alphas}
    for train, test in folds:
        counts = _term_counts(matrix[train], y1[train], n_classes)
        held_out = matrix[test]
        for alpha in alphas:
            model = NaiveBayes(alpha).fit_counts(*counts)
            out[alpha][test] = model.log_probabilities(held_out)
    return out


def _blend(
    probabilities: np.ndarray, log_vote: np.ndarray, temperature: float, weight: float
) -> np.ndarray:
    return (1 - weight) * probabilities + weight * softmax(log_vote * temperature, axis=1)


def listed_hits(
    probabilities: np.ndarray, y: np.ndarray, unit_first_level: np.ndarray, k: int = 3
) -> float:
    """Top-``k`` accuracy of first-level ``probabilities`` against ``y`` where each row's
    ``unit_first_level`` (the first-level unit of the unit model's first suggestion) takes the
    last of the ``k`` places when it is not among them, as :meth:`FirstLevel.top` lists it."""
    top = np.argsort(-probabilities, axis=1, kind="stable")[:, :k].copy()
    if top.shape[1] >= 2:
        missing = ~(top == unit_first_level[:, None]).any(axis=1)
        top[missing, -1] = unit_first_level[missing]
    return float((top == y[:, None]).any(axis=1).mean())


def choose_vote(
    without: tuple[float, float], hits: Mapping[tuple[float, float, float], tuple[float, float]]
) -> tuple[float, float, float] | None:
    """The naive Bayes vote (α, t, w) with the best OOF accuracy plus top-3 accuracy (``hits``),
    or ``None`` where no vote beats ``without`` (the method's own); the first among equals."""
    best = max(hits, key=lambda v: sum(hits[v]), default=None)
    if best is None or sum(hits[best]) <= sum(without):
        return None
    return best


def choose_method(hits: Mapping[str, tuple[float, float]]) -> str:
    """The method with the best OOF accuracy plus OOF top-3 accuracy (``hits``: method → both);
    the first of :data:`METHODS` among equals."""
    return max((m for m in METHODS if m in hits), key=lambda m: sum(hits[m]))
