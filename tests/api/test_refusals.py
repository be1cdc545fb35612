"""Refused actions: hidden orders, wrong role or unit, wrong state, stale version.

Each refusal is a JSON error with a stable code, and changes nothing.
"""

from __future__ import annotations

import pytest
import time_machine

from hotline.orders import actions
from hotline.orders.models import Event, State, WorkOrder
from tests.api.conftest import error_of
from tests.conftest import at
from tests.orders.factory import new_order, order_in


@pytest.fixture(autouse=True)
def _thursday_morning():
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        yield


def assert_unchanged(order: WorkOrder) -> None:
    state, version = order.state, order.version
    order.refresh_from_db()
    assert (order.state, order.version) == (state, version)
    assert Event.objects.filter(order=order).count() == version


def test_unit_cannot_act_on_other_units_order(api, district):
    order = order_in(State.DISPATCHED, district)
    response = api(district.victor).post(f"/orders/{order.number}/accept")
    assert response.status_code == 404
    assert error_of(response)["error"] == "not_found"
    assert_unchanged(order)


def test_co_unit_sees_the_order_but_may_not_sign_for_it(api, district):
    order = new_order(district)
    actions.dispatch(order, district.dan, lead_unit=district.street, co_units=[district.bureau])
    response = api(district.victor).post(f"/orders/{order.number}/accept")
    assert response.status_code == 403
    assert error_of(response)["error"] == "forbidden"
    assert_unchanged(order)


def test_co_unit_may_comment(api, district):
    order = new_order(district)
    actions.dispatch(order, district.dan, lead_unit=district.street, co_units=[district.bureau])
    response = api(district.victor).post(f"/orders/{order.number}/comment", {"text": "已配合"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("actor", "state", "action", "body"),
    [
        ("una", State.REPLIED, "approve-reply", {}),
        ("olga", State.REGISTERED, "dispatch", {"lead_unit": "jnl"}),
        ("dan", State.DISPATCHED, "accept", {}),
        ("leo", State.REVIEWED, "close", {}),
        ("cathy", State.REVIEWED, "reopen", {"reason": "x"}),
    ],
)
def test_role_refused(api, district, actor, state, action, body):
    order = order_in(state, district)
    response = api(getattr(district, actor)).post(f"/orders/{order.number}/{action}", body)
    assert response.status_code == 403
    assert error_of(response)["error"] == "forbidden"
    assert_unchanged(order)


def test_refused_role_learns_nothing_from_the_codes_in_its_body(api, district):
    order = order_in(State.REGISTERED, district)
    response = api(district.olga).post(f"/orders/{order.number}/dispatch", {"lead_unit": "nope"})
    assert response.status_code == 403


def test_unit_handler_cannot_register(api, district):
    response = api(district.una).post("/orders", {"title": "t", "description": "d"})
    assert response.status_code == 403
    assert error_of(response)["error"] == "forbidden"
    assert not WorkOrder.objects.exists()


def test_wrong_state_is_an_invalid_transition(api, district):
    order = order_in(State.DISPATCHED, district)
    response = api(district.dan).post(f"/orders/{order.number}/dispatch", {"lead_unit": "mzj"})
    assert response.status_code == 409
    assert error_of(response)["error"] == "invalid_transition"
    assert_unchanged(order)


def test_acting_twice_is_refused_the_second_time(api, district):
    order = order_in(State.DISPATCHED, district)
    una = api(district.una)
    assert una.post(f"/orders/{order.number}/accept").status_code == 200
    again = una.post(f"/orders/{order.number}/accept")
    assert again.status_code == 409
    assert error_of(again)["error"] == "invalid_transition"


def test_stale_version_is_a_conflict(api, district):
    order = order_in(State.ACCEPTED, district)
    seen = order.version
    # Someone else comments between our read and our write.
    actions.comment(order, district.dan, text="请尽快")
    response = api(district.una).post(
        f"/orders/{order.number}/reply",
        {"result": "resolved", "text": "已修复。", "version": seen},
    )
    assert response.status_code == 409
    body = error_of(response)
    assert body["error"] == "conflict"
    assert_unchanged(order)


def test_current_version_is_accepted(api, district):
    order = order_in(State.ACCEPTED, district)
    current = api(district.una).get(f"/orders/{order.number}/actions").json()["version"]
    response = api(district.una).post(
        f"/orders/{order.number}/comment", {"text": "已联系", "version": current}
    )
    assert response.status_code == 200


def test_unknown_order_number_is_not_found(api, district):
    response = api(district.dan).post("/orders/20230309-999999/accept")
    assert response.status_code == 404
    assert error_of(response)["error"] == "not_found"


def test_extension_decision_without_a_request_is_an_invalid_transition(api, district):
    order = order_in(State.ACCEPTED, district)
    response = api(district.dan).post(f"/orders/{order.number}/approve-extension")
    assert response.status_code == 409
    assert error_of(response)["error"] == "invalid_transition"
