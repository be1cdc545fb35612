"""Reading one order, its timeline and its allowed actions — as each person may see them."""

from __future__ import annotations

import pytest
import time_machine

from hotline.orders import actions
from hotline.orders.models import State
from tests.api.conftest import error_of
from tests.conftest import at
from tests.orders.factory import new_order, order_in


@pytest.fixture(autouse=True)
def _thursday_morning():
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        yield


def test_dispatcher_reads_the_whole_order_with_the_full_phone(api, district):
    order = order_in(State.ACCEPTED, district)
    response = api(district.dan).get(f"/orders/{order.number}")
    assert response.status_code == 200
    body = response.json()
    assert body["number"] == order.number
    assert body["citizen_phone"] == "13812345678"
    assert body["phone_masked"] is False
    assert body["citizen_name"] == "张先生"
    assert body["state"] == "accepted"
    assert body["lead_unit"] == "jnl"
    assert body["category"] == "cxjs-szss-ldps"
    assert body["category_path"] == "城乡建设 / 市政设施 / 路灯损坏"
    assert body["version"] == 3
    assert body["registered_by"] == "olga"
    assert body["registered_at"] == "2023-03-09T02:00:00Z"
    assert body["accepted_at"] == "2023-03-09T02:00:00Z"
    assert body["reply_due"] is not None
    assert body["reply_result"] is None
    assert body["satisfaction"] is None


def test_unit_handler_sees_the_phone_masked(api, district):
    order = order_in(State.ACCEPTED, district)
    body = api(district.una).get(f"/orders/{order.number}").json()
    assert body["citizen_phone"] == "*******5678"
    assert body["phone_masked"] is True
    assert body["citizen_name"] == "张先生"


def test_unit_handler_sees_no_name_phone_or_email_on_anonymous_orders(api, district):
    order = new_order(district, anonymous=True, citizen_email="zhang@example.cn")
    actions.dispatch(order, district.dan, lead_unit=district.street)
    una = api(district.una).get(f"/orders/{order.number}").json()
    assert una["anonymous"] is True
    assert "张" not in una["citizen_name"]
    assert una["citizen_phone"] == ""
    assert una["citizen_email"] == ""
    dan = api(district.dan).get(f"/orders/{order.number}").json()
    assert (dan["citizen_name"], dan["citizen_phone"], dan["citizen_email"]) == (
        "张先生",
        "13812345678",
        "zhang@example.cn",
    )


def test_unit_cannot_read_other_units_order(api, district):
    order = order_in(State.ACCEPTED, district)
    victor = api(district.victor)
    for path in ("", "/events", "/actions"):
        response = victor.get(f"/orders/{order.number}{path}")
        assert response.status_code == 404
        assert error_of(response)["error"] == "not_found"


def test_unknown_and_hidden_orders_get_the_same_answer(api, district):
    order = order_in(State.ACCEPTED, district)
    hidden = api(district.victor).get(f"/orders/{order.number}")
    unknown = api(district.victor).get("/orders/20230309-999999")
    assert hidden.status_code == unknown.status_code == 404
    assert error_of(hidden)["error"] == error_of(unknown)["error"] == "not_found"


def test_unit_above_sees_its_neighbourhoods_orders_but_not_the_reverse(api, district):
    below = new_order(district)
    actions.dispatch(below, district.dan, lead_unit=district.neighbourhood)
    above = order_in(State.DISPATCHED, district)
    assert api(district.una).get(f"/orders/{below.number}").status_code == 200
    assert api(district.una_nb).get(f"/orders/{below.number}").status_code == 200
    assert api(district.una_nb).get(f"/orders/{above.number}").status_code == 404


def test_co_unit_reads_the_order(api, district):
    order = new_order(district)
    actions.dispatch(order, district.dan, lead_unit=district.street, co_units=[district.bureau])
    response = api(district.victor).get(f"/orders/{order.number}")
    assert response.status_code == 200
    assert response.json()["co_units"] == ["mzj"]


def test_events_tell_the_story_in_order(api, district):
    order = order_in(State.REPLIED, district)
    response = api(district.una).get(f"/orders/{order.number}/events")
    assert response.status_code == 200
    events = response.json()
    assert [(e["seq"], e["action"], e["from_state"], e["to_state"]) for e in events] == [
        (1, "register", None, "registered"),
        (2, "dispatch", "registered", "dispatched"),
        (3, "accept", "dispatched", "accepted"),
        (4, "first-contact", "accepted", "accepted"),
        (5, "reply", "accepted", "replied"),
    ]
    reply = events[-1]
    assert reply["actor"] == "una"
    assert reply["actor_unit"] == "jnl"
    assert reply["unit"] == "jnl"
    assert reply["at"] == "2023-03-09T02:00:00Z"
    assert reply["payload"]["result"] == "resolved"
    assert events[0]["actor"] == "olga" and events[0]["actor_unit"] == "centre"


def test_actions_list_what_this_person_may_do_now(api, district):
    order = order_in(State.DISPATCHED, district)
    una = api(district.una).get(f"/orders/{order.number}/actions").json()
    assert una == {
        "number": order.number,
        "state": "dispatched",
        "version": 2,
        # The street has a 居委会 below it to assign the order to (二级派单).
        "actions": ["accept", "assign-inside", "return", "comment"],
    }
    dan = api(district.dan).get(f"/orders/{order.number}/actions").json()
    assert dan["actions"] == ["redispatch", "urge", "merge", "cancel", "comment"]
    victor = api(district.victor).get(f"/orders/{order.number}/actions")
    assert victor.status_code == 404
