"""The auto-dispatch threshold chosen on cross-fitted confidences, where the right one is known."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hotline.dispatch import confidence


def predictions(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """One informative signal, spread over [0, 1], and a prediction right with that probability;
    two more signals that are noise. Precision above a signal value t is (1 + t) / 2."""
    rng = np.random.default_rng(seed)
    signal = rng.uniform(0.0, 1.0, n)
    rows = np.c_[signal, rng.normal(size=n), rng.uniform(size=n)]
    return rows, rng.uniform(0, 1, n) < signal


def test_the_cross_fitted_threshold_keeps_the_target_on_new_predictions():
    rows, correct = predictions(20_000, seed=1)
    threshold, pooled = confidence.cross_fitted_threshold(rows, correct, 0.95)
    assert pooled.shape == (confidence.THRESHOLD_REPEATS * 20_000,)
    # 0.95 needs the signal above 0.9: a tenth of the predictions.
    model = confidence.fit(rows, correct)
    new_rows, new_correct = predictions(20_000, seed=2)
    auto = confidence.apply(model, new_rows) >= threshold
    assert 0.07 <= auto.mean() <= 0.13
    assert new_correct[auto].mean() >= 0.93
    assert new_rows[auto, 0].min() >= 0.85


def test_an_unreachable_target_dispatches_nothing():
    rows, correct = predictions(2_000, seed=3)
    threshold, _ = confidence.cross_fitted_threshold(rows, correct, 1.0)
    assert threshold == math.inf


def test_all_right_predictions_need_no_model():
    rows, _ = predictions(200, seed=4)
    threshold, pooled = confidence.cross_fitted_threshold(rows, np.ones(200, dtype=bool), 0.98)
    assert confidence.fit(rows, np.ones(200, dtype=bool)) is None
    # Without a model the confidence is the first signal; every prediction clears the bar.
    assert threshold == rows[:, 0].min()
    assert len(pooled) == 200


def test_signals_hold_margins_support_and_length():
    probabilities = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]])
    knn = np.array([[1.0, 0.0, 0.0], [0.5, 0.0, 0.5]])
    rows = confidence.signals(
        probabilities,
        np.log(probabilities),
        knn,
        nearest=np.array([0.9, 0.4]),
        support=np.array([100.0, 10.0, 1.0]),
        lengths=np.array([30.0, 300.0]),
        group_probability=np.array([0.9, 0.6]),
    )
    np.testing.assert_allclose(rows[:, 0], [0.7, 0.6])  # the top probability
    np.testing.assert_allclose(rows[:, 2], [0.5, 0.3])  # the margin to the second
    np.testing.assert_allclose(rows[:, 5], [1.0, 0.5])  # the neighbours agreeing
    np.testing.assert_allclose(rows[:, 8], np.log1p([100.0, 1.0]))  # the top label's support
    np.testing.assert_allclose(rows[:, 9], np.log1p([30.0, 300.0]))
    np.testing.assert_allclose(rows[:, 10], [0.9, 0.6])


def test_the_margin_asks_the_lower_bound_to_reach_the_target():
    rows, correct = predictions(5_000, seed=5)
    confidences = rows[:, 0]
    plain = confidence.choose_threshold(confidences, correct, 0.9)
    careful = confidence.choose_threshold(confidences, correct, 0.9, bound_z=1.645)
    # The margin dispatches less, and what it dispatches clears the bar with room to spare.
    assert careful > plain
    auto = confidences >= careful
    hits, n = correct[auto].sum(), auto.sum()
    assert confidence.wilson_lower_bound(hits, n, 1.645) >= 0.9
    assert hits / n > 0.9


def test_the_margin_counts_each_pooled_prediction_once():
    rows, correct = predictions(3_000, seed=6)
    once = confidence.choose_threshold(rows[:, 0], correct, 0.9, bound_z=1.645)
    pooled = confidence.choose_threshold(
        np.tile(rows[:, 0], 3),
        np.tile(correct, 3),
        0.9,
        min_support=3 * confidence.MIN_SUPPORT,
        bound_z=1.645,
        repeats=3,
    )
    assert pooled == once


def test_the_wilson_bound_narrows_as_the_evidence_grows():
    assert confidence.wilson_lower_bound(98, 100, 0.0) == 0.98
    few = confidence.wilson_lower_bound(49, 50, 1.645)
    many = confidence.wilson_lower_bound(980, 1000, 1.645)
    assert few < many < 0.98
    # 20 of 20 right is not proof of perfection.
    assert confidence.wilson_lower_bound(20, 20, 1.645) < 0.9


def test_a_label_often_confused_is_trusted_less():
    # Label 0 (a bureau) is right 9 times in 10; label 1 (its section) 1 time in 2; label 2
    # was never suggested.
    predicted = np.array([0] * 10 + [1] * 4)
    correct = np.array([True] * 9 + [False] + [True, False, True, False])
    table, held_out = confidence.label_precision(predicted, correct, 3)
    assert table[0] > table[2] > table[1]  # the unseen label sits at the overall rate
    assert table[2] == pytest.approx(correct.mean())
    assert held_out.shape == predicted.shape


def test_a_predictions_own_outcome_is_not_in_its_signal():
    rng = np.random.default_rng(7)
    predicted = rng.integers(0, 4, 400)
    correct = rng.uniform(size=400) < 0.8
    _, held_out = confidence.label_precision(predicted, correct, 4)
    for row in (0, 1, 2):
        flipped = correct.copy()
        flipped[row] = not flipped[row]
        _, again = confidence.label_precision(predicted, flipped, 4)
        assert again[row] == held_out[row]
    # Within a label, right and wrong rows do not differ on average (no leak to learn from).
    label = predicted == 0
    assert abs(held_out[label & correct].mean() - held_out[label & ~correct].mean()) < 0.02


def test_the_margin_is_the_narrowest_that_keeps_the_target_held_out():
    rows, correct = predictions(4_000, seed=8)
    pooled = confidence.cross_fitted_confidences(rows, correct)
    choice = confidence.choose_margin(pooled, correct, 0.95)
    assert set(choice.figures) == set(confidence.MARGINS)
    kept = [z for z, (_, precision) in choice.figures.items() if precision >= 0.95]
    assert choice.bound_z == min(kept)
    # A wider margin dispatches less.
    coverage = [choice.figures[z][0] for z in sorted(confidence.MARGINS)]
    assert coverage == sorted(coverage, reverse=True)
    # The threshold at that margin keeps the target on new predictions, within their sampling
    # error (about 0.005 for the 2,000 or so dispatched).
    threshold = confidence.pooled_threshold(pooled, correct, 0.95, choice.bound_z)
    new_rows, new_correct = predictions(20_000, seed=9)
    auto = confidence.apply(confidence.fit(rows, correct), new_rows) >= threshold
    assert new_correct[auto].mean() >= 0.935
    assert 0.05 <= auto.mean() <= 0.13


def test_when_no_margin_keeps_the_target_the_widest_is_kept():
    rows, correct = predictions(2_000, seed=10)
    pooled = confidence.cross_fitted_confidences(rows, correct)
    choice = confidence.choose_margin(pooled, correct, 1.0)
    assert choice.bound_z == max(confidence.MARGINS)
    assert confidence.pooled_threshold(pooled, correct, 1.0, choice.bound_z) == math.inf


def test_a_trained_model_reads_the_neighbours_and_reports_its_margin(trained):
    assert trained._neighbour_signals
    assert trained._label_precision is not None
    assert trained.report.margin in confidence.MARGINS
    [prediction] = trained.predict(["幸福小区电梯经常故障，希望尽快处理。"])
    assert 0.0 <= prediction.confidence <= 1.0
