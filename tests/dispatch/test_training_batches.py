"""Training's fits packed into fewer rounds of the worker processes (issue 16 item 5): the grid's
last setting and the first level's folds run in one batch, the same fits as one at a time, and
the workers are ended before the final SVMs."""

from __future__ import annotations

import math

import numpy as np
from joblib.externals.loky import reusable_executor

from hotline.dispatch import classifier
from hotline.dispatch.classifier import MAX_CHARS, DispatchClassifier, _folds, _Prefetched
from hotline.dispatch.linear import fold_scores, svm_for
from hotline.dispatch.text import TextFeatures, prepare
from tests.dispatch.test_two_levels import TREE


def _batches(monkeypatch) -> list[int]:
    """Records the number of fits in each call to the worker processes."""
    sizes: list[int] = []
    fits = DispatchClassifier._fits

    def counted(self, tasks):
        tasks = list(tasks)
        sizes.append(len(tasks))
        return fits(self, tasks)

    monkeypatch.setattr(DispatchClassifier, "_fits", counted)
    return sizes


def test_the_grid_chooses_as_fold_by_fold_successive_halving_does(complaints):
    texts, labels = complaints
    model = DispatchClassifier().fit(texts, labels, first_level_of=TREE)

    # The reference: every surviving setting fitted on each fold in turn, the better half kept.
    classes, y = np.unique(np.array(labels, dtype=object), return_inverse=True)
    folds = _folds(y, 5, 0)
    built = TextFeatures.fit_sizes(prepare([t[:MAX_CHARS] for t in texts]), [2, 3], 0.7)
    matrices = {2: built[0][1], 3: built[1][1]}
    alive = list(classifier.DEFAULT_GRID)
    hits: dict[classifier.Params, list[float]] = {p: [] for p in alive}
    oof = np.zeros((len(y), len(classes)))
    for train, test in folds:
        for p in alive:
            scores = fold_scores(matrices[p.char_ngram_max], train, test, y, len(classes), p.C)
            hits[p].append(float((scores.argmax(axis=1) == y[test]).mean()))
            if len(alive) == 1:
                oof[test] = scores
        ranked = sorted(alive, key=lambda p: -np.mean(hits[p]))
        kept = set(ranked[: max(1, math.ceil(len(alive) / 2))])
        alive = [p for p in alive if p in kept]

    assert model.params == alive[0]
    assert [(row["folds"], row["cv_accuracy"]) for row in model.report.grid] == [
        (len(hits[p]), float(np.mean(hits[p]))) for p in classifier.DEFAULT_GRID
    ]
    # This data's halving: n≤2 C=1 wins, the others drop out after 1–3 folds.
    assert [row["folds"] for row in model.report.grid] == [5, 3, 2, 1, 1, 1]
    best = next(row for row in model.report.grid if "oof_accuracy" in row)
    assert best["oof_accuracy"] == model.report.oof_accuracy


def test_the_first_level_s_folds_go_with_the_grid_s_last_fits_and_give_what_it_fits(
    monkeypatch, complaints
):
    sizes = _batches(monkeypatch)
    batched = DispatchClassifier().fit(*complaints, first_level_of=TREE)
    # 240 texts, five folds: 6 settings, 3, 2, then the winner's last two folds with the first
    # level's five in one batch (was 6, 3, 2, 1, 1, 5: one worker idle in three rounds), then
    # the final unit SVM.
    assert sizes == [6, 3, 2, 2 + 5, 1]

    sizes.clear()
    monkeypatch.setattr(DispatchClassifier, "_first_level_fold_tasks", lambda *args: [])
    alone = DispatchClassifier().fit(*complaints, first_level_of=TREE)
    assert sizes == [6, 3, 2, 2, 1, 5]  # the first level fitted its own folds
    assert batched.first_level.figures == alone.first_level.figures
    assert batched.first_level.threshold == alone.first_level.threshold
    assert batched.threshold == alone.threshold
    np.testing.assert_array_equal(batched._svm.coef_, alone._svm.coef_)


def test_settings_chosen_on_a_sample_score_the_winner_with_the_first_level(monkeypatch, complaints):
    monkeypatch.setattr(classifier, "FEW_FOLDS_ABOVE", 100)
    monkeypatch.setattr(classifier, "GRID_SAMPLE", 120)
    sizes = _batches(monkeypatch)
    model = DispatchClassifier().fit(*complaints, first_level_of=TREE)
    # Settings on 120 texts in three folds (6, 3, 2), then the winner's three folds of all 240
    # with the first level's three, then the final unit SVM.
    assert sizes == [6, 3, 2, 3 + 3, 1]
    assert model.report.n_splits == 3


def test_a_task_not_run_beforehand_is_run():
    from joblib import delayed

    ran: list[int] = []

    def run(tasks):
        tasks = list(tasks)
        ran.append(len(tasks))
        return [f(*a, **k) for f, a, k in tasks]

    rows = np.arange(4)
    before = [delayed(np.sum)(rows), delayed(np.max)(rows)]
    prefetched = _Prefetched(before, ["sum, kept", "max, kept"], run)
    asked = [delayed(np.max)(np.arange(4)), delayed(np.min)(rows + 1), delayed(np.sum)(rows)]
    assert prefetched(asked) == ["max, kept", 1, "sum, kept"]
    assert ran == [1]  # only the minimum was computed


def test_the_worker_processes_end_before_the_final_svms(monkeypatch, complaints):
    # A history larger than cross-validation's sample: the final SVMs learn in this process.
    monkeypatch.setattr(classifier, "CV_SAMPLE", 200)
    seen: list[bool] = []
    fit_final = DispatchClassifier._fit_final

    def final(self, *args):
        executor = reusable_executor._executor
        seen.append(executor is None or bool(executor._flags.shutdown))
        return fit_final(self, *args)

    monkeypatch.setattr(DispatchClassifier, "_fit_final", final)
    model = DispatchClassifier(n_jobs=2, n_splits=3).fit(*complaints, first_level_of=TREE)
    assert seen == [True]
    assert model.training_size == 240
    # A later training starts new workers.
    assert DispatchClassifier(n_jobs=2, n_splits=3).fit(*complaints).params == model.params


def test_the_final_unit_svm_started_after_the_grid_is_the_seeded_fit_on_every_text(
    monkeypatch, complaints
):
    texts, labels = complaints
    model = DispatchClassifier(n_splits=3, random_state=3).fit(texts, labels, first_level_of=TREE)
    _, y = np.unique(np.array(labels, dtype=object), return_inverse=True)
    matrix = model._features.transform(prepare([t[:MAX_CHARS] for t in texts]))
    expected = svm_for(model.params.C, 3).fit(matrix.astype(np.float64), y)
    np.testing.assert_array_equal(model._svm.coef_, expected.coef_)
    np.testing.assert_array_equal(model._svm.intercept_, expected.intercept_)
    assert model._final_unit is None
    assert reusable_executor._executor is None or reusable_executor._executor._flags.shutdown
