"""Evaluation from files: train on one labelled CSV, measure on another.

``evaluate(train_csv, test_csv)`` trains a :class:`DispatchClassifier` on TRAIN only (its
hyperparameters and auto-dispatch threshold come from cross-validation on TRAIN) and reports, on
TEST: accuracy, macro-F1, top-3 accuracy, the share of TEST dispatched automatically at the
threshold chosen on TRAIN and the precision of those, plus training time and prediction time.
No Django needed, so ``bench/dispatch_eval.py`` can run it from a bare checkout.
"""

from __future__ import annotations

import csv
import os
import time
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import f1_score

from hotline.dispatch.classifier import DispatchClassifier

#: How many single-text predictions the latency figure is the median of.
LATENCY_SAMPLE = 200


def read_labelled_csv(path: str | Path) -> tuple[list[str], list[str]]:
    """Rows of a CSV with columns ``text,label`` (UTF-8, BOM allowed); blank rows skipped."""
    texts, labels = [], []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"text", "label"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        for row in reader:
            text, label = (row["text"] or "").strip(), (row["label"] or "").strip()
            if text and label:
                texts.append(text)
                labels.append(label)
    if not texts:
        raise ValueError(f"{path}: no labelled rows")
    return texts, labels


def evaluate(
    train_csv: str | Path,
    test_csv: str | Path,
    target_precision: float = 0.98,
    classifier: DispatchClassifier | None = None,
) -> dict[str, Any]:
    """Train on ``train_csv``, evaluate on ``test_csv``; a JSON-ready dict of figures."""
    train_texts, train_labels = read_labelled_csv(train_csv)
    test_texts, test_labels = read_labelled_csv(test_csv)
    model = classifier or DispatchClassifier(target_precision=target_precision)
    model.target_precision = target_precision

    started = time.perf_counter()
    model.fit(train_texts, train_labels)
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
    return {
        "accuracy": round(float((first == truth).mean()), 4),
        "macro_f1": round(float(f1_score(truth, first, average="macro", zero_division=0)), 4),
        "top3_accuracy": round(float(top3.mean()), 4),
        "auto_threshold": _round(model.threshold, 6),
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
    }


def _round(value: float, digits: int = 4) -> float | None:
    return round(value, digits) if np.isfinite(value) else None
