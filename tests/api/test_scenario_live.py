"""The issue's scenario over real HTTP against a running server, with Bearer tokens only.

An order is registered, dispatched, handled, called back dissatisfied, reopened, handled again,
and closed after a satisfied callback; the timeline then tells exactly that story.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest
import time_machine

from hotline.org.models import ApiToken
from tests.conftest import at


class Http:
    """A tiny JSON client over urllib for one person's token."""

    def __init__(self, base: str, token: str) -> None:
        self.base, self.token = base, token

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.base + "/api/v1" + path,
            data=data,
            method=method,
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def get(self, path: str) -> Any:
        status, body = self.call("GET", path)
        assert status == 200, body
        return body

    def post(self, path: str, body: dict[str, Any] | None = None, expect: int = 200) -> Any:
        status, answer = self.call("POST", path, body or {})
        assert status == expect, (path, answer)
        return answer


@pytest.fixture
def people(transactional_db, district, live_server):
    """Dan, Una, Cathy and Olga, each with their own API token, against the live server."""

    def client(user) -> Http:
        _token, raw = ApiToken.issue(user, name="scenario")
        return Http(live_server.url, raw)

    return {name: client(getattr(district, name)) for name in ("dan", "una", "cathy", "olga")}


def test_order_is_reopened_after_a_dissatisfied_callback_and_closed_after_a_satisfied_one(
    people,
):
    dan, una, cathy, olga = (people[n] for n in ("dan", "una", "cathy", "olga"))
    # Time moves on (tick) from a working Thursday morning, in the server thread too.
    with time_machine.travel(at("2023-03-09 10:00"), tick=True):
        order = olga.post(
            "/orders",
            {
                "title": "路灯不亮",
                "description": "江宁路昌平路口的路灯连续三晚不亮。",
                "channel": "phone",
                "citizen_name": "张先生",
                "citizen_phone": "13812345678",
                "category": "cxjs-szss-ldps",
            },
            expect=201,
        )
        number = order["number"]
        path = f"/orders/{number}"

        def step(who: Http, action: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
            # Every step names the version it saw, as a careful client does.
            version = who.get(path)["version"]
            return who.post(f"{path}/{action}", {**(body or {}), "version": version})

        step(dan, "dispatch", {"lead_unit": "jnl"})
        assert una.get(path)["citizen_phone"] == "*******5678"
        step(una, "accept")
        step(una, "first-contact", {"way": "phone", "note": "已电话联系张先生"})
        step(una, "reply", {"result": "resolved", "text": "已更换灯泡。"})
        step(dan, "approve-reply")
        result = step(cathy, "callback", {"resolved": False, "satisfaction": "dissatisfied"})
        assert result["order"]["state"] == "reviewed"
        assert "reopen" in dan.get(f"{path}/actions")["actions"]
        step(dan, "reopen", {"reason": "市民反映路灯仍不亮"})
        assert una.get(f"{path}/actions")["actions"] == [
            "assign-inside",  # to the 居委会 below the street (二级派单)
            "first-contact",
            "request-extension",
            "reply",
            "comment",
            # The reopen counts against the street: it may appeal (申诉).
            "appeal",
        ]
        step(una, "reply", {"result": "resolved", "text": "已更换线路，经夜间复查路灯正常。"})
        step(dan, "approve-reply")
        result = step(cathy, "callback", {"resolved": True, "satisfaction": "satisfied"})

    assert result["order"]["state"] == "closed"
    final = dan.get(path)
    assert final["state"] == "closed"
    assert final["reopen_count"] == 1
    assert (final["callback_resolved"], final["satisfaction"]) == (True, "satisfied")
    events = dan.get(f"{path}/events")
    story = [(e["action"], e["from_state"], e["to_state"], e["actor"]) for e in events]
    assert story == [
        ("register", None, "registered", "olga"),
        ("dispatch", "registered", "dispatched", "dan"),
        ("accept", "dispatched", "accepted", "una"),
        ("first-contact", "accepted", "accepted", "una"),
        ("reply", "accepted", "replied", "una"),
        ("approve-reply", "replied", "reviewed", "dan"),
        ("callback", "reviewed", "reviewed", "cathy"),
        ("reopen", "reviewed", "reopened", "dan"),
        ("reply", "reopened", "replied", "una"),
        ("approve-reply", "replied", "reviewed", "dan"),
        ("callback", "reviewed", "closed", "cathy"),
    ]
    assert [e["seq"] for e in events] == list(range(1, 12))
    assert events[6]["payload"] == {"resolved": False, "satisfaction": "dissatisfied"}
