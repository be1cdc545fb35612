"""The dispatch classifier: order text → top-k units (or categories) with calibrated confidence.

How it is built, and why (figures on the Taipei FAQ benchmark are in the module ``evaluate``):

- Features (:mod:`hotline.dispatch.text`): character n-grams plus jieba words, TF-IDF.
- Model: a linear SVM, one-vs-rest. On short texts with a few thousand examples it is as accurate
  as anything classical we tried (logistic regression, complement naive Bayes, nearest
  neighbours, ensembles of them) and it trains in seconds.
- Hyperparameters (C, longest character n-gram) are chosen by stratified K-fold cross-validation
  on the training data only, with a fixed seed. The same folds give an out-of-fold (OOF)
  prediction for every training example: the calibration below is fitted on those, so nothing
  is calibrated on examples the model was trained on.
- Probabilities: a softmax of the SVM scores with one temperature fitted on the OOF predictions
  (minimum log-loss). They rank the suggestions the dispatcher sees.
- Confidence that the first suggestion is right: a small logistic model over the score profile
  (top probabilities and margins) and the nearest training examples (how much of the neighbourhood
  agrees with the suggestion, how close the nearest one is), fitted on whether each OOF suggestion
  was right. Neighbours matter because histories hold the same question filed under two units
  (a bureau and its section): the SVM is sure there, the neighbourhood shows the disagreement.
- Auto-dispatch threshold: the lowest confidence at which the OOF suggestions reach the target
  precision (:func:`choose_threshold`).

The class does not touch Django or the database: callers pass texts and labels, and the time the
model was made (see ``save``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import json
import math
import os
import time
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from scipy.optimize import minimize_scalar
from scipy.special import expit, log_softmax, softmax
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

from hotline.dispatch.text import Prepared, TextFeatures, prepare

FORMAT_VERSION = 1
MODEL_FILE = "model.joblib"
METADATA_FILE = "metadata.json"

#: Neighbours consulted for the confidence estimate.
NEIGHBOURS = 20
#: A precision cannot be claimed from fewer auto-dispatched examples than this.
MIN_SUPPORT = 50
_LIBRARIES = ("scikit-learn", "numpy", "scipy", "joblib", "rjieba", "opencc")


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
    """

    suggestions: list[tuple[str, float]]
    confidence: float
    auto: bool
    #: Cosine similarity of the nearest training text (0: the model has never seen anything like
    #: it, whatever its probabilities say; intake hides suggestions for such text).
    nearest: float = 1.0

    @property
    def label(self) -> str:
        return self.suggestions[0][0]


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
    seconds: float = 0.0


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


class DispatchClassifier:
    """Text → ranked labels with calibrated probabilities; see the module docstring."""

    def __init__(
        self,
        grid: Sequence[Params] = DEFAULT_GRID,
        n_splits: int = 5,
        target_precision: float = 0.98,
        random_state: int = 0,
        n_jobs: int | None = None,
    ) -> None:
        self.grid = tuple(grid)
        self.n_splits = n_splits
        self.target_precision = target_precision
        self.random_state = random_state
        self.n_jobs = n_jobs or min(2, os.cpu_count() or 1)
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
        self._confidence_model: _Logistic | None = None
        self._oof_confidence: np.ndarray | None = None
        self._oof_correct: np.ndarray | None = None

    # -- training -------------------------------------------------------------------------------

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> DispatchClassifier:
        """Choose hyperparameters by cross-validation, calibrate on OOF predictions, refit."""
        started = time.perf_counter()
        texts, labels = list(texts), [str(label) for label in labels]
        if len(texts) != len(labels):
            raise ValueError("texts and labels must have the same length")
        self.classes_, y = np.unique(np.array(labels, dtype=object), return_inverse=True)
        counts = np.bincount(y)
        if len(self.classes_) < 2 or counts.max() < 2:
            raise ValueError("training needs at least two labels and a label with two examples")
        docs = prepare(texts)
        n_splits = int(min(self.n_splits, counts.max()))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "the least populated class has only 1 member"
            folds = list(
                StratifiedKFold(n_splits, shuffle=True, random_state=self.random_state).split(
                    np.zeros(len(y)), y
                )
            )
        # OOF rows whose label has no example in their fold's training part: no model could get
        # them right, and the final model, trained on every label, never meets that case. They
        # count in the reported OOF accuracy but not in the calibration.
        seen = np.zeros(len(y), dtype=bool)
        for train, test in folds:
            seen[test] = np.isin(y[test], y[train])

        grid_report, oof_scores, best_features = self._cross_validate(docs, y, folds)
        self._calibrate(oof_scores, y, folds, best_features, seen)
        self._fit_final(docs, y)
        self.data_digest = _digest(texts, labels)

        self.choose_threshold(self.target_precision)
        top1, top3 = _top_k_hits(oof_scores, y)
        assert self._oof_confidence is not None and self._oof_correct is not None
        auto = self._oof_confidence >= self.threshold
        correct = self._oof_correct
        self.report = TrainingReport(
            params=asdict(self.params),
            n_splits=n_splits,
            grid=grid_report,
            oof_accuracy=top1,
            oof_top3_accuracy=top3,
            temperature=self.temperature,
            threshold=self.threshold,
            oof_auto_coverage=float(auto.mean()),
            oof_auto_precision=float(correct[auto].mean()) if auto.any() else None,
            seconds=time.perf_counter() - started,
        )
        return self

    def _cross_validate(
        self, docs: list[Prepared], y: np.ndarray, folds: list[tuple[np.ndarray, np.ndarray]]
    ) -> tuple[list[dict[str, Any]], np.ndarray, list[_Fold]]:
        """OOF scores for every grid point; keeps the best one's, and its fold features."""
        # Features per (fold, longest char n-gram), then one SVM per (fold, grid point); both run
        # in threads (liblinear releases the GIL during the fit).
        word_weights = {p.word_weight for p in self.grid}
        if len(word_weights) != 1:
            raise ValueError("the grid must use one word_weight")
        word_weight = word_weights.pop()
        char_sizes = sorted({p.char_ngram_max for p in self.grid})
        tasks = [(f, n) for f in range(len(folds)) for n in char_sizes]
        built = self._parallel(
            delayed(_fold_features)(docs, *folds[f], n, word_weight) for f, n in tasks
        )
        features = dict(zip(tasks, built, strict=True))
        runs = [(f, p) for f in range(len(folds)) for p in self.grid]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # liblinear's ConvergenceWarning on tiny sets
            scores = self._parallel(
                delayed(_fold_scores)(
                    features[(f, p.char_ngram_max)], y[folds[f][0]], len(self.classes_), p.C
                )
                for f, p in runs
            )
        oof = {p: np.zeros((len(y), len(self.classes_))) for p in self.grid}
        for (f, p), fold_scores in zip(runs, scores, strict=True):
            oof[p][folds[f][1]] = fold_scores
        report = []
        for p in self.grid:
            top1, top3 = _top_k_hits(oof[p], y)
            report.append({**asdict(p), "oof_accuracy": top1, "oof_top3_accuracy": top3})
        # The first of equals wins: the grid lists simpler models first.
        best = max(range(len(self.grid)), key=lambda i: report[i]["oof_accuracy"])
        self.params = self.grid[best]
        best_features = [features[(f, self.params.char_ngram_max)] for f in range(len(folds))]
        return report, oof[self.params], best_features

    def _calibrate(
        self,
        oof_scores: np.ndarray,
        y: np.ndarray,
        folds: list[tuple[np.ndarray, np.ndarray]],
        fold_features: list[_Fold],
        seen: np.ndarray,
    ) -> None:
        """Temperature and confidence model, fitted on the OOF predictions."""
        self.temperature = _fit_temperature(oof_scores[seen], y[seen])
        knn = np.zeros_like(oof_scores)
        nearest = np.zeros(len(y))
        for (train, test), (matrix, _features, test_matrix) in zip(
            folds, fold_features, strict=True
        ):
            knn[test], nearest[test] = _neighbour_votes(
                _unit_rows(test_matrix), _unit_rows(matrix).T.tocsr(), y[train], len(self.classes_)
            )
        signals = _confidence_signals(oof_scores, self.temperature, knn, nearest)
        correct = oof_scores.argmax(axis=1) == y
        self._confidence_model = _fit_confidence_model(signals[seen], correct[seen])
        self._oof_confidence = self._confidence(signals[seen])
        self._oof_correct = correct[seen]

    def _fit_final(self, docs: list[Prepared], y: np.ndarray) -> None:
        self._features = TextFeatures(self.params.char_ngram_max, self.params.word_weight)
        matrix = self._features.fit_transform(docs)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self._svm = LinearSVC(C=self.params.C).fit(matrix, y)
        # Stored transposed (features × texts, CSR): a query's similarities are then one product.
        self._neighbours = _unit_rows(matrix).T.tocsr()
        self._neighbour_labels = y.astype(np.int32)
        self.training_size = len(y)

    def choose_threshold(
        self,
        target_precision: float,
        texts: Sequence[str] | None = None,
        labels: Sequence[str] | None = None,
    ) -> float:
        """Set the auto-dispatch threshold for ``target_precision`` on held-out predictions.

        Without ``texts``/``labels``, the held-out predictions are the OOF predictions from
        training; with them, a separate labelled validation set.
        """
        if texts is None or labels is None:
            if self._oof_confidence is None or self._oof_correct is None:
                raise ValueError("the model is not trained")
            conf, correct = self._oof_confidence, self._oof_correct
        else:
            predictions = self.predict(texts, k=1)
            conf = np.array([p.confidence for p in predictions])
            correct = np.array(
                [p.label == str(y) for p, y in zip(predictions, labels, strict=True)]
            )
        self.target_precision = target_precision
        self.threshold = choose_threshold(conf, correct, target_precision)
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
        matrix = self._features.transform(prepare(texts))
        scores = _decision_scores(self._svm, matrix, len(self.classes_))
        assert self._neighbour_labels is not None
        knn, nearest = _neighbour_votes(
            _unit_rows(matrix), self._neighbours, self._neighbour_labels, len(self.classes_)
        )
        probabilities = softmax(scores * self.temperature, axis=1)
        confidence = self._confidence(_confidence_signals(scores, self.temperature, knn, nearest))
        k = max(1, min(k, len(self.classes_)))
        top = np.argsort(-probabilities, axis=1, kind="stable")[:, :k]
        return [
            Prediction(
                suggestions=[(str(self.classes_[j]), float(probabilities[i, j])) for j in row],
                confidence=float(confidence[i]),
                auto=bool(confidence[i] >= self.threshold),
                nearest=float(nearest[i]),
            )
            for i, row in enumerate(top)
        ]

    def predict_top(self, texts: Sequence[str], k: int = 3) -> list[list[tuple[str, float]]]:
        """Per text, the ``k`` most likely labels as (label, probability), best first."""
        return [p.suggestions for p in self.predict(texts, k)]

    def _confidence(self, signals: np.ndarray) -> np.ndarray:
        if self._confidence_model is None:  # every OOF suggestion right, or every one wrong
            return signals[:, 0]
        return self._confidence_model.predict_proba(signals)[:, 1]

    def _parallel(self, tasks: Any) -> list[Any]:
        return list(Parallel(n_jobs=self.n_jobs, prefer="threads")(tasks))

    # -- persistence ----------------------------------------------------------------------------

    def metadata(self, created_at: dt.datetime) -> dict[str, Any]:
        report = asdict(self.report) if self.report else {}
        return {
            "format": FORMAT_VERSION,
            "version": f"{created_at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}-{self.data_digest[:8]}",
            "created_at": created_at.isoformat(),
            "training_size": self.training_size,
            "data_digest": self.data_digest,
            "labels": [str(c) for c in self.classes_],
            "params": asdict(self.params),
            "temperature": self.temperature,
            "target_precision": self.target_precision,
            "threshold": _json_float(self.threshold),
            "metrics": {k: _json_float(v) for k, v in report.items() if k != "params"},
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
        joblib.dump(self, directory / MODEL_FILE, compress=3)
        (directory / METADATA_FILE).write_text(
            json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        return meta

    @classmethod
    def load(cls, path: str | Path) -> DispatchClassifier:
        """Read a model written by :meth:`save`.

        Model files are pickles: load only files this installation wrote (the data directory).
        A model made with another scikit-learn version is refused; train a new one.
        """
        directory = Path(path)
        meta = json.loads((directory / METADATA_FILE).read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError(f"unsupported model format {meta.get('format')!r} in {directory}")
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


#: A fold's training matrix, the features fitted on it, and its held-out matrix.
_Fold = tuple[sp.csr_matrix, TextFeatures, sp.csr_matrix]


def _fold_features(
    docs: list[Prepared], train: np.ndarray, test: np.ndarray, char_ngram_max: int, weight: float
) -> _Fold:
    features = TextFeatures(char_ngram_max, weight)
    matrix = features.fit_transform([docs[i] for i in train])
    return matrix, features, features.transform([docs[i] for i in test])


def _fold_scores(fold: _Fold, y: np.ndarray, n_classes: int, c: float) -> np.ndarray:
    matrix, _features, test_matrix = fold
    svm = LinearSVC(C=c).fit(matrix, y)
    return _decision_scores(svm, test_matrix, n_classes)


def _decision_scores(svm: LinearSVC, matrix: sp.csr_matrix, n_classes: int) -> np.ndarray:
    """SVM scores for every class; classes absent from this training set score very low."""
    # The product itself, not decision_function: its input checks cost more than the product
    # for a single text.
    raw = np.asarray(matrix @ svm.coef_.T) + svm.intercept_
    if raw.shape[1] == 1:  # two classes: one score, for the second
        raw = np.c_[-raw, raw]
    scores = np.full((matrix.shape[0], n_classes), -10.0)
    scores[:, svm.classes_] = raw
    return scores


def _top_k_hits(scores: np.ndarray, y: np.ndarray, k: int = 3) -> tuple[float, float]:
    top = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return float((top[:, 0] == y).mean()), float((top == y[:, None]).any(axis=1).mean())


def _fit_temperature(scores: np.ndarray, y: np.ndarray) -> float:
    rows = np.arange(len(y))

    def loss(log_t: float) -> float:
        return float(-log_softmax(scores * math.exp(log_t), axis=1)[rows, y].mean())

    return math.exp(minimize_scalar(loss, bounds=(-4.0, 6.0), method="bounded").x)


def _neighbour_votes(
    queries: sp.csr_matrix, train_t: sp.csr_matrix, y: np.ndarray, n_classes: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per query: the share of similarity per class among its nearest training texts, and the
    similarity of the nearest one. Rows of ``queries`` and columns of ``train_t`` (the training
    matrix transposed) are unit length, so products are cosine similarities."""
    k = min(NEIGHBOURS, train_t.shape[1])
    votes = np.zeros((queries.shape[0], n_classes))
    nearest = np.zeros(queries.shape[0])
    for start in range(0, queries.shape[0], 512):  # bounds the dense similarity block
        sim = (queries[start : start + 512] @ train_t).toarray()
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


def _confidence_signals(
    scores: np.ndarray, temperature: float, knn: np.ndarray, nearest: np.ndarray
) -> np.ndarray:
    probabilities = softmax(scores * temperature, axis=1)
    order = np.argsort(-scores, axis=1, kind="stable")[:, :2]
    rows = np.arange(scores.shape[0])
    first, second = order[:, 0], order[:, 1]
    p1, p2 = probabilities[rows, first], probabilities[rows, second]
    s1, s2 = scores[rows, first], scores[rows, second]
    agree = knn[rows, first]
    others = knn.copy()
    others[rows, first] = -1.0
    return np.c_[p1, p2, p1 - p2, s1, s1 - s2, agree, others.max(axis=1), nearest]


@dataclass(frozen=True)
class _Logistic:
    """A fitted logistic regression on standardised inputs, applied with plain numpy."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def predict_proba(self, signals: np.ndarray) -> np.ndarray:
        z = ((signals - self.mean) / self.scale) @ self.coef + self.intercept
        p = expit(z)
        return np.c_[1 - p, p]


def _fit_confidence_model(signals: np.ndarray, correct: np.ndarray) -> _Logistic | None:
    if correct.all() or not correct.any():
        return None
    scaler = StandardScaler().fit(signals)
    model = LogisticRegression(C=1.0, max_iter=1000).fit(scaler.transform(signals), correct)
    return _Logistic(scaler.mean_, scaler.scale_, model.coef_[0], float(model.intercept_[0]))


def _unit_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    unit = matrix.astype(np.float64, copy=True)
    inplace_csr_row_normalize_l2(unit)
    return unit


def _digest(texts: list[str], labels: list[str]) -> str:
    digest = hashlib.sha256()
    for text, label in sorted(zip(texts, labels, strict=True)):
        digest.update(f"{label}\t{text}\n".encode())
    return digest.hexdigest()


def _json_float(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None
