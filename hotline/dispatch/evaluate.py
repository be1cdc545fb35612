"""Evaluation from files: train on one labelled CSV, measure on another.

``evaluate(train_csv, test_csv)`` trains a :class:`DispatchClassifier` on TRAIN only (its
hyperparameters and auto-dispatch threshold come from cross-validation on TRAIN) and reports, on
TEST: accuracy, macro-F1, top-3 accuracy, the share of TEST dispatched automatically at the
threshold chosen on TRAIN and the precision of those, plus training time and prediction time.
With ``units_csv`` (columns ``unit,first_level_unit``) the model also learns the first level and
a ``first_level`` block gives the same figures for the first-level units (a TEST order's
first-level unit is its unit's, per that file).
No Django needed, so ``bench/dispatch_eval.py`` can run it from a bare checkout.
"""

from __future__ import annotations

import csv
import os
import time
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.utils.translation import gettext
from sklearn.metrics import f1_score

from hotline.dispatch.classifier import DispatchClassifier, Prediction
from hotline.dispatch.hierarchy import first_levels, read_units_csv

#: How many single-text predictions the latency figure is the median of.
LATENCY_SAMPLE = 200


def _message(msgid: str) -> str:
    # In the hotline's language under ``hotline dispatch evaluate``; bench/dispatch_eval.py runs
    # without Django's settings, and gets the English.
    return gettext(msgid) if settings.configured else msgid


def read_labelled_csv(path: str | Path) -> tuple[list[str], list[str]]:
    """Rows of a CSV with columns ``text,label`` (UTF-8, BOM allowed); blank rows skipped."""
    texts, labels = [], []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"text", "label"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(
                _message("%(path)s: missing column(s) %(columns)s")
                % {"path": path, "columns": ", ".join(sorted(missing))}
            )
        for row in reader:
            text, label = (row["text"] or "").strip(), (row["label"] or "").strip()
            if text and label:
                texts.append(text)
                labels.append(label)
    if not texts:
        raise ValueError(_message("%(path)s: no labelled rows") % {"path": path})
    return texts, labels


def evaluate(
    train_csv: str | Path,
    test_csv: str | Path,
    target_precision: float = 0.98,
    classifier: DispatchClassifier | None = None,
    units_csv: str | Path | None = None,
) -> dict[str, Any]:
    """Train on ``train_csv``, evaluate on ``test_csv``; a JSON-ready dict of figures."""
    train_texts, train_labels = read_labelled_csv(train_csv)
    test_texts, test_labels = read_labelled_csv(test_csv)
    tree = read_units_csv(units_csv) if units_csv is not None else None
    model = classifier or DispatchClassifier(target_precision=target_precision)
    model.target_precision = target_precision

    started = time.perf_counter()
    model.fit(train_texts, train_labels, first_level_of=tree)
    train_seconds = time.perf_counter() - started

    started = time.perf_counter()
    predictions = model.predict(test_texts, k=3)
    batch_seconds = time.perf_counter() - started
    single = []
    for text in test_texts[:LATENCY_SAMPLE]:
        started = time.perf_counter()
        model.predict([text], k=3)
        single.append(time.perf_counter() - started)

    truth = np.array(test_labels, dtype=object)
    first = np.array([p.label for p in predictions], dtype=object)
    top3 = np.array(
        [
            y in {label for label, _ in p.suggestions}
            for p, y in zip(predictions, truth, strict=True)
        ]
    )
    auto = np.array([p.auto for p in predictions])
    report = model.report
    assert report is not None
    result = {
        "accuracy": round(float((first == truth).mean()), 4),
        "macro_f1": round(float(f1_score(truth, first, average="macro", zero_division=0)), 4),
        "top3_accuracy": round(float(top3.mean()), 4),
        "auto_threshold": _round(model.threshold, 6),
        "auto_margin": report.margin,
        "auto_coverage": round(float(auto.mean()), 4),
        "auto_precision": _round(float((first[auto] == truth[auto]).mean()))
        if auto.any()
        else None,
        "target_precision": target_precision,
        "train_seconds": round(train_seconds, 2),
        "predict_ms_per_item": round(1000 * batch_seconds / len(test_texts), 3),
        "predict_ms_single": round(1000 * float(np.median(single)), 3),
        "n_train": len(train_texts),
        "n_test": len(test_texts),
        "n_labels": len(model.classes_),
        "params": report.params,
        "cv_folds": report.n_splits,
        "cv_accuracy": round(report.oof_accuracy, 4),
        "cv_top3_accuracy": round(report.oof_top3_accuracy, 4),
        "cv_auto_coverage": round(report.oof_auto_coverage, 4),
        "cpus": os.cpu_count(),
        "n_jobs": model.n_jobs,
        "timings": report.timings,
    }
    if tree is not None:
        result["first_level"] = _first_level_figures(
            predictions, first_levels(test_labels, tree), report.first_level or {}
        )
    return result


def _first_level_figures(
    predictions: list[Prediction], truth: list[str], trained: dict[str, Any]
) -> dict[str, Any]:
    """The first-level block: TEST figures, then what cross-validation on TRAIN chose."""
    first = np.array([p.first_level_label for p in predictions], dtype=object)
    expected = np.array(truth, dtype=object)
    top3 = np.array(
        [
            y in {label for label, _ in p.first_level}
            for p, y in zip(predictions, truth, strict=True)
        ]
    )
    auto = np.array([p.first_level_auto for p in predictions])
    return {
        "accuracy": round(float((first == expected).mean()), 4),
        "top3_accuracy": round(float(top3.mean()), 4),
        "auto_threshold": _round(float(trained.get("threshold", np.inf)), 6),
        "auto_margin": trained.get("margin"),
        "auto_coverage": round(float(auto.mean()), 4),
        "auto_precision": _round(float((first[auto] == expected[auto]).mean()))
        if auto.any()
        else None,
        "n_labels": trained.get("labels"),
        "method": trained.get("method"),
        "cv_accuracy_by_method": {
            m: round(a, 4) for m, a in trained.get("cv_accuracy_by_method", {}).items()
        },
        "cv_top3_accuracy_by_method": {
            m: round(a, 4) for m, a in trained.get("cv_top3_accuracy_by_method", {}).items()
        },
        # The naive Bayes vote blended in (hotline.dispatch.levels), or None.
        "vote": _vote(trained.get("vote")),
        # Whether the list names the unit suggestion's first-level unit (chosen by OOF top-3).
        "lists_unit_first_level": trained.get("lists_unit_first_level"),
        "cv_accuracy": _round(trained.get("oof_accuracy", np.nan)),
        "cv_top3_accuracy": _round(trained.get("oof_top3_accuracy", np.nan)),
        "cv_auto_coverage": _round(trained.get("oof_auto_coverage", np.nan)),
    }


def _vote(vote: dict[str, float] | None) -> dict[str, float | None] | None:
    return {k: _round(v) for k, v in vote.items()} if vote else None


def _round(value: float, digits: int = 4) -> float | None:
    return round(value, digits) if np.isfinite(value) else None
