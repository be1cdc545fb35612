"""After registration the active model's prediction is stored; with ``AUTO_DISPATCH`` on and a
confidence at or above the model's threshold, the system dispatches the order itself."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from hotline.dispatch import services
from hotline.dispatch.models import DispatchModel, Prediction
from hotline.orders.models import Action, State, WorkOrder
from tests.dispatch.history import register

WAGES = "公司拖欠工资，已经三个月没发了，要求给个说法。"  # 区人力资源和社会保障局 = b4


def test_the_prediction_is_stored_with_its_version(district, active_model):
    order = register(district, WAGES)
    prediction = services.predict_and_maybe_dispatch(order)

    stored = Prediction.objects.get(order=order, target="unit")
    assert prediction == stored
    assert stored.model_version == active_model.version
    assert stored.predicted == "b4" and len(stored.top) == 3
    assert 0.0 <= stored.confidence <= 1.0 and not stored.auto_dispatched
    order.refresh_from_db()
    assert order.state == State.REGISTERED  # AUTO_DISPATCH is off by default


@override_settings(AUTO_DISPATCH=True)
def test_a_confident_prediction_is_dispatched_by_the_system(district, active_model, units):
    DispatchModel.objects.filter(pk=active_model.pk).update(threshold=0.0)
    order = register(district, WAGES)
    prediction = services.predict_and_maybe_dispatch(order)

    order.refresh_from_db()
    assert order.state == State.DISPATCHED and order.lead_unit == units["b4"]
    event = order.events.get(action=Action.DISPATCH)
    assert event.actor is None
    assert event.payload["auto"] is True
    assert event.payload["model_version"] == active_model.version
    assert prediction is not None and prediction.auto_dispatched
    assert Prediction.objects.get(order=order).auto_dispatched


@override_settings(AUTO_DISPATCH=True)
@pytest.mark.parametrize("threshold", [1.01, None])
def test_below_the_threshold_the_dispatcher_decides(district, active_model, threshold):
    DispatchModel.objects.filter(pk=active_model.pk).update(threshold=threshold)
    order = register(district, WAGES)
    services.predict_and_maybe_dispatch(order)

    order.refresh_from_db()
    assert order.state == State.REGISTERED
    assert not Prediction.objects.get(order=order).auto_dispatched


def test_auto_dispatch_is_off_unless_the_setting_says_so(district, active_model):
    DispatchModel.objects.filter(pk=active_model.pk).update(threshold=0.0)
    order = register(district, WAGES)
    services.predict_and_maybe_dispatch(order)
    order.refresh_from_db()
    assert order.state == State.REGISTERED


@override_settings(AUTO_DISPATCH=True)
def test_without_an_active_model_nothing_happens(district, active_model):
    DispatchModel.objects.update(active=False)
    order = register(district, WAGES)
    assert services.predict_and_maybe_dispatch(order) is None

    order.refresh_from_db()
    assert order.state == State.REGISTERED and not Prediction.objects.exists()
    suggestions = services.suggest(order)
    assert [s["source"] for s in suggestions] == ["category"]  # rules only


@override_settings(AUTO_DISPATCH=True)
def test_registration_through_the_api_dispatches_automatically(api, district, active_model):
    DispatchModel.objects.filter(pk=active_model.pk).update(threshold=0.0)
    response = api(district.olga).post(
        "/orders", {"title": "拖欠工资", "description": WAGES, "citizen_phone": "13800000001"}
    )
    assert response.status_code == 201
    order = WorkOrder.objects.get(number=response.json()["number"])
    assert order.state == State.DISPATCHED and order.lead_unit.code == "b4"


def test_intake_stores_the_prediction(client, district, active_model):
    client.force_login(district.olga)
    response = client.post(
        reverse("intake"),
        {
            "citizen_phone": "13900001111",
            "citizen_name": "李女士",
            "channel": "phone",
            "kind": "complaint",
            "urgency": "normal",
            "title": "拖欠工资",
            "description": WAGES,
            "address": "",
            "category": district.category.pk,
            "answer_text": "",
        },
    )
    assert response.status_code == 302
    order = WorkOrder.objects.get(citizen_phone="13900001111")
    assert Prediction.objects.get(order=order).model_version == active_model.version
