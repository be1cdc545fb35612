"""Registering an order through the API (operators and dispatchers)."""

from __future__ import annotations

import pytest
import time_machine

from hotline.orders.models import Event, WorkOrder
from tests.api.conftest import error_of
from tests.conftest import at

FULL = {
    "title": "路灯不亮",
    "description": "江宁路昌平路口的路灯连续三晚不亮。",
    "channel": "phone",
    "citizen_name": "张先生",
    "citizen_phone": "13812345678",
    "citizen_email": "zhang@example.cn",
    "address": "静安区江宁路 500 号",
    "street": "jnl",
    "community": "jnl-01",
    "latitude": 31.2304,
    "longitude": 121.4737,
    "category": "cxjs-szss-ldps",
    "urgency": "urgent",
    "kind": "complaint",
}


def test_operator_registers_an_order(api, district):
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        response = api(district.olga).post("/orders", FULL)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == "20230309-000001"
    assert body["state"] == "registered"
    assert body["version"] == 1
    assert body["registered_by"] == "olga"
    for name in ("title", "channel", "citizen_phone", "citizen_email", "street", "community"):
        assert body[name] == FULL[name]
    assert (body["latitude"], body["longitude"]) == (31.2304, 121.4737)
    assert (body["urgency"], body["kind"], body["category"]) == (
        "urgent",
        "complaint",
        "cxjs-szss-ldps",
    )
    order = WorkOrder.objects.get(number=body["number"])
    assert order.street == district.street and order.category == district.category
    assert Event.objects.get(order=order).action == "register"


def test_minimal_registration_defaults_to_the_api_channel(api, district):
    response = api(district.dan).post("/orders", {"title": "噪音", "description": "夜间施工"})
    assert response.status_code == 201
    body = response.json()
    assert (body["channel"], body["urgency"], body["kind"]) == ("api", "normal", "help")
    assert body["category"] is None and body["category_path"] == ""


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": None}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"description": "  "}, "description"),
        ({"citizen_phone": "call me"}, "citizen_phone"),
        ({"citizen_email": "not-an-address"}, "citizen_email"),
        ({"category": "nope"}, "category"),
        ({"street": "nope"}, "street"),
        ({"community": "nope"}, "community"),
        ({"urgency": "whenever"}, "urgency"),
        ({"kind": "rant"}, "kind"),
        ({"channel": "pigeon"}, "channel"),
        ({"latitude": 91}, "latitude"),
        ({"longitude": "east"}, "longitude"),
        ({"anonymous": "maybe"}, "anonymous"),
        ({"priority": "high"}, "priority"),
    ],
)
def test_invalid_registration_is_refused_and_saves_nothing(api, district, changes, field):
    response = api(district.olga).post("/orders", {**FULL, **changes})
    assert response.status_code == 422, response.content
    body = error_of(response)
    assert (body["error"], body["field"]) == ("invalid_input", field)
    assert not WorkOrder.objects.exists()


def test_missing_title_is_named(api, district):
    response = api(district.olga).post("/orders", {"description": "d"})
    assert response.status_code == 422
    assert error_of(response)["field"] == "title"
