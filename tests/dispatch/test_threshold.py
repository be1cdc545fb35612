"""Choosing the auto-dispatch threshold for a target precision on held-out predictions."""

from __future__ import annotations

import math

import numpy as np

from hotline.dispatch.classifier import choose_threshold


def calibrated_predictions(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Confidences spread over [0.5, 1]; each prediction is right with that probability."""
    rng = np.random.default_rng(seed)
    confidence = rng.uniform(0.5, 1.0, n)
    return confidence, rng.uniform(0, 1, n) < confidence


def test_the_threshold_holds_the_target_precision_on_new_predictions():
    validation = calibrated_predictions(20_000, seed=1)
    later = calibrated_predictions(20_000, seed=2)
    threshold = choose_threshold(*validation, target_precision=0.95)
    # Precision above t is the mean of U(t, 1), (1 + t) / 2: 0.95 needs t ≈ 0.90.
    assert 0.88 <= threshold <= 0.92
    confidence, correct = later
    auto = confidence >= threshold
    assert correct[auto].mean() >= 0.94
    assert 0.15 <= auto.mean() <= 0.25


def test_the_threshold_dispatches_as_much_as_the_target_allows():
    confidence = [0.99, 0.98, 0.97, 0.96, 0.5, 0.4]
    correct = [True, True, True, False, True, False]
    # Precision at each cut, from the top: 1, 1, 1, 3/4, 4/5, 4/6.
    assert choose_threshold(confidence, correct, 1.0, min_support=1) == 0.97
    assert choose_threshold(confidence, correct, 0.8, min_support=1) == 0.5
    assert choose_threshold(confidence, correct, 0.6, min_support=1) == 0.4


def test_equal_confidences_are_dispatched_together():
    # Cutting between the two 0.9s would claim 100% precision for a set that cannot be split.
    assert choose_threshold([0.95, 0.9, 0.9], [True, True, False], 1.0, min_support=1) == 0.95


def test_no_threshold_when_the_target_is_out_of_reach():
    assert choose_threshold([0.9, 0.8], [False, True], 0.99, min_support=1) == math.inf
    assert choose_threshold([], [], 0.9) == math.inf


def test_a_precision_needs_enough_examples():
    confidence, correct = [0.99] * 10 + [0.5] * 100, [True] * 10 + [False] * 100
    assert choose_threshold(confidence, correct, 0.98, min_support=50) == math.inf
    assert choose_threshold(confidence, correct, 0.98, min_support=10) == 0.99
