"""The classifier on generated complaints: it learns the units, ranks and calibrates sensibly."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from hotline.dispatch.classifier import DispatchClassifier, Params
from tests.dispatch import synthetic

CREATED = dt.datetime(2024, 3, 9, 10, 0, tzinfo=dt.UTC)


def accuracy(model: DispatchClassifier, texts: list[str], labels: list[str]) -> float:
    hits = [p.label == y for p, y in zip(model.predict(texts), labels, strict=True)]
    return sum(hits) / len(hits)


def test_it_learns_which_unit_handles_which_complaint(trained, new_complaints):
    texts, labels = new_complaints
    # Six units: chance is 1/6; the issue words decide the unit.
    assert accuracy(trained, texts, labels) >= 0.9


def test_it_learns_nothing_from_shuffled_labels(complaints, new_complaints):
    texts, labels = complaints
    shuffled = labels[1:] + labels[:1]  # the same label counts, tied to the wrong texts
    model = DispatchClassifier(grid=[Params()], n_splits=3).fit(texts, shuffled)
    assert accuracy(model, *new_complaints) < 0.5


def test_suggestions_are_ranked_and_probabilities_sum_to_at_most_one(trained, new_complaints):
    for prediction in trained.predict(new_complaints[0][:20], k=3):
        probabilities = [p for _, p in prediction.suggestions]
        assert len(prediction.suggestions) == 3
        assert len({label for label, _ in prediction.suggestions}) == 3
        assert probabilities == sorted(probabilities, reverse=True)
        assert all(0.0 <= p <= 1.0 for p in probabilities)
        assert sum(probabilities) <= 1.0 + 1e-9
        assert 0.0 <= prediction.confidence <= 1.0
        assert prediction.auto == (prediction.confidence >= trained.threshold)


def test_predict_top_gives_label_probability_pairs(trained):
    [top] = trained.predict_top(["幸福小区电梯经常故障，希望尽快处理。"], k=2)
    assert top[0][0] == "区住房和城乡建设局"
    assert len(top) == 2


def test_traditional_and_simplified_texts_get_the_same_unit(trained):
    simplified = [
        "人民路饭店油烟扰民，已经很久了。",
        "学校门口出租车拒载，要求给个说法。",
        "来电人称公司拖欠工资，请有关部门管一管。",
        "菜市场旁边超市卖过期食品。",
    ]
    traditional = [
        "人民路飯店油煙擾民，已經很久了。",
        "學校門口計程車拒載，要求給個說法。",
        "來電人稱公司拖欠工資，請有關部門管一管。",
        "菜市場旁邊超市賣過期食品。",
    ]
    for s, t in zip(trained.predict(simplified), trained.predict(traditional), strict=True):
        assert s.label == t.label


def test_confident_suggestions_are_dispatched_automatically(trained, new_complaints):
    texts, labels = new_complaints
    predictions = trained.predict(texts)
    auto = [p.label == y for p, y in zip(predictions, labels, strict=True) if p.auto]
    assert math.isfinite(trained.threshold)
    assert auto, "a clean, learnable set should be dispatched automatically in part"
    assert sum(auto) / len(auto) >= 0.95


def test_save_and_load_give_the_same_predictions(trained, new_complaints, tmp_path):
    meta = trained.save(tmp_path / "model", CREATED)
    loaded = DispatchClassifier.load(tmp_path / "model")
    texts = new_complaints[0]
    assert loaded.predict(texts) == trained.predict(texts)
    assert meta["version"].startswith("20240309T100000Z-")
    assert meta["training_size"] == 240
    assert sorted(meta["labels"]) == sorted(synthetic.UNITS)
    assert meta["libraries"]["scikit-learn"]
    assert 0.9 <= meta["metrics"]["oof_accuracy"] <= 1.0


def test_a_model_from_another_scikit_learn_is_refused(trained, tmp_path):
    trained.save(tmp_path / "model", CREATED)
    meta_file = tmp_path / "model" / "metadata.json"
    meta_file.write_text(meta_file.read_text().replace('"scikit-learn": "', '"scikit-learn": "0.'))
    with pytest.raises(ValueError, match="train a new model"):
        DispatchClassifier.load(tmp_path / "model")


def test_training_needs_two_labels():
    with pytest.raises(ValueError, match="two labels"):
        DispatchClassifier().fit(["a", "b", "c"], ["x", "x", "x"])


def test_a_unit_with_a_single_example_still_trains(complaints):
    texts, labels = complaints
    model = DispatchClassifier(grid=[Params()], n_splits=3).fit(
        [*texts, "图书馆空调太冷"], [*labels, "区文化和旅游局"]
    )
    assert "区文化和旅游局" in set(model.classes_)
    assert model.temperature > 0.1  # the unseen-in-fold example does not flatten the calibration
