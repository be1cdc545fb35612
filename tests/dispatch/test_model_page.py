"""The dispatch model's admin page showed its metrics as raw JSON ({"n_splits": 3,
"oof_accuracy": 0.9173427991886409, …}). Ada reads them as a table, each figure named, and can
still download the JSON."""

from __future__ import annotations

import json

from django.urls import reverse

from hotline.dispatch.models import DispatchModel, Prediction
from hotline.org.models import User
from tests.orders.factory import new_order

METRICS = {
    "n_splits": 3,
    "oof_accuracy": 0.9173427991886409,
    "oof_top3_accuracy": 0.9381338742393509,
    "threshold": 0.34862049519735944,
    "oof_auto_coverage": 0.927315753887762,
    "oof_auto_precision": 0.9801312431644186,
    "seconds": 3.94,
    "timings": {"grid": 1.93, "final": 0.57},
    "first_level": {
        "method": "separate",
        "oof_accuracy": 0.9254563894523327,
        "oof_top3_accuracy": 0.9528397565922921,
        "threshold": 0.381142100870173,
        "oof_auto_coverage": 0.9330628803245437,
        "oof_auto_precision": 0.980072463768116,
        "labels": 46,
    },
}


def test_the_metrics_are_a_table_and_the_json_downloads(client, district):
    model = DispatchModel.objects.create(version="v7", training_size=1972, metrics=METRICS)
    client.force_login(User.objects.create_superuser("root", password="pw"))

    html = client.get(
        reverse("admin:dispatch_dispatchmodel_change", args=[model.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert '<table class="model-metrics">' in html
    assert "oof_accuracy" not in html and "0.9173427991886409" not in html
    assert "Accuracy (cross-validated)" in html and "91.7%" in html and "92.5%" in html
    assert "Of those, dispatched right" in html and "98.0%" in html
    assert "0.3486" in html and "3.9 s" in html and "a model of its own" in html
    link = reverse("admin:dispatch_dispatchmodel_metrics", args=[model.pk])
    assert link in html

    download = client.get(link)
    assert download["Content-Disposition"] == 'attachment; filename="v7-metrics.json"'
    assert json.loads(download.content) == METRICS


def test_the_metrics_read_in_chinese_by_default(client, district):
    model = DispatchModel.objects.create(version="v7", training_size=1972, metrics=METRICS)
    client.force_login(User.objects.create_superuser("root", password="pw"))
    html = client.get(
        reverse("admin:dispatch_dispatchmodel_change", args=[model.pk]),
    ).content.decode()
    assert "准确率（交叉验证）" in html and "其中派对的占比" in html and "3.9 秒" in html
    assert "参数选择 1.9 秒" in html and "单独建模" in html


def test_no_json_for_a_model_that_is_not_there(client, district):
    client.force_login(User.objects.create_superuser("root", password="pw"))
    assert (
        client.get(reverse("admin:dispatch_dispatchmodel_metrics", args=[999])).status_code == 404
    )


def test_a_prediction_shows_its_suggestions_by_name(client, district):
    # The prediction's page showed [["jnl-01", 0.62], ["jnl", 0.3]] as stored.
    d = district
    prediction = Prediction.objects.create(
        order=new_order(d),
        model_version="v7",
        top=[[d.neighbourhood.code, 0.62], [d.street.code, 0.3]],
        confidence=0.62,
        first_level=[[d.street.code, 0.92]],
        first_level_confidence=0.92,
    )
    client.force_login(User.objects.create_superuser("root", password="pw"))
    html = client.get(
        reverse("admin:dispatch_prediction_change", args=[prediction.pk])
    ).content.decode()
    assert f"三和花园居委会 ({d.neighbourhood.code}) 62.0%" in html
    assert f"江宁路街道 ({d.street.code}) 92.0%" in html
    assert "[[" not in html
