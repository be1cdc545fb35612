"""Every order action through its endpoint: the order moves and the new event comes back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import time_machine

from hotline.orders import actions
from hotline.orders.models import Event, State, WorkOrder
from tests.conftest import District, at
from tests.orders.factory import new_order, order_in


@pytest.fixture(autouse=True)
def _thursday_morning():
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        yield


def _with_extension_request(d: District) -> WorkOrder:
    order = order_in(State.ACCEPTED, d)
    actions.request_extension(order, d.una, days=3, reason="需协调供电公司")
    return order


def _with_appeal(d: District) -> WorkOrder:
    order = order_in(State.CLOSED, d)
    actions.appeal(order, d.una, kpi="overdue", reason="系统故障")
    return order


def _assigned_inside(d: District) -> WorkOrder:
    return order_in(State.ACCEPTED, d, inside=d.neighbourhood)


@dataclass
class Case:
    action: str
    actor: str
    start: State | Callable[[District], WorkOrder]
    to_state: State
    body: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.action


CASES = [
    Case("answer", "olga", State.REGISTERED, State.ANSWERED, {"text": "已告知办理流程。"}),
    Case(
        "dispatch",
        "dan",
        State.REGISTERED,
        State.DISPATCHED,
        {"lead_unit": "jnl", "co_units": ["mzj"], "note": "请核实"},
    ),
    Case(
        "redispatch", "dan", State.ACCEPTED, State.DISPATCHED, {"lead_unit": "mzj", "reason": "x"}
    ),
    Case("accept", "una", State.DISPATCHED, State.ACCEPTED),
    Case("return", "una", State.ACCEPTED, State.RETURNED, {"reason": "路灯属绿化市容局"}),
    Case("approve-return", "dan", State.RETURNED, State.DISPATCHED, {"lead_unit": "mzj"}),
    Case("reject-return", "dan", State.RETURNED, State.ACCEPTED, {"reason": "属街道职责"}),
    Case("first-contact", "una", State.ACCEPTED, State.ACCEPTED, {"way": "visit"}),
    Case(
        "request-extension",
        "una",
        State.ACCEPTED,
        State.ACCEPTED,
        {"days": 3, "reason": "需协调供电公司"},
    ),
    Case("approve-extension", "dan", _with_extension_request, State.ACCEPTED, {"note": "同意"}),
    Case("reject-extension", "dan", _with_extension_request, State.ACCEPTED, {"reason": "可办"}),
    Case(
        "reply",
        "una",
        State.ACCEPTED,
        State.REPLIED,
        {"result": "resolved", "text": "已修复。"},
    ),
    Case("approve-reply", "dan", State.REPLIED, State.REVIEWED),
    Case("reject-reply", "dan", State.REPLIED, State.ACCEPTED, {"reason": "未写明修复时间"}),
    Case(
        "callback",
        "cathy",
        State.REVIEWED,
        State.CLOSED,
        {"resolved": True, "satisfaction": "satisfied"},
    ),
    Case("callback-attempt", "cathy", State.REVIEWED, State.REVIEWED, {"outcome": "not_reached"}),
    Case("reopen", "sam", State.REVIEWED, State.REOPENED, {"reason": "市民反映仍不亮"}),
    Case("urge", "sam", State.ACCEPTED, State.ACCEPTED, {"note": "请尽快办理"}),
    Case("supervise", "sam", State.ACCEPTED, State.ACCEPTED, {"working_days": 2}),
    Case("cancel", "sam", State.REGISTERED, State.CANCELLED, {"reason": "骚扰电话"}),
    Case("comment", "una", State.ACCEPTED, State.ACCEPTED, {"text": "已安排维修班组"}),
    Case("close", "dan", State.REVIEWED, State.CLOSED),
    Case(
        "appeal",
        "una",
        State.CLOSED,
        State.CLOSED,
        {"kpi": "satisfaction", "reason": "诉求超出政策范围"},
    ),
    Case("approve-appeal", "sam", _with_appeal, State.CLOSED, {"note": "理由成立"}),
    Case("reject-appeal", "sam", _with_appeal, State.CLOSED, {"reason": "理由不成立"}),
    # 二级派单: Una's street assigns to Nina's 居委会; Nina hands one back up.
    Case("assign-inside", "una", State.DISPATCHED, State.DISPATCHED, {"unit": "jnl-01"}),
    Case("hand-back", "nina", _assigned_inside, State.ACCEPTED, {"reason": "不在本居委会辖区"}),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_action_moves_the_order_and_returns_the_new_event(api, district, case):
    order = case.start(district) if callable(case.start) else order_in(case.start, district)
    before = order.version
    response = api(getattr(district, case.actor)).post(
        f"/orders/{order.number}/{case.action}", {**case.body, "version": before}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["order"]["state"] == case.to_state
    assert body["order"]["version"] == before + 1
    assert body["event"]["seq"] == before + 1
    assert body["event"]["action"] == case.action
    assert body["event"]["actor"] == case.actor
    assert body["event"]["to_state"] == case.to_state
    order.refresh_from_db()
    assert (order.state, order.version) == (case.to_state, before + 1)
    assert Event.objects.filter(order=order).count() == before + 1


def test_every_action_has_a_case():
    from hotline.orders.rules import ORDER_ACTIONS

    covered = {c.action for c in CASES} | {"merge"}
    assert covered == {a.value.replace("_", "-") for a in ORDER_ACTIONS}


def test_merge_names_the_parent_by_number(api, district):
    parent = new_order(district)
    order = new_order(district)
    response = api(district.olga).post(f"/orders/{order.number}/merge", {"parent": parent.number})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["order"]["state"] == "merged"
    assert body["order"]["parent"] == parent.number
    assert body["event"]["payload"] == {"parent": parent.number}


def test_dispatch_returns_the_units_by_code(api, district):
    order = new_order(district)
    response = api(district.dan).post(
        f"/orders/{order.number}/dispatch", {"lead_unit": "jnl", "co_units": ["mzj"]}
    )
    body = response.json()
    assert body["order"]["lead_unit"] == "jnl"
    assert body["order"]["co_units"] == ["mzj"]
    assert body["event"]["unit"] == "jnl"
    payload = body["event"]["payload"]
    assert (payload["lead_unit"], payload["co_units"]) == ("jnl", ["mzj"])
    # It also records the deadlines it set: the KPIs judge the street's round by them.
    assert body["order"]["reply_due"] is not None
    recorded, on_the_order = payload["reply_due"], body["order"]["reply_due"]
    assert dt.datetime.fromisoformat(recorded) == dt.datetime.fromisoformat(on_the_order)


def test_first_contact_takes_an_explicit_time(api, district):
    with time_machine.travel(at("2023-03-09 09:00"), tick=False):
        order = order_in(State.ACCEPTED, district)
    response = api(district.una).post(
        f"/orders/{order.number}/first-contact",
        {"way": "phone", "contacted_at": "2023-03-09T09:30:00+08:00"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["order"]["first_contact_at"] == "2023-03-09T01:30:00Z"


def test_supervise_takes_a_deadline(api, district):
    order = order_in(State.ACCEPTED, district)
    response = api(district.sam).post(
        f"/orders/{order.number}/supervise", {"due": "2023-03-14T17:00:00+08:00"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["order"]["supervision_due"] == "2023-03-14T09:00:00Z"


def test_actions_without_required_fields_accept_an_empty_body(api, district):
    order = order_in(State.DISPATCHED, district)
    response = api(district.una).post(f"/orders/{order.number}/accept", raw="")
    assert response.status_code == 200, response.content
    assert response.json()["order"]["state"] == "accepted"


def test_unit_reply_shows_the_citizen_phone_masked_in_the_result(api, district):
    order = order_in(State.ACCEPTED, district)
    response = api(district.una).post(
        f"/orders/{order.number}/reply", {"result": "explained", "text": "已解释。"}
    )
    assert response.json()["order"]["citizen_phone"] == "*******5678"
    assert response.json()["order"]["reply_result"] == "explained"
