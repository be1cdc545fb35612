"""A stale ``version`` is refused before the rules and the body are read (h4's finding 6, session
25): a write-only token (api:write, no api:read) sent a redispatch with a stale version, which
changes nothing, and read the order's lead unit from the 422 ("工单已在 江宁路街道") and its state
from the 409 invalid_transition, order by order. Now every such probe is the same 409 conflict."""

from __future__ import annotations

import pytest
import time_machine

from hotline.orders.models import State
from hotline.org.models import ApiToken
from tests.api.conftest import ApiClient, error_of
from tests.api.test_refusals import assert_unchanged
from tests.conftest import at
from tests.orders.factory import order_in


@pytest.fixture(autouse=True)
def _thursday_morning():
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        yield


def write_only(user) -> ApiClient:
    _token, raw = ApiToken.issue(user, "partner", scopes=["api:write"])
    return ApiClient(raw)


@pytest.mark.parametrize(
    ("state", "lead_unit"),
    [
        (State.DISPATCHED, "jnl"),  # where it is: was 422 "…已在 江宁路街道…"
        (State.DISPATCHED, "jnl-01"),  # below where it is: was 422 too
        (State.DISPATCHED, "mzj"),  # elsewhere: 409 conflict before as now
        (State.CLOSED, "mzj"),  # cannot be redispatched: was 409 invalid_transition
        (State.DISPATCHED, "nope"),  # an unknown code: was 422 naming the field
    ],
)
def test_a_stale_version_answers_the_same_conflict_whatever_the_order(district, state, lead_unit):
    order = order_in(state, district)
    client = write_only(district.dan)
    assert client.get(f"/orders/{order.number}").status_code == 403

    response = client.post(
        f"/orders/{order.number}/redispatch",
        {"lead_unit": lead_unit, "reason": "probe", "version": order.version - 1},
    )

    assert response.status_code == 409, response.content
    body = error_of(response)
    assert body["error"] == "conflict"
    assert "江宁路" not in body["detail"] and "三和" not in body["detail"]
    assert_unchanged(order)


def test_a_role_that_may_never_act_is_refused_for_its_role_first(district):
    # The order's version is no business of a caller whose role never takes the action.
    order = order_in(State.DISPATCHED, district)
    response = write_only(district.una).post(
        f"/orders/{order.number}/redispatch",
        {"lead_unit": "mzj", "reason": "probe", "version": order.version - 1},
    )
    assert response.status_code == 403
    assert error_of(response)["error"] == "forbidden"
    assert_unchanged(order)


def test_the_current_version_still_reaches_the_rules_and_the_action(district):
    order = order_in(State.DISPATCHED, district)
    client = write_only(district.dan)
    same = client.post(
        f"/orders/{order.number}/redispatch",
        {"lead_unit": "jnl", "reason": "x", "version": order.version},
    )
    # With the current version the action runs: refused, but as a conflict that does not say
    # where the order is (review, session 25, M1: it was a 422 naming 江宁路街道).
    assert same.status_code == 409
    assert error_of(same)["error"] == "conflict"
    moved = client.post(
        f"/orders/{order.number}/redispatch",
        {"lead_unit": "mzj", "reason": "x", "version": order.version},
    )
    assert moved.status_code == 200
    assert moved.json()["order"] == {
        "number": order.number,
        "state": "dispatched",
        "version": order.version + 1,
    }


@pytest.mark.parametrize("version", ["none", "current"])
@pytest.mark.parametrize("lead_unit", ["jnl", "jnl-01"])
def test_without_a_stale_version_the_refusal_does_not_say_where_the_order_is(
    district, version, lead_unit
):
    # Review, session 25, M1: `version` is optional, and the right one passes the stale check,
    # so the "already with 江宁路街道" refusal still named the lead unit to a write-only token.
    order = order_in(State.DISPATCHED, district)
    client = write_only(district.dan)
    body = {"lead_unit": lead_unit, "reason": "probe"}
    if version == "current":
        body["version"] = order.version

    response = client.post(f"/orders/{order.number}/redispatch", body)

    assert response.status_code == 409, response.content
    assert error_of(response)["error"] == "conflict"
    assert "江宁路" not in error_of(response)["detail"]
    assert_unchanged(order)


def test_a_token_that_reads_orders_is_still_told_where_the_order_is(district):
    order = order_in(State.DISPATCHED, district)
    _token, raw = ApiToken.issue(district.dan, "desk", scopes=["api:read", "api:write"])
    response = ApiClient(raw).post(
        f"/orders/{order.number}/redispatch",
        {"lead_unit": "jnl-01", "reason": "probe", "version": order.version},
    )
    assert response.status_code == 422, response.content
    assert "江宁路" in error_of(response)["detail"]
