"""``hotline dispatch evaluate | train | predict``."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.dispatch import synthetic


def run(*args: str) -> dict:
    out = io.StringIO()
    call_command("dispatch", *args, stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1, "one JSON line"
    return json.loads(lines[0])


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def test_evaluate_prints_one_json_line(tmp_path, complaints, new_complaints):
    train = synthetic.write_csv(tmp_path / "train.csv", *complaints)
    test = synthetic.write_csv(tmp_path / "test.csv", *new_complaints)
    result = run("evaluate", "--train", str(train), "--test", str(test))
    assert result["accuracy"] >= 0.9
    assert "auto_coverage" in result


def test_a_model_trained_from_csv_answers_predict(db, data_dir, complaints):
    csv_file = synthetic.write_csv(data_dir / "history.csv", *complaints)
    trained = run("train", "--csv", str(csv_file))
    assert (data_dir / "models" / "dispatch" / trained["version"] / "model.joblib").is_file()
    assert trained["training_size"] == 240

    answer = run("predict", "來電人稱公司拖欠工資")
    assert answer["version"] == trained["version"]
    assert answer["suggestions"][0]["label"] == "区人力资源和社会保障局"
    assert len(answer["suggestions"]) == 3


def test_predict_without_a_model_says_so(db, data_dir):
    with pytest.raises(CommandError, match="请先训练一个"):  # the hotline's language
        call_command("dispatch", "predict", "楼顶漏水")


def test_training_from_an_empty_database_says_what_to_do(db, data_dir):
    with pytest.raises(CommandError, match="--csv"):
        call_command("dispatch", "train")
