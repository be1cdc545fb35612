"""A write-only token that sends the same ``Idempotency-Key`` again is answered what its first
answer said (number, state and version as registered), not the order as it is now (brief,
session 24: a replay answered today's state and version, so a token refused every GET could
follow its orders for 24 hours by replaying). A reading token, which may read the order anyway,
still gets the whole order."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from hotline.orders.models import State, WorkOrder
from hotline.org.models import ApiToken, Role
from tests.api.conftest import ApiClient
from tests.conftest import make_user

ORDER = {"title": "噪音", "description": "夜间施工"}


@pytest.fixture
def pat(district):
    """The partner system's account: an operator."""
    return make_user("pat", district.centre, Role.OPERATOR)


def register(raw: str, key: str):
    return Client().post(
        "/api/v1/orders",
        json.dumps(ORDER),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}", "Idempotency-Key": key},
    )


def test_pats_replay_after_dans_dispatch_says_registered(district, pat):
    _token, raw = ApiToken.issue(pat, "writer", scopes=[ApiToken.API_WRITE])
    first = register(raw, "partner-key-s24")
    assert first.status_code == 201, first.content
    number = first.json()["number"]
    assert first.json()["state"] == State.REGISTERED
    _dan, dan_raw = ApiToken.issue(district.dan, "desk", scopes=ApiToken.DEFAULT_SCOPES)
    dispatched = ApiClient(dan_raw).post(
        f"/orders/{number}/dispatch", {"lead_unit": district.street.code}
    )
    assert dispatched.status_code == 200, dispatched.content
    commented = ApiClient(dan_raw).post(f"/orders/{number}/comment", {"text": "已联系"})
    assert commented.status_code == 200, commented.content

    again = register(raw, "partner-key-s24")

    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    order = WorkOrder.objects.get(number=number)
    assert order.state == State.DISPATCHED and order.version > first.json()["version"]


def test_a_reading_tokens_replay_is_the_order_as_it_is_now(district, pat):
    _token, raw = ApiToken.issue(pat, "integration", scopes=ApiToken.DEFAULT_SCOPES)
    first = register(raw, "partner-key-s24-read").json()
    _dan, dan_raw = ApiToken.issue(district.dan, "desk", scopes=ApiToken.DEFAULT_SCOPES)
    ApiClient(dan_raw).post(
        f"/orders/{first['number']}/dispatch", {"lead_unit": district.street.code}
    )

    again = register(raw, "partner-key-s24-read").json()

    assert again["number"] == first["number"]
    assert again["state"] == State.DISPATCHED
