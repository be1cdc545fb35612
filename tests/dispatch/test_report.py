"""``hotline dispatch report``: stored predictions vs the units that finally kept the orders."""

from __future__ import annotations

import io
import json

from django.core.management import call_command

from hotline.dispatch.models import DispatchModel, Prediction
from hotline.orders import actions
from tests.dispatch.history import kept, register


def predicted(order, code: str, *, auto: bool = False, version: str = "v1") -> None:
    Prediction.objects.create(
        order=order,
        model_version=version,
        top=[[code, 0.8], ["b5", 0.1], ["b3", 0.05]],
        confidence=0.9 if auto else 0.4,
        auto_dispatched=auto,
    )


def test_the_report_counts_hits_auto_precision_and_confusions(district, units):
    d = district
    DispatchModel.objects.create(version="v1", active=True)
    DispatchModel.objects.create(version="v0")
    # Four orders right (two of them auto-dispatched), three wrong, one never dispatched.
    for code, auto in (("b0", True), ("b0", True), ("b1", False), ("b2", False)):
        order = register(d, f"投诉{code}")
        predicted(order, code, auto=auto)
        actions.dispatch(order, d.dan, lead_unit=units[code])
        kept(order)
    # Auto-dispatched to b0, corrected by Dan to b1.
    wrong_auto = register(d, "投诉")
    predicted(wrong_auto, "b0", auto=True)
    actions.dispatch(wrong_auto, d.dan, lead_unit=units["b0"])
    actions.redispatch(wrong_auto, d.dan, lead_unit=units["b1"], reason="分错了")
    kept(wrong_auto)
    for _ in range(2):  # the model says b2, the dispatcher picks b1
        order = register(d, "投诉")
        predicted(order, "b2")
        actions.dispatch(order, d.dan, lead_unit=units["b1"])
        kept(order)
    predicted(register(d, "还在受理"), "b3")
    # Another version's prediction is left out of v1's report.
    other = register(d, "投诉")
    predicted(other, "b4", version="v0")
    actions.dispatch(other, d.dan, lead_unit=units["b4"])
    kept(other)

    out = io.StringIO()
    call_command("dispatch", "report", "--version", "v1", "--json", stdout=out)
    report = json.loads(out.getvalue())

    assert report["predictions"] == 8 and report["compared"] == 7
    assert report["accuracy"] == round(4 / 7, 4)
    assert report["auto_dispatched"] == 3 and report["auto_precision"] == round(2 / 3, 4)
    assert report["confusions"] == [
        {"predicted": "b2", "final": "b1", "count": 2},
        {"predicted": "b0", "final": "b1", "count": 1},
    ]

    text = io.StringIO()
    call_command("dispatch", "report", stdout=text)
    assert "准确率：62.5%" in text.getvalue()  # both versions: 5 of 8 (zh-Hans, the default)
