"""The dispatch classifier: order text → top-k units (or categories) with calibrated confidence,
and, given the unit tree, the first-level unit (二级派单) with its own confidence.

How it is built, and why (figures on the Taipei FAQ benchmark are in docs/benchmarks.md):

- Features (:mod:`hotline.dispatch.text`): character n-grams plus jieba words, TF-IDF, each
  text keeping its strongest ``MAX_TERMS`` terms. Texts are cut at ``MAX_CHARS`` characters (a
  message's opening says what it is about; the rest costs memory and time). The vectorisers are
  fitted once per n-gram size on the cross-validation texts and the folds take row slices:
  refitting them per fold cost more than the SVMs on long texts, and the vocabulary and IDF
  weights carry no labels.
- Scale: the SVM's cost grows with texts × terms × labels. Long messages are bounded by the
  terms kept; large histories by three folds above ``FEW_FOLDS_ABOVE`` texts, the settings
  chosen there on a sample of ``GRID_SAMPLE``, and all cross-validation on a stratified sample
  of ``CV_SAMPLE`` texts; only the final SVMs see every text, in the columns (vocabulary and
  IDF weights) fitted on that sample. Refitting the vectorisers on 200,000 generated long
  texts gave 661,000 columns (617,000 of them word n-grams, mostly pairs seen a few times)
  against 235,000 on the 20,000-text sample, and the SVMs' weights (labels × columns, held
  twice while liblinear hands them over) and the counting's intermediates took most of the
  5.8 GiB the training peaked at; the sample's columns are also the ones the calibration was
  done in. The nearest-neighbour signals consult the sample's texts only
  (``_index_neighbours``).
- Model: a linear SVM, one-vs-rest. On short texts with a few thousand examples it is as accurate
  as anything classical we tried (logistic regression, complement naive Bayes, nearest
  neighbours, ensembles of them) and it trains in seconds.
- Hyperparameters (C, longest character n-gram) are chosen by stratified K-fold cross-validation
  on the training data only, with a fixed seed, by successive halving: every grid point is
  scored on the first fold, the better half goes on to the next, and so on; the winner is scored
  on every fold. Large histories use fewer folds (``folds_for``). The winner's folds give an
  out-of-fold (OOF) prediction for every training example: the calibration below is fitted on
  those, so nothing is calibrated on examples the model was trained on.
- Probabilities: a softmax of the SVM scores with one temperature fitted on the OOF predictions
  (minimum log-loss). They rank the suggestions the dispatcher sees.
- First level: with ``first_level_of`` (unit → first-level unit) the first-level probabilities
  are the unit probabilities summed per first-level unit (roll-up), or a separate SVM trained on
  first-level labels, or the mean of both — whichever has the best OOF accuracy (the roll-up wins
  ties: it needs no second model).
- Confidence that the first suggestion is right (:mod:`hotline.dispatch.confidence`): a small
  logistic model over margins, the first-level unit's total, the nearest training examples'
  agreement (their similarity-weighted vote, and their own labels: does the nearest agree, how
  many of the first few), the label's support and held-out precision, and the text length,
  fitted on the OOF predictions (each training text's neighbours from the other folds); the
  auto-dispatch threshold is chosen on cross-fitted confidences for the target precision, with
  the margin below the estimate that cross-validation says it needs. A
  sub-unit is dispatched automatically only when its own confidence clears its threshold and it
  lies under the first-level unit the model suggests.

The class does not touch Django or the database: callers pass texts and labels, and the time the
model was made (see ``save``).
"""

from __future__ import annotations

import ctypes
import datetime as dt
import functools
import gc
import hashlib
import importlib.metadata
import json
import math
import os
import sys
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from joblib.externals.loky import reusable_executor
from scipy.special import softmax
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from hotline.dispatch import confidence
from hotline.dispatch.confidence import MIN_SUPPORT, choose_threshold
from hotline.dispatch.hierarchy import group_index
from hotline.dispatch.levels import FirstLevel
from hotline.dispatch.linear import (
    NEIGHBOURS,
    decision_scores,
    fit_temperature,
    fold_scores,
    neighbours,
    out_of_fold_neighbours,
    svm_for,
    top_k_hits,
    unit_rows,
)
from hotline.dispatch.text import TRANSFORM_CHUNK, Prepared, TextFeatures, prepare

__all__ = [
    "MIN_SUPPORT",
    "NEIGHBOURS",
    "DispatchClassifier",
    "Params",
    "Prediction",
    "choose_threshold",
]

#: 2: first-level model and the richer confidence signals (models of format 1: train again).
FORMAT_VERSION = 2
MODEL_FILE = "model.joblib"
METADATA_FILE = "metadata.json"

#: Characters of a text that are used (see the module docstring).
MAX_CHARS = 1000
#: Cross-validation runs on at most this many texts (a stratified sample; see ``_cv_sample``).
CV_SAMPLE = 20_000
#: Above this many texts, three folds (see ``folds_for``), and the settings are chosen on a
#: stratified sample of ``GRID_SAMPLE`` texts before the winner is scored on all folds.
FEW_FOLDS_ABOVE = 8_000
GRID_SAMPLE = 4_000
#: Above this many stored terms (texts × terms kept) the final unit and first-level SVMs are fitted
#: one after the other instead of side by side: liblinear copies the matrix into its own structure
#: for each fit (16 bytes per term: about 0.95 GB at 200,000 long texts), and two copies at once
#: took the 200,000-order training over 4 GiB. Below it (10,000 texts of 300 terms: 3 million)
#: the two copies are small and the second core halves the step.
SIDE_BY_SIDE_TERMS = 10_000_000
#: Chunks of ``TRANSFORM_CHUNK`` texts per worker task when every text's features are built.
ALL_FEATURES_TASK_CHUNKS = 4
_LIBRARIES = ("scikit-learn", "numpy", "scipy", "joblib", "rjieba", "opencc")


def folds_for(n: int, requested: int) -> int:
    """Cross-validation folds for ``n`` training texts: three above ``FEW_FOLDS_ABOVE``, where
    three folds already hold thousands of held-out predictions and each fold costs seconds."""
    return min(requested, 3) if n > FEW_FOLDS_ABOVE else requested


@dataclass(frozen=True)
class Params:
    """One point of the hyperparameter grid."""

    char_ngram_max: int = 3
    C: float = 1.0
    word_weight: float = 0.7


DEFAULT_GRID: tuple[Params, ...] = tuple(
    Params(char_ngram_max=n, C=c) for n in (2, 3) for c in (1.0, 2.0, 4.0)
)


@dataclass(frozen=True)
class Prediction:
    """Suggestions for one text, best first.

    ``suggestions`` are (label, probability) pairs; ``confidence`` is the calibrated chance that
    the first one is right, and ``auto`` says whether it clears the auto-dispatch threshold.
    With a unit tree, ``first_level`` holds the first-level suggestions with their own
    ``first_level_confidence`` and ``first_level_auto``.
    """

    suggestions: list[tuple[str, float]]
    confidence: float
    auto: bool
    #: Cosine similarity of the nearest training text (0: the model has never seen anything like
    #: it, whatever its probabilities say; intake hides suggestions for such text).
    nearest: float = 1.0
    first_level: list[tuple[str, float]] = field(default_factory=list)
    first_level_confidence: float = 0.0
    first_level_auto: bool = False

    @property
    def label(self) -> str:
        return self.suggestions[0][0]

    @property
    def first_level_label(self) -> str | None:
        return self.first_level[0][0] if self.first_level else None


@dataclass
class TrainingReport:
    """What cross-validation found; stored in the model's metadata."""

    params: dict[str, Any]
    n_splits: int
    grid: list[dict[str, Any]] = field(default_factory=list)
    oof_accuracy: float = 0.0
    oof_top3_accuracy: float = 0.0
    temperature: float = 1.0
    threshold: float = math.inf
    oof_auto_coverage: float = 0.0
    oof_auto_precision: float | None = None
    #: Standard errors of margin the threshold keeps, chosen by cross-validation
    #: (:func:`hotline.dispatch.confidence.choose_margin`).
    margin: float | None = None
    seconds: float = 0.0
    #: Seconds per training step (prepare, grid, neighbours, first_level, confidence, final).
    timings: dict[str, float] = field(default_factory=dict)
    #: With a unit tree: the first-level figures, as above (see :mod:`hotline.dispatch.levels`).
    first_level: dict[str, Any] | None = None


class DispatchClassifier:
    """Text → ranked labels with calibrated probabilities; see the module docstring."""

    #: Whether the unit confidence model reads the nearest texts' labels
    #: (:func:`hotline.dispatch.confidence.neighbour_signals`), and per label the held-out
    #: precision of suggesting it (:func:`hotline.dispatch.confidence.label_precision`); models
    #: saved before these were signals have neither.
    _neighbour_signals = False
    _label_precision: np.ndarray | None = None
    #: The threshold's margin and what cross-validation said of each margin tried.
    _margin: confidence.MarginChoice | None = None
    #: During training: the first level's fold fits, made in the grid's last batch, and the
    #: final unit SVM when it was started after the grid.
    _prefetched: _Prefetched | None = None
    _final_unit: Future[list[LinearSVC]] | None = None

    def __init__(
        self,
        grid: Sequence[Params] = DEFAULT_GRID,
        n_splits: int = 5,
        target_precision: float = 0.98,
        random_state: int = 0,
        n_jobs: int | None = None,
        progress: bool | Callable[[str], None] = False,
    ) -> None:
        self.grid = tuple(grid)
        self.n_splits = n_splits
        self.target_precision = target_precision
        self.random_state = random_state
        self.n_jobs = n_jobs or min(2, os.cpu_count() or 1)
        self.progress = progress
        self.classes_: np.ndarray = np.array([], dtype=object)
        self.params = self.grid[0]
        self.temperature = 1.0
        self.threshold = math.inf
        self.report: TrainingReport | None = None
        self.training_size = 0
        self.data_digest = ""
        self._features: TextFeatures | None = None
        self._svm: LinearSVC | None = None
        self._neighbours: sp.csr_matrix | None = None
        self._neighbour_labels: np.ndarray | None = None
        self._support = np.zeros(0)
        self._confidence_model: confidence.ConfidenceModel | None = None
        self._oof_confidence: np.ndarray | None = None
        self._oof_correct: np.ndarray | None = None
        self._oof_support = MIN_SUPPORT
        self.first_level = FirstLevel()

    # -- training -------------------------------------------------------------------------------

    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[str],
        first_level_of: Mapping[str, str] | None = None,
    ) -> DispatchClassifier:
        """Choose hyperparameters by cross-validation, calibrate on OOF predictions, refit.

        With ``first_level_of`` (unit → first-level unit; units it does not list are their own
        first-level unit) the model also suggests first-level units.
        """
        started = time.perf_counter()
        clock = _Stopwatch(self._say)
        texts, labels = list(texts), [str(label) for label in labels]
        if len(texts) != len(labels):
            raise ValueError("texts and labels must have the same length")
        self.classes_, y = np.unique(np.array(labels, dtype=object), return_inverse=True)
        counts = np.bincount(y)
        if len(self.classes_) < 2 or counts.max() < 2:
            raise ValueError("training needs at least two labels and a label with two examples")
        self._say(f"{len(texts)} texts, {len(self.classes_)} labels")
        self.first_level = FirstLevel()
        self._final_unit = None
        sample = self._sample(y, CV_SAMPLE)
        if len(sample) < len(y):
            self._say(f"cross-validation on a stratified sample of {len(sample)} texts")
        # Only the sample's texts are prepared now; the others chunk by chunk with their
        # features below, so that 200,000 prepared texts (about 0.3 GB) are never all held.
        docs = prepare([texts[i][:MAX_CHARS] for i in sample])
        clock.lap("prepare")
        whole = len(sample) == len(y)
        cv = self._calibrate(docs, y[sample], first_level_of, clock, final_unit=whole)
        del docs
        self._prefetched = None

        # The final models learn from every text, in the columns of the cross-validation
        # sample's vectorisers (see the module docstring, "Scale").
        if len(sample) < len(y):
            final = self._features_of_all(texts)
            clock.lap("features (all texts)")
        else:
            final = cv.matrix.astype(np.float64)  # see ``_fit_final``
        if self._final_unit is None:
            # No more fits in the worker processes: their heaps (each held the cross-validation
            # matrix, its folds' SVMs and, above ``CV_SAMPLE``, every text's feature chunks)
            # went on being resident beside the final SVMs' (0.8 GB at 200,000 texts).
            _release_workers()
        self._fit_final(final, y, clock)
        del final
        _release_workers()
        self._index_neighbours(cv.matrix, y[sample])
        clock.lap("final")
        self.data_digest = _digest(texts, labels)

        top1, top3 = top_k_hits(cv.scores, cv.y)
        assert self._oof_confidence is not None and self._oof_correct is not None
        auto = np.asarray(self._oof_confidence >= self.threshold)
        self.report = TrainingReport(
            params=asdict(self.params),
            n_splits=cv.n_splits,
            grid=cv.grid,
            oof_accuracy=top1,
            oof_top3_accuracy=top3,
            temperature=self.temperature,
            threshold=self.threshold,
            oof_auto_coverage=float(auto.mean()),
            oof_auto_precision=float(self._oof_correct[auto].mean()) if auto.any() else None,
            margin=self._margin.bound_z if self._margin is not None else None,
            seconds=time.perf_counter() - started,
            timings=clock.laps,
            first_level=self.first_level.report() if first_level_of is not None else None,
        )
        self._say(f"trained in {self.report.seconds:.1f} s")
        return self

    def _sample(self, y: np.ndarray, size: int) -> np.ndarray:
        """All rows, or a stratified sample of about ``size`` (every label keeps its share,
        rounded up). Cross-validation runs on a sample of ``CV_SAMPLE``: the settings, the
        first-level method and the calibration need tens of thousands of held-out predictions,
        not hundreds of thousands, and each fold over all of them would cost minutes."""
        if len(y) <= size:
            return np.arange(len(y))
        rng = np.random.default_rng(self.random_state)
        share = size / len(y)
        picked = []
        for label in range(len(self.classes_)):
            rows = np.flatnonzero(y == label)
            picked.append(rng.choice(rows, size=math.ceil(len(rows) * share), replace=False))
        return np.sort(np.concatenate(picked))

    def _calibrate(
        self,
        docs: list[Prepared],
        y: np.ndarray,
        first_level_of: Mapping[str, str] | None,
        clock: _Stopwatch,
        final_unit: bool = False,
    ) -> _CrossValidation:
        """Settings by cross-validation, then temperature, first level, confidence models and
        thresholds from the out-of-fold predictions of ``docs`` (labels ``y``).

        With ``final_unit`` (``docs`` are every training text), the final unit SVM starts in a
        worker process as soon as the settings are chosen: the steps after the grid run in this
        process on one core, and the fit, the longest part of the final step, takes the other.
        It is the fit ``_fit_final`` would make (same matrix, C and seed), in a process of its
        own."""
        lengths = np.array([len(d.chars) for d in docs], dtype=float)
        counts = np.bincount(y, minlength=len(self.classes_))
        n_splits = int(min(folds_for(len(y), self.n_splits), counts.max()))
        folds = _folds(y, n_splits, self.random_state)
        # OOF rows whose label has no example in their fold's training part: no model could get
        # them right, and the final model, trained on every label, never meets that case. They
        # count in the reported OOF accuracy but not in the calibration.
        seen = np.zeros(len(y), dtype=bool)
        for train, test in folds:
            seen[test] = np.isin(y[test], y[train])

        grid_report, oof_scores, matrix = self._cross_validate(docs, y, folds, first_level_of)
        clock.lap("grid")
        if final_unit:
            pool = ThreadPoolExecutor(1)  # waits on the worker while this thread goes on
            self._final_unit = pool.submit(
                self._fits, [delayed(_fit_unit_svm)(matrix, y, self.params.C, self.random_state)]
            )
            pool.shutdown(wait=False)
        self.temperature = fit_temperature(oof_scores[seen], y[seen])
        probabilities = softmax(oof_scores * self.temperature, axis=1)
        found = out_of_fold_neighbours(matrix, y, folds, len(self.classes_))
        knn, nearest = found.votes, found.nearest
        clock.lap("neighbours")
        # The label's support as the calibration saw it (the sample's counts), also when used.
        self._support = counts.astype(float)
        group_p = None
        if first_level_of is not None:
            level_oof = self.first_level.cross_validate(
                list(self.classes_),
                first_level_of,
                matrix,
                y,
                folds,
                probabilities,
                seen,
                c=self.params.C,
                parallel=self._prefetched or self._fits,  # fitted with the grid's last batch
                say=self._say,
            )
            clock.lap("first level")
            group_p = level_oof[np.arange(len(y)), self.first_level.index[oof_scores.argmax(1)]]
            self.first_level.calibrate(
                level_oof, found, lengths, y, seen, self.target_precision, self.random_state
            )
        predicted = oof_scores.argmax(axis=1)
        correct = predicted == y
        self._neighbour_signals = True
        self._label_precision, held_out = confidence.label_precision(
            predicted[seen], correct[seen], len(self.classes_), self.random_state
        )
        rows = confidence.signals(
            probabilities[seen],
            oof_scores[seen],
            knn[seen],
            nearest[seen],
            self._support,
            lengths[seen],
            group_p[seen] if group_p is not None else None,
            label_precision=held_out,
            neighbour_labels=found.labels[seen],
            neighbour_similarities=found.similarities[seen],
        )
        if self.first_level.active:
            rows = np.column_stack(
                [
                    rows,
                    self.first_level.unit_neighbour_signals(
                        found.labels[seen], found.similarities[seen], knn[seen], predicted[seen]
                    ),
                ]
            )
        self._confidence_model = confidence.fit(rows, correct[seen])
        cross_fitted = confidence.cross_fitted_confidences(rows, correct[seen], self.random_state)
        self._margin = confidence.choose_margin(
            cross_fitted, correct[seen], self.target_precision, self.random_state
        )
        self.threshold = confidence.pooled_threshold(
            cross_fitted, correct[seen], self.target_precision, self._margin.bound_z
        )
        pooled = cross_fitted.ravel()
        self._oof_confidence, self._oof_correct = pooled, np.resize(correct[seen], pooled.size)
        # The pooled rows repeat each OOF prediction once per repeat of the cross-fitting.
        self._oof_support = MIN_SUPPORT * max(1, pooled.size // max(1, int(seen.sum())))
        clock.lap("confidence")
        return _CrossValidation(oof_scores, y, n_splits, grid_report, matrix)

    def _cross_validate(
        self,
        docs: list[Prepared],
        y: np.ndarray,
        folds: list[tuple[np.ndarray, np.ndarray]],
        first_level_of: Mapping[str, str] | None = None,
    ) -> tuple[list[dict[str, Any]], np.ndarray, sp.csr_matrix]:
        """Successive halving over the grid, fold by fold; the winner's OOF scores and feature
        matrix (its vectorisers become the model's). With ``first_level_of``, the first level's
        fold fits are made with the winner's last ones and kept for it (``_prefetched``)."""
        word_weights = {p.word_weight for p in self.grid}
        if len(word_weights) != 1:
            raise ValueError("the grid must use one word_weight")
        word_weight = word_weights.pop()
        char_sizes = sorted({p.char_ngram_max for p in self.grid})
        built = TextFeatures.fit_sizes(docs, char_sizes, word_weight)
        fitted = dict(zip(char_sizes, (f for f, _ in built), strict=True))
        matrices = dict(zip(char_sizes, (m for _, m in built), strict=True))
        self._say(f"features: {', '.join(f'{m.shape[1]} columns' for m in matrices.values())}")
        grid_folds = folds
        if len(y) > FEW_FOLDS_ABOVE and len(self.grid) > 1:
            rows = self._sample(y, GRID_SAMPLE)
            grid_folds = [(rows[a], rows[b]) for a, b in _folds(y[rows], 3, self.random_state)]
            self._say(f"settings chosen on a stratified sample of {len(rows)} texts")
        n_classes, seed = len(self.classes_), self.random_state
        oof = {p: np.zeros((len(y), n_classes)) for p in self.grid}
        hits: dict[Params, list[float]] = {p: [] for p in self.grid}
        alive = list(self.grid)
        done = 0
        for f, (train, test) in enumerate(grid_folds):
            if len(alive) == 1 and grid_folds is folds:
                break  # the winner's other folds go with the last batch below
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # liblinear's ConvergenceWarning on tiny sets
                scores = self._fits(
                    delayed(fold_scores)(
                        matrices[p.char_ngram_max], train, test, y, n_classes, p.C, seed
                    )
                    for p in alive
                )
            for p, held_out in zip(alive, scores, strict=True):
                oof[p][test] = held_out
                hits[p].append(float((held_out.argmax(axis=1) == y[test]).mean()))
            self._say(
                f"fold {f + 1}/{len(grid_folds)}: "
                + ", ".join(f"{_name(p)} {hits[p][-1]:.3f}" for p in alive)
            )
            done = f + 1
            # The better half goes on (the first of equals: the grid lists simpler models first).
            ranked = sorted(alive, key=lambda p: -np.mean(hits[p]))
            survivors = set(ranked[: max(1, math.ceil(len(alive) / 2))])
            alive = [p for p in alive if p in survivors]
        # Once one setting is left, its remaining folds (all of them when the settings were
        # chosen on a sample) and the first level's folds, which need only its C, are fitted in
        # one batch: one fit at a time they left a worker idle for a round at each of the last
        # grid folds and at the end of each step (with two workers, 3 + 3 fits took four rounds
        # instead of three at 10,000 texts, 2 + 5 five instead of four on Taipei). The fits and
        # so the results are the same; only their order in the workers changes.
        best = alive[0]
        rest = folds[done:] if grid_folds is folds else folds
        unit_tasks = [
            delayed(fold_scores)(matrices[best.char_ngram_max], tr, te, y, n_classes, best.C, seed)
            for tr, te in rest
        ]
        level_tasks = self._first_level_fold_tasks(
            first_level_of, matrices[best.char_ngram_max], y, folds, best.C
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # The unit fits first: they have the most labels and take longest.
            scores = self._fits(unit_tasks + level_tasks)
        self._prefetched = _Prefetched(level_tasks, scores[len(unit_tasks) :], self._fits)
        for f, ((_train, test), held_out) in enumerate(
            zip(rest, scores[: len(unit_tasks)], strict=True)
        ):
            oof[best][test] = held_out
            if grid_folds is folds:
                hits[best].append(float((held_out.argmax(axis=1) == y[test]).mean()))
                self._say(f"fold {done + f + 1}/{len(folds)}: {_name(best)} {hits[best][-1]:.3f}")
        if grid_folds is not folds:
            self._say(f"out-of-fold scores of {_name(best)} on {len(folds)} folds")
        self.params = alive[0]
        report = []
        for p in self.grid:
            row: dict[str, Any] = {**asdict(p), "folds": len(hits[p])}
            row["cv_accuracy"] = float(np.mean(hits[p]))
            if p == self.params:
                top1, top3 = top_k_hits(oof[p], y)
                row.update(oof_accuracy=top1, oof_top3_accuracy=top3)
            report.append(row)
        self._features = fitted[self.params.char_ngram_max]
        return report, oof[self.params], matrices[self.params.char_ngram_max]

    def _first_level_fold_tasks(
        self,
        first_level_of: Mapping[str, str] | None,
        matrix: sp.csr_matrix,
        y: np.ndarray,
        folds: list[tuple[np.ndarray, np.ndarray]],
        c: float,
    ) -> list[Any]:
        """The fold fits :meth:`FirstLevel.cross_validate` will ask for, made as it makes them
        (same arguments), so that they can run in the grid's last batch; none without a tree."""
        if first_level_of is None:
            return []
        groups, index = group_index(list(self.classes_), first_level_of)
        y1 = index[y]
        return [delayed(fold_scores)(matrix, tr, te, y1, len(groups), c) for tr, te in folds]

    def _features_of_all(self, texts: list[str]) -> sp.csr_matrix:
        """Every text's features, prepared and transformed ``TRANSFORM_CHUNK`` at a time, in
        the columns of the vectorisers cross-validation chose, as one float64 matrix (what the
        final fits need; see ``_fit_final``)."""
        assert self._features is not None
        features = self._features
        # In the fold workers, a few chunks per task: preparing and counting 200,000 long texts
        # took three minutes on one core; the two cores halve it. Each task sends the features
        # object once and its chunks back as they are (float32, pruned).
        step = TRANSFORM_CHUNK * ALL_FEATURES_TASK_CHUNKS
        parts = self._fits(
            delayed(_chunk_features)(features, texts[start : start + step])
            for start in range(0, len(texts), step)
        )
        return _stack_float64([chunk for part in parts for chunk in part])

    def _fit_final(self, matrix: sp.csr_matrix, y: np.ndarray, clock: _Stopwatch) -> None:
        """The unit SVM (and the first-level one, where its method needs it) on every text.

        Up to ``SIDE_BY_SIDE_TERMS`` stored terms the two run side by side in threads
        (liblinear copies its input into its own structure and works there without the GIL, so
        the second fit runs on the second core; processes would each need a copy of ``matrix``
        too). Above it, one after the other, each liblinear copy freed (and the heap trimmed)
        before the next is made: the step's peak holds one copy instead of two.

        ``matrix`` is float64 already: LinearSVC converts anything else, and each fit would hold
        its own float64 copy of every text's features (720 MB each at 200,000 texts).

        Where the unit SVM was started in a worker after the grid (``_calibrate``), the
        first-level one is fitted here meanwhile. In a process of its own, the unit fit is also
        the seeded fit it says it is: side by side in threads, the two fits share liblinear's one
        random generator (a global in the library), each reseeding it while the other draws."""
        c = self.params.C
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if self._final_unit is not None:  # started in a worker after the grid
                self.first_level.fit_final(matrix, y, c)
                self._svm = self._final_unit.result()[0]
                self._final_unit = None
            elif not self.first_level.active or matrix.nnz <= SIDE_BY_SIDE_TERMS:
                jobs = [delayed(svm_for(c, self.random_state).fit)(matrix, y)]
                if self.first_level.active:
                    jobs.append(delayed(self.first_level.fit_final)(matrix, y, c))
                self._svm = self._parallel(jobs)[0]
            else:
                self._svm = svm_for(c, self.random_state).fit(matrix, y)
                clock.lap("final unit SVM")
                self.first_level.fit_final(matrix, y, c)
                clock.lap("final first-level SVM")
        self.training_size = len(y)

    def _index_neighbours(self, matrix: sp.csr_matrix, y: np.ndarray) -> None:
        """The texts whose nearest ones the confidence signals consult: those of
        cross-validation (every text up to ``CV_SAMPLE``). The confidence models learnt the
        neighbour signals against an index of that size (its training folds); one of every
        text would raise the similarities above what they learnt, and the time and memory of
        each prediction would grow with the history (14 ms per order at 200,000 texts)."""
        # Stored transposed (features × texts, CSR): a query's similarities are then one product.
        self._neighbours = unit_rows(matrix).T.tocsr()
        self._neighbour_labels = y.astype(np.int32)

    def choose_threshold(
        self,
        target_precision: float,
        texts: Sequence[str] | None = None,
        labels: Sequence[str] | None = None,
    ) -> float:
        """Set the auto-dispatch threshold for ``target_precision`` on held-out predictions.

        Without ``texts``/``labels``, the held-out predictions are the cross-fitted OOF
        predictions from training; with them, a separate labelled validation set.
        """
        if texts is None or labels is None:
            if self._oof_confidence is None or self._oof_correct is None:
                raise ValueError("the model is not trained")
            conf, correct = self._oof_confidence, self._oof_correct
            support = self._oof_support
        else:
            predictions = self.predict(texts, k=1)
            conf = np.array([p.confidence for p in predictions])
            correct = np.array(
                [p.label == str(y) for p, y in zip(predictions, labels, strict=True)]
            )
            support = MIN_SUPPORT
        self.target_precision = target_precision
        self.threshold = choose_threshold(conf, correct, target_precision, support)
        if self.report is not None:
            self.report.threshold = self.threshold
        return self.threshold

    # -- prediction -----------------------------------------------------------------------------

    def predict(self, texts: Sequence[str], k: int = 3) -> list[Prediction]:
        """Top-``k`` suggestions per text with probabilities, confidence and the auto flag."""
        if self._features is None or self._svm is None or self._neighbours is None:
            raise ValueError("the model is not trained")
        texts = list(texts)
        if not texts:
            return []
        docs = prepare([text[:MAX_CHARS] for text in texts])
        lengths = np.array([len(d.chars) for d in docs], dtype=float)
        matrix = self._features.transform(docs)
        scores = decision_scores(self._svm, matrix, len(self.classes_))
        assert self._neighbour_labels is not None
        found = neighbours(
            unit_rows(matrix), self._neighbours, self._neighbour_labels, len(self.classes_)
        )
        knn, nearest = found.votes, found.nearest
        probabilities = softmax(scores * self.temperature, axis=1)
        top_unit = probabilities.argmax(axis=1)
        rows = np.arange(len(texts))
        level = self.first_level
        group_p = level_p = level_conf = None
        if level.active:
            level_p = level.probabilities(probabilities, matrix)
            group_p = level_p[rows, level.index[top_unit]]
            level_conf = level.confidence(level_p, found, lengths)
        # Models saved before these signals were fitted without them.
        precision = None
        if self._label_precision is not None:
            precision = self._label_precision[top_unit]
        signals = confidence.signals(
            probabilities,
            scores,
            knn,
            nearest,
            self._support,
            lengths,
            group_p,
            label_precision=precision,
            neighbour_labels=found.labels if self._neighbour_signals else None,
            neighbour_similarities=found.similarities,
        )
        if level.active and self._neighbour_signals:
            signals = np.column_stack(
                [
                    signals,
                    level.unit_neighbour_signals(found.labels, found.similarities, knn, top_unit),
                ]
            )
        conf = confidence.apply(self._confidence_model, signals)
        auto = conf >= self.threshold
        if level_p is not None:
            # A sub-unit only under the first-level unit the model suggests.
            auto &= level.index[top_unit] == level_p.argmax(axis=1)
        k = max(1, min(k, len(self.classes_)))
        top = np.argsort(-probabilities, axis=1, kind="stable")[:, :k]
        out = []
        for i, row in enumerate(top):
            extra: dict[str, Any] = {}
            if level_p is not None and level_conf is not None:
                extra = {
                    "first_level": level.top(level_p[i], k, int(top_unit[i])),
                    "first_level_confidence": float(level_conf[i]),
                    "first_level_auto": bool(level_conf[i] >= level.threshold),
                }
            out.append(
                Prediction(
                    suggestions=[(str(self.classes_[j]), float(probabilities[i, j])) for j in row],
                    confidence=float(conf[i]),
                    auto=bool(auto[i]),
                    nearest=float(nearest[i]),
                    **extra,
                )
            )
        return out

    def predict_top(self, texts: Sequence[str], k: int = 3) -> list[list[tuple[str, float]]]:
        """Per text, the ``k`` most likely labels as (label, probability), best first."""
        return [p.suggestions for p in self.predict(texts, k)]

    def _fits(self, tasks: Any) -> list[Any]:
        """Fold fits (pure functions of arrays) in processes: liblinear holds the GIL here."""
        return list(Parallel(n_jobs=self.n_jobs)(tasks))

    def _parallel(self, tasks: Any) -> list[Any]:
        return list(Parallel(n_jobs=self.n_jobs, prefer="threads")(tasks))

    def _say(self, message: str) -> None:
        if callable(self.progress):
            self.progress(message)
        elif self.progress:
            print(f"dispatch training: {message}", file=sys.stderr, flush=True)

    # -- persistence ----------------------------------------------------------------------------

    def metadata(self, created_at: dt.datetime) -> dict[str, Any]:
        report = asdict(self.report) if self.report else {}
        index = self._neighbours
        return {
            "format": FORMAT_VERSION,
            "version": f"{created_at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}-{self.data_digest[:8]}",
            "created_at": created_at.isoformat(),
            "training_size": self.training_size,
            # The model's size: SVM weights are labels × columns; every prediction compares the
            # text with the neighbour texts.
            "columns": int(index.shape[0]) if index is not None else 0,
            "neighbour_texts": int(index.shape[1]) if index is not None else 0,
            "data_digest": self.data_digest,
            "labels": [str(c) for c in self.classes_],
            "first_level_labels": [str(c) for c in self.first_level.classes],
            "params": asdict(self.params),
            "temperature": self.temperature,
            "target_precision": self.target_precision,
            "threshold": _json_float(self.threshold),
            "metrics": {k: _json_safe(v) for k, v in report.items() if k != "params"},
            "libraries": {name: _version(name) for name in _LIBRARIES},
        }

    def save(
        self, path: str | Path, created_at: dt.datetime, extra: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Write ``model.joblib`` and ``metadata.json`` (plus ``extra`` keys) into ``path``."""
        if self._svm is None:
            raise ValueError("the model is not trained")
        if created_at.tzinfo is None:
            raise ValueError("created_at must be timezone-aware")
        directory = Path(path)
        directory.mkdir(parents=True, exist_ok=True)
        meta = {**self.metadata(created_at), **(extra or {})}
        progress, self.progress = self.progress, False  # a callback need not pickle
        try:
            joblib.dump(self, directory / MODEL_FILE, compress=3)
        finally:
            self.progress = progress
        (directory / METADATA_FILE).write_text(
            json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        return meta

    @classmethod
    def load(cls, path: str | Path) -> DispatchClassifier:
        """Read a model written by :meth:`save`.

        Model files are pickles: load only files this installation wrote (the data directory).
        A model made with another scikit-learn version or file format is refused; train a new one.
        """
        directory = Path(path)
        meta = json.loads((directory / METADATA_FILE).read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError(
                f"unsupported model format {meta.get('format')!r} in {directory}: train a new model"
            )
        made_with = meta.get("libraries", {}).get("scikit-learn")
        if made_with != _version("scikit-learn"):
            raise ValueError(
                f"{directory} was made with scikit-learn {made_with}, this is "
                f"{_version('scikit-learn')}: train a new model"
            )
        model = joblib.load(directory / MODEL_FILE)
        if not isinstance(model, cls):
            raise ValueError(f"{directory / MODEL_FILE} does not hold a {cls.__name__}")
        return model


# -- helpers (module level so that joblib can run them in workers) ------------------------------


@dataclass
class _CrossValidation:
    """What calibration hands back to ``fit``: the winner's OOF scores on the rows it used."""

    scores: np.ndarray
    y: np.ndarray
    n_splits: int
    grid: list[dict[str, Any]]
    matrix: sp.csr_matrix


class _Stopwatch:
    """Seconds per training step, each reported as it ends."""

    def __init__(self, say: Callable[[str], None]) -> None:
        self.say = say
        self.laps: dict[str, float] = {}
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self.last, 2)
        _release_memory()
        self.last = time.perf_counter()  # the release is nobody's step
        self.say(f"{name}: {self.laps[name]:.1f} s")


def _fit_unit_svm(matrix: sp.csr_matrix, y: np.ndarray, c: float, seed: int) -> LinearSVC:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return svm_for(c, seed).fit(matrix, y)


def _release_workers() -> None:
    """End joblib's worker processes (its reusable loky executor); the next parallel call
    starts new ones (a second or two). Freed heap in a worker is not handed back to the system
    the way ``_release_memory`` does for this process, and an idle worker lives on for
    minutes."""
    executor = getattr(reusable_executor, "_executor", None)
    if executor is None:
        return
    # joblib's executor also removes its memory-mapped arguments' folders in /dev/shm when
    # terminated; a plain shutdown left them behind (empty).
    getattr(executor, "terminate", executor.shutdown)()


class _Prefetched:
    """A ``parallel`` callable (tasks → results) that hands back results of tasks already run
    when the same task (function and arguments) is asked for, and runs the others with
    ``run``. Arrays are compared by content, sparse matrices by identity."""

    def __init__(
        self, tasks: list[Any], results: list[Any], run: Callable[[Any], list[Any]] | None = None
    ) -> None:
        self._results = {_task_key(t): r for t, r in zip(tasks, results, strict=True)}
        self._run = run

    def __call__(self, tasks: Any) -> list[Any]:
        tasks = list(tasks)
        keys = [_task_key(t) for t in tasks]
        missing = [t for t, k in zip(tasks, keys, strict=True) if k not in self._results]
        if missing:
            if self._run is None:
                raise ValueError("tasks that were not run beforehand")
            computed = iter(self._run(missing))
        return [self._results.pop(k) if k in self._results else next(computed) for k in keys]


def _task_key(task: Any) -> tuple[Any, ...]:
    function, args, kwargs = task

    def key(value: Any) -> Any:
        if isinstance(value, np.ndarray):
            data = np.ascontiguousarray(value)
            return ("array", data.shape, data.dtype.str, hashlib.blake2b(data.data).hexdigest())
        if sp.issparse(value):
            return ("sparse", id(value))
        return value

    return (
        function,
        tuple(key(a) for a in args),
        tuple(sorted((name, key(v)) for name, v in kwargs.items())),
    )


def _release_memory() -> None:
    """Hand the heap's free pages back to the system between training steps.

    A step's intermediates (feature chunks, fold scores, a liblinear copy) are freed when it
    ends, but glibc keeps freed heap for reuse: allocations under its mmap threshold (which
    rises to 32 MB once a larger block is freed) come from the heap, and what they leave stays
    resident, on top of the next step's own peak. ``malloc_trim(0)`` returns the free pages
    of every arena; elsewhere than glibc there is nothing to call."""
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def _stack_float64(chunks: list[sp.csr_matrix]) -> sp.csr_matrix:
    """The rows of ``chunks`` (float32 CSR, emptied from the list as they are copied) in one
    float64 CSR matrix with int32 indices.

    ``sp.vstack`` followed by ``astype`` held the float32 chunks, their float32 stack and the
    float64 copy at once (1.7 GB at 200,000 texts of 300 terms); here each chunk goes as soon
    as it is copied, and the result's pages are written (made resident) only as it fills."""
    nnz = sum(chunk.nnz for chunk in chunks)
    n_columns = chunks[0].shape[1]
    rows = sum(chunk.shape[0] for chunk in chunks)
    if nnz >= 2**31:
        raise ValueError(f"{nnz} stored terms: more than int32 indices hold")
    data = np.empty(nnz, dtype=np.float64)
    indices = np.empty(nnz, dtype=np.int32)
    indptr = np.zeros(rows + 1, dtype=np.int32)
    row = at = 0
    while chunks:
        chunk = chunks.pop(0)
        n, size = chunk.shape[0], chunk.nnz
        data[at : at + size] = chunk.data
        indices[at : at + size] = chunk.indices
        indptr[row + 1 : row + n + 1] = chunk.indptr[1:] + at
        row, at = row + n, at + size
        del chunk
    return sp.csr_matrix((data, indices, indptr), shape=(rows, n_columns), copy=False)


def _folds(y: np.ndarray, n_splits: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "the least populated class has only 1 member"
        splitter = StratifiedKFold(n_splits, shuffle=True, random_state=seed)
        return list(splitter.split(np.zeros(len(y)), y))


def _name(p: Params) -> str:
    return f"n≤{p.char_ngram_max} C={p.C:g}"


def _chunk_features(features: TextFeatures, texts: list[str]) -> list[sp.csr_matrix]:
    """The features of ``texts``, prepared and transformed ``TRANSFORM_CHUNK`` at a time."""
    return [
        features.transform(
            prepare([text[:MAX_CHARS] for text in texts[start : start + TRANSFORM_CHUNK]])
        )
        for start in range(0, len(texts), TRANSFORM_CHUNK)
    ]


def _digest(texts: list[str], labels: list[str]) -> str:
    digest = hashlib.sha256()
    for text, label in sorted(zip(texts, labels, strict=True)):
        digest.update(f"{label}\t{text}\n".encode())
    return digest.hexdigest()


def _json_float(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return _json_float(value)


def _version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None
