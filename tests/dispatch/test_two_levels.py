"""Two-level dispatch (二级派单): the model suggests the first-level unit with its own confidence,
and ``evaluate --units`` reports the first level."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.special import softmax

from hotline.dispatch import classifier, levels
from hotline.dispatch.classifier import DispatchClassifier
from hotline.dispatch.evaluate import evaluate
from hotline.dispatch.linear import decision_scores
from hotline.dispatch.text import keep_strongest, prepare
from tests.dispatch import synthetic

#: Six units under three first-level units; 区住房和城乡建设局 is not listed, so it is its own.
TREE = {
    "区城管局": "区城市运行管理中心",
    "区交通运输局": "区城市运行管理中心",
    "区生态环境局": "区城市运行管理中心",
    "区人力资源和社会保障局": "区民生服务中心",
    "区市场监督管理局": "区民生服务中心",
}
FIRST_LEVEL_KEYS = {"accuracy", "top3_accuracy", "auto_coverage", "auto_precision"}


def parent(unit: str) -> str:
    return TREE.get(unit, unit)


@pytest.fixture(scope="module")
def two_level(complaints) -> DispatchClassifier:
    return DispatchClassifier(n_splits=3, target_precision=0.95).fit(
        *complaints, first_level_of=TREE
    )


@pytest.fixture
def units_csv(tmp_path):
    path = tmp_path / "units.csv"
    lines = ["unit,first_level_unit", *(f"{u},{p}" for u, p in TREE.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_suggestions_name_the_first_level_unit(two_level, new_complaints):
    texts, labels = new_complaints
    predictions = two_level.predict(texts, k=3)
    hits = [p.first_level_label == parent(y) for p, y in zip(predictions, labels, strict=True)]
    assert sum(hits) / len(hits) >= 0.9
    [prediction] = two_level.predict(["幸福小区电梯经常故障，希望尽快处理。"])
    assert prediction.first_level[0][0] == "区住房和城乡建设局"
    # Three first-level units: k=3 lists them all, probabilities summing to one.
    assert len(prediction.first_level) == 3
    assert sum(p for _, p in prediction.first_level) == pytest.approx(1.0)
    assert 0.0 <= prediction.first_level_confidence <= 1.0


def test_a_sub_unit_is_dispatched_only_under_the_suggested_first_level_unit(
    two_level, new_complaints
):
    for p in two_level.predict(new_complaints[0]):
        if p.auto:
            assert parent(p.label) == p.first_level_label
            assert p.confidence >= two_level.threshold
        assert p.first_level_auto == (p.first_level_confidence >= two_level.first_level.threshold)


def test_the_first_level_method_is_chosen_by_cross_validation(two_level):
    figures = two_level.report.first_level
    methods = {"roll_up", "separate", "combined"}
    assert figures["method"] in methods
    assert set(figures["cv_accuracy_by_method"]) == set(figures["cv_top3_accuracy_by_method"])
    assert set(figures["cv_accuracy_by_method"]) == methods
    chosen = figures["method"]
    # The chosen method has the best accuracy plus top-3 accuracy of the three.
    total = {
        m: figures["cv_accuracy_by_method"][m] + figures["cv_top3_accuracy_by_method"][m]
        for m in methods
    }
    assert total[chosen] == max(total.values())
    # With a naive Bayes vote blended in, the calibration saw the blend (test below).
    vote = figures["vote"]
    own = vote["cv_accuracy"] if vote else figures["cv_accuracy_by_method"][chosen]
    assert figures["oof_accuracy"] == own
    assert figures["labels"] == 3


def test_a_model_without_a_tree_has_no_first_level(trained):
    [prediction] = trained.predict(["幸福小区电梯经常故障"])
    assert prediction.first_level == [] and prediction.first_level_label is None
    assert trained.report.first_level is None


def test_the_first_level_survives_save_and_load(two_level, tmp_path):
    meta = two_level.save(tmp_path / "m", dt.datetime(2024, 3, 9, tzinfo=dt.UTC))
    assert sorted(meta["first_level_labels"]) == sorted({parent(u) for u in synthetic.UNITS})
    loaded = DispatchClassifier.load(tmp_path / "m")
    [a] = loaded.predict(["菜市场旁边超市卖过期食品"])
    [b] = two_level.predict(["菜市场旁边超市卖过期食品"])
    assert a.first_level == b.first_level
    assert a.first_level_label == "区民生服务中心"


def test_evaluate_reports_the_first_level(tmp_path, complaints, new_complaints, units_csv):
    train = synthetic.write_csv(tmp_path / "train.csv", *complaints)
    test = synthetic.write_csv(tmp_path / "test.csv", *new_complaints)
    result = evaluate(train, test, target_precision=0.95, units_csv=units_csv)
    first = result["first_level"]
    assert set(first) >= FIRST_LEVEL_KEYS
    json.loads(json.dumps(result))  # plain JSON
    # Confusing two units under one parent is no error at the first level.
    assert first["accuracy"] >= result["accuracy"]
    assert first["top3_accuracy"] == 1.0  # three first-level units: the top three are all
    assert first["n_labels"] == 3
    # The naive Bayes vote cross-validation chose, with its OOF figures, or None.
    vote = first["vote"]
    assert vote is None or set(vote) == {
        "alpha",
        "temperature",
        "weight",
        "cv_accuracy",
        "cv_top3_accuracy",
    }
    assert "first_level" not in evaluate(train, test, target_precision=0.95)


def test_a_long_text_keeps_its_strongest_terms():
    matrix = sp.csr_matrix(np.array([[0.1, 0.5, 0.0, 0.2, 0.4], [0.3, 0.0, 0.0, 0.0, 0.6]]))
    pruned = keep_strongest(matrix, 2)
    # The first row keeps 0.5 and 0.4, rescaled to its former length; the second is unchanged.
    np.testing.assert_allclose(
        pruned.toarray()[0], np.array([0, 0.5, 0, 0, 0.4]) * np.sqrt(0.46 / 0.41), rtol=1e-6
    )
    np.testing.assert_allclose(pruned.toarray()[1], [0.3, 0, 0, 0, 0.6])


def test_a_large_history_is_cross_validated_on_samples(monkeypatch, complaints, new_complaints):
    # "Large" shrunk to this set's size: settings on 120 texts, calibration on 200, all 240 learnt.
    monkeypatch.setattr(classifier, "FEW_FOLDS_ABOVE", 100)
    monkeypatch.setattr(classifier, "GRID_SAMPLE", 120)
    monkeypatch.setattr(classifier, "CV_SAMPLE", 200)
    said: list[str] = []
    model = DispatchClassifier(progress=said.append).fit(*complaints, first_level_of=TREE)
    assert model.report.n_splits == 3
    assert model.training_size == 240
    assert any("sample of 120" in line for line in said)
    assert any("cross-validation on a stratified sample of 204" in line for line in said)
    texts, labels = new_complaints
    hits = [p.label == y for p, y in zip(model.predict(texts), labels, strict=True)]
    assert sum(hits) / len(hits) >= 0.9


def test_a_naive_bayes_vote_is_blended_into_the_first_level_and_saved(
    complaints, monkeypatch, tmp_path
):
    # The vote is chosen on the OOF predictions as the method is; forced here so that the test
    # sees one whatever the synthetic orders would choose.
    monkeypatch.setattr(levels, "choose_vote", lambda without, hits: (0.01, 0.5, 0.3))
    model = DispatchClassifier(n_splits=3, target_precision=0.95).fit(
        *complaints, first_level_of=TREE
    )
    level, figures = model.first_level, model.report.first_level
    assert {k: figures["vote"][k] for k in ("alpha", "temperature", "weight")} == {
        "alpha": 0.01,
        "temperature": 0.5,
        "weight": 0.3,
    }
    # The calibration saw the blended OOF probabilities.
    assert figures["oof_accuracy"] == figures["vote"]["cv_accuracy"]

    texts = ["菜市场旁边超市卖过期食品", "小区门口道路破损积水", "社保卡补办要带什么材料"]
    matrix = model._features.transform(prepare(texts))
    scores = decision_scores(model._svm, matrix, len(model.classes_))
    units = softmax(scores * model.temperature, axis=1)
    blended = level.probabilities(units, matrix)
    vote = softmax(level.naive_bayes.log_probabilities(matrix) * 0.5, axis=1)
    level.vote_weight = 0.0
    alone = level.probabilities(units, matrix)
    level.vote_weight = 0.3
    assert np.allclose(blended, 0.7 * alone + 0.3 * vote) and not np.allclose(blended, alone)

    model.save(tmp_path / "m", dt.datetime(2024, 3, 9, tzinfo=dt.UTC))
    loaded = DispatchClassifier.load(tmp_path / "m")
    assert [p.first_level for p in loaded.predict(texts)] == [
        p.first_level for p in model.predict(texts)
    ]
    # A model saved before the vote existed has none (the class's defaults).
    del level.naive_bayes, level.vote_weight
    assert np.allclose(level.probabilities(units, matrix), alone)
