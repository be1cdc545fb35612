"""Bad input is a JSON 400 or 422 that names the field — never a 500, and never a change."""

from __future__ import annotations

import pytest
import time_machine

from hotline.orders.models import Event, State, WorkOrder
from tests.api.conftest import BASE, error_of
from tests.conftest import at
from tests.orders.factory import new_order, order_in


@pytest.fixture(autouse=True)
def _thursday_morning():
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        yield


def assert_invalid(response, field: str | None) -> dict:
    assert response.status_code == 422, response.content
    body = error_of(response)
    assert body["error"] == "invalid_input"
    assert body.get("field") == field
    return body


@pytest.mark.parametrize(
    "raw", ["{not json", '{"reason": "x",}', "\xff\xfe", '{"reason": "unterminated']
)
def test_malformed_json_is_a_bad_request(api, district, raw):
    order = order_in(State.ACCEPTED, district)
    response = api(district.una).post(f"/orders/{order.number}/return", raw=raw)
    assert response.status_code == 400
    assert error_of(response)["error"] == "bad_request"


def test_invalid_utf8_body_is_a_bad_request(api, district):
    order = order_in(State.ACCEPTED, district)
    response = api(district.una).post(f"/orders/{order.number}/return", raw=b'{"reason": "\xff"}')
    assert response.status_code == 400
    assert error_of(response)["error"] == "bad_request"


@pytest.mark.parametrize("raw", ["[]", '"reason"', "null", "42"])
def test_a_body_that_is_not_an_object_is_invalid_input(api, district, raw):
    order = order_in(State.ACCEPTED, district)
    response = api(district.una).post(f"/orders/{order.number}/return", raw=raw)
    assert_invalid(response, None)


@pytest.mark.parametrize("raw", ["[]", "42"])
def test_an_optional_body_must_still_be_an_object(api, district, raw):
    order = order_in(State.DISPATCHED, district)
    response = api(district.una).post(f"/orders/{order.number}/accept", raw=raw)
    assert_invalid(response, None)


def test_an_optional_body_is_still_validated(api, district):
    order = order_in(State.DISPATCHED, district)
    response = api(district.una).post(f"/orders/{order.number}/accept", {"version": "latest"})
    body = assert_invalid(response, "version")
    assert body["errors"] == [{"field": "version", "message": body["errors"][0]["message"]}]


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("reply", {"result": "resolved", "text": "ok", "version": "latest"}, "version"),
        ("reply", {"result": "resolved", "text": "ok", "version": -1}, "version"),
        ("reply", {"result": "resolved", "text": ["ok"]}, "text"),
        ("reply", {"result": "fixed", "text": "ok"}, "result"),
        ("reply", {"text": "ok"}, "result"),
        ("reply", {"result": "resolved", "text": "ok", "verison": 3}, "verison"),
        ("reply", {"result": "resolved", "text": "   "}, "text"),
        ("first-contact", {"way": "telepathy"}, "way"),
        ("first-contact", {"way": "phone", "contacted_at": "2023-03-09 09:30"}, "contacted_at"),
        ("first-contact", {"way": "phone", "contacted_at": "soon"}, "contacted_at"),
        ("request-extension", {"days": "three", "reason": "x"}, "days"),
        ("request-extension", {"days": 10**6, "reason": "x"}, "days"),
        ("request-extension", {"days": 3}, "reason"),
        ("return", {"reason": ""}, "reason"),
        ("comment", {"text": None}, "text"),
    ],
)
def test_unit_bodies_are_validated(api, district, action, body, field):
    order = order_in(State.ACCEPTED, district)
    version = order.version
    assert_invalid(api(district.una).post(f"/orders/{order.number}/{action}", body), field)
    order.refresh_from_db()
    assert order.version == version
    assert Event.objects.filter(order=order).count() == version


@pytest.mark.parametrize(
    ("state", "action", "body", "field"),
    [
        (State.REGISTERED, "dispatch", {}, "lead_unit"),
        (State.REGISTERED, "dispatch", {"lead_unit": "nowhere"}, "lead_unit"),
        (State.REGISTERED, "dispatch", {"lead_unit": 7}, "lead_unit"),
        (State.REGISTERED, "dispatch", {"lead_unit": "jnl", "co_units": ["mzj", "x"]}, "co_units"),
        (State.REGISTERED, "dispatch", {"lead_unit": "jnl", "co_units": "mzj"}, "co_units"),
        (State.REGISTERED, "dispatch", {"lead_unit": "jnl", "co_units": ["jnl"]}, "co_units"),
        (State.REGISTERED, "dispatch", {"lead_unit": "centre"}, "lead_unit"),
        (State.ACCEPTED, "redispatch", {"lead_unit": "jnl", "reason": "x"}, "lead_unit"),
        (State.RETURNED, "approve-return", {"lead_unit": "ghost"}, "lead_unit"),
        (State.REGISTERED, "merge", {"parent": "20230309-999999"}, "parent"),
        (State.REGISTERED, "merge", {}, "parent"),
        (State.ACCEPTED, "supervise", {"working_days": 10**9}, "working_days"),
        (State.ACCEPTED, "supervise", {"working_days": 0}, "working_days"),
        (State.ACCEPTED, "supervise", {"due": "2023-03-01T10:00:00+08:00"}, "due"),
        (State.REVIEWED, "reopen", {}, "reason"),
    ],
)
def test_centre_bodies_are_validated(api, district, state, action, body, field):
    order = order_in(state, district)
    actor = district.sam if action == "supervise" else district.dan
    assert_invalid(api(actor).post(f"/orders/{order.number}/{action}", body), field)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"resolved": "perhaps", "satisfaction": "satisfied"}, "resolved"),
        ({"resolved": True, "satisfaction": "meh"}, "satisfaction"),
        ({"resolved": True}, "satisfaction"),
    ],
)
def test_callback_body_is_validated(api, district, body, field):
    order = order_in(State.REVIEWED, district)
    assert_invalid(api(district.cathy).post(f"/orders/{order.number}/callback", body), field)


def test_validation_error_lists_every_problem(api, district):
    order = order_in(State.REVIEWED, district)
    response = api(district.cathy).post(
        f"/orders/{order.number}/callback", {"resolved": "perhaps", "satisfaction": "meh"}
    )
    body = assert_invalid(response, "resolved")
    assert [e["field"] for e in body["errors"]] == ["resolved", "satisfaction"]


def test_merge_into_itself_is_invalid(api, district):
    order = new_order(district)
    response = api(district.dan).post(f"/orders/{order.number}/merge", {"parent": order.number})
    assert_invalid(response, "parent")


def test_unknown_path_is_a_json_404(api, district):
    order = order_in(State.ACCEPTED, district)
    for path in ("/nothing", f"/orders/{order.number}/approve", "/orders/"):
        response = api(district.dan).post(path, {})
        assert response.status_code == 404, path
        assert error_of(response)["error"] == "not_found"


def test_unknown_path_is_a_404_even_without_a_token(client, db):
    # Unknown paths do not ask for a token: there is nothing there to protect.
    response = client.get(f"{BASE}/nothing")
    assert response.status_code == 404
    assert WorkOrder.objects.count() == 0
