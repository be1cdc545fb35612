"""The API says when a co-unit's comment went without a notice (brief h7, session 30).

Victor of 区民政局, a co-unit (协办) on Una's order at 江宁路街道, comments through the API. Since
session 29 (h8) his unit's comments on one order text and e-mail the street at most three times an
hour; a fourth is kept on the order without a notice. The order page tells him so, but the API's
answer said it only inside the event's free-form payload (undocumented), and to a write-only
token not at all: his integration could not know the street was not told. Now every event carries
``notice_held`` (in the OpenAPI schema), true for such a comment. Time is frozen at Monday
2026-12-07 09:40 in Shanghai.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from hotline.orders import actions
from hotline.org.models import ApiToken
from tests.api.conftest import ApiClient
from tests.conftest import at
from tests.orders.factory import new_order

MORNING = at("2026-12-07 09:40")


@pytest.fixture
def order(district):
    d = district
    with time_machine.travel(MORNING - dt.timedelta(hours=1), tick=False):
        order = new_order(d)
        actions.dispatch(order, d.dan, lead_unit=d.street, co_units=[d.bureau])
        actions.accept(order, d.una)
    return order


def _comments(client: ApiClient, order, count: int) -> list[dict]:
    events = []
    with time_machine.travel(MORNING, tick=False):
        for n in range(count):
            answer = client.post(
                f"/orders/{order.number}/comment", {"text": f"第{n + 1}次：名单已核对。"}
            )
            assert answer.status_code == 200, answer.content
            events.append(answer.json()["event"])
    return events


def test_victors_fourth_comment_in_the_hour_says_the_street_was_not_told(api, district, order):
    events = _comments(api(district.victor), order, 4)
    assert [e["notice_held"] for e in events] == [False, False, False, True]
    assert events[3]["reason"] == "第4次：名单已核对。"


def test_the_timeline_says_which_comment_went_without_a_notice(api, district, order):
    _comments(api(district.victor), order, 4)
    timeline = api(district.una).get(f"/orders/{order.number}/events").json()
    comments = [e for e in timeline if e["action"] == "comment"]
    assert [e["notice_held"] for e in comments] == [False, False, False, True]
    assert not any(e["notice_held"] for e in timeline if e["action"] != "comment")


def test_a_write_only_token_is_told_too(district, order):
    _token, raw = ApiToken.issue(district.victor, "writer", scopes=[ApiToken.API_WRITE])
    events = _comments(ApiClient(raw), order, 4)
    assert [e["notice_held"] for e in events] == [False, False, False, True]
    # Still nothing of where the order is (attack, session 23).
    assert events[3]["unit"] is None and events[3]["payload"] == {}


def test_the_streets_own_comments_are_never_held(api, district, order):
    events = _comments(api(district.una), order, 5)
    assert not any(e["notice_held"] for e in events)


def test_the_schema_documents_the_field(db):
    schema = Client().get("/api/v1/openapi.json").json()
    field = schema["components"]["schemas"]["EventOut"]["properties"]["notice_held"]
    assert field["type"] == "boolean"
    assert "notice_held" in schema["components"]["schemas"]["EventOut"]["required"]
    assert "co-unit" in field["description"] and "3 times in the last hour" in field["description"]
