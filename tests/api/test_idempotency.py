"""A registration that was stored is never answered with an error, and a client that retries
with its Idempotency-Key gets the first order back instead of registering the call twice.

The outside crash test saw three registrations commit and then answer 500 (the dispatch-model
lookup after the commit failed as PostgreSQL restarted): a client retrying those registers the
call twice."""

from __future__ import annotations

import datetime as dt
import json

import time_machine
from django.db import OperationalError
from django.test import Client

from hotline.dispatch import services
from hotline.orders.models import WorkOrder
from hotline.org.models import ApiToken
from tests.api.conftest import error_of
from tests.conftest import at

CALL = {"title": "路灯不亮", "description": "江宁路昌平路口的路灯连续三晚不亮。"}


def post(client: Client, token: str, body: dict, key: str | None = None, path="/api/v1/orders"):
    headers = {"Authorization": f"Bearer {token}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post(path, json.dumps(body), content_type="application/json", headers=headers)


def token_of(user) -> str:
    return ApiToken.issue(user, name="tests")[1]


def test_a_failure_after_the_commit_still_answers_201(district, monkeypatch):
    def database_restarting(*_args, **_kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "predict", database_restarting)
    response = post(Client(), token_of(district.olga), CALL)
    assert response.status_code == 201
    assert WorkOrder.objects.filter(number=response.json()["number"]).exists()


def test_the_intake_page_too_reports_a_stored_order_as_registered(client, district, monkeypatch):
    from tests.web.test_intake_once import _call

    def database_restarting(*_args, **_kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "predict", database_restarting)
    client.force_login(district.olga)
    response = client.post("/intake/", _call(district))
    order = WorkOrder.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/orders/{order.number}/"


def test_a_retry_with_the_same_key_returns_the_first_order(district):
    olga = token_of(district.olga)
    first = post(Client(), olga, CALL, key="7d2c1f0e-olga-call-1")
    again = post(Client(), olga, CALL, key="7d2c1f0e-olga-call-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["number"] == first.json()["number"]
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert WorkOrder.objects.count() == 1


def test_the_same_key_with_another_request_is_refused(district):
    olga = token_of(district.olga)
    first = post(Client(), olga, CALL, key="call-1")
    other = post(Client(), olga, {**CALL, "title": "噪音扰民"}, key="call-1")
    assert other.status_code == 409
    body = error_of(other)
    assert body["error"] == "idempotency_key_reused"
    assert first.json()["number"] in body["detail"]
    assert WorkOrder.objects.count() == 1


def test_keys_are_each_clients_own(district):
    first = post(Client(), token_of(district.olga), CALL, key="call-1")
    dans = post(Client(), token_of(district.dan), CALL, key="call-1")
    assert dans.status_code == 201
    assert dans.json()["number"] != first.json()["number"]


def test_a_key_lasts_a_day(district):
    olga = token_of(district.olga)
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        first = post(Client(), olga, CALL, key="call-1")
    with time_machine.travel(at("2023-03-10 09:59"), tick=False):
        assert post(Client(), olga, CALL, key="call-1").json()["number"] == first.json()["number"]
    with time_machine.travel(at("2023-03-09 10:00") + dt.timedelta(hours=24, seconds=1)):
        later = post(Client(), olga, CALL, key="call-1")
    assert later.status_code == 201 and later.json()["number"] != first.json()["number"]


def test_without_a_key_every_request_registers(district):
    olga = token_of(district.olga)
    first, second = (post(Client(), olga, CALL).json()["number"] for _ in range(2))
    assert first != second


def test_a_malformed_key_is_refused_before_anything_is_stored(district):
    response = post(Client(), token_of(district.olga), CALL, key="x" * 256)
    assert response.status_code == 422
    assert error_of(response)["field"] == "Idempotency-Key"
    assert WorkOrder.objects.count() == 0


def test_a_refused_registration_keeps_no_key(district):
    olga = token_of(district.olga)
    refused = post(Client(), olga, {**CALL, "citizen_phone": "12"}, key="call-1")
    assert refused.status_code == 422
    # The corrected request is not "another request with a used key": nothing was stored.
    corrected = post(Client(), olga, CALL, key="call-1")
    assert corrected.status_code == 201


def open311_post(token: str, key: str, description: str = "江宁路昌平路口的路灯连续三晚不亮。"):
    data = {
        "api_key": token,
        "service_code": "cxjs-szss-ldps",
        "description": description,
        "address_string": "静安区江宁路 500 号",
    }
    return Client().post("/open311/v2/requests.json", data, headers={"Idempotency-Key": key})


def test_open311_posts_take_an_idempotency_key_too(district):
    olga = ApiToken.issue(district.olga, name="partner app", scopes=[ApiToken.OPEN311])[1]
    first = open311_post(olga, "partner-req-77")
    again = open311_post(olga, "partner-req-77")
    assert (first.status_code, again.status_code) == (200, 200)
    number = first.json()[0]["service_request_id"]
    assert again.json()[0]["service_request_id"] == number
    assert WorkOrder.objects.count() == 1
    other = open311_post(olga, "partner-req-77", description="噪音扰民")
    assert other.status_code == 409
    assert other.json()[0]["code"] == 409
    assert WorkOrder.objects.count() == 1
