"""``evaluate(train_csv, test_csv)``: every figure the issue asks for, as JSON."""

from __future__ import annotations

import json

import pytest

from hotline.dispatch.evaluate import evaluate, read_labelled_csv
from tests.dispatch import synthetic

KEYS = {
    "accuracy",
    "macro_f1",
    "top3_accuracy",
    "auto_threshold",
    "auto_coverage",
    "auto_precision",
    "train_seconds",
    "predict_ms_per_item",
}


@pytest.fixture
def csv_files(tmp_path, complaints, new_complaints):
    return (
        synthetic.write_csv(tmp_path / "train.csv", *complaints),
        synthetic.write_csv(tmp_path / "test.csv", *new_complaints),
    )


def test_evaluation_reports_every_figure(csv_files):
    result = evaluate(*csv_files, target_precision=0.95)
    assert set(result) >= KEYS
    json.loads(json.dumps(result))  # plain JSON: no NaN, no numpy types
    assert result["accuracy"] >= 0.9
    assert result["top3_accuracy"] >= result["accuracy"]
    assert 0 <= result["auto_coverage"] <= 1
    assert result["n_train"] == 240 and result["n_test"] == 90


def test_a_csv_without_the_label_column_is_refused(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("text,unit\n噪音扰民,区生态环境局\n", encoding="utf-8")
    with pytest.raises(ValueError, match="label"):
        read_labelled_csv(path)
