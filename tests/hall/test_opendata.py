"""Open data: a hall's live queue and daily statistics, without a token, in the OpenAPI schema."""

from __future__ import annotations

import pytest
import time_machine

from hotline.hall import actions
from tests.conftest import at

pytestmark = pytest.mark.django_db


def test_the_live_queue_and_the_days_figures_need_no_token(client, town):
    with time_machine.travel(at("2023-03-09 09:00"), tick=False):
        actions.sign_in(town.w2, town.walt)
        actions.issue(town.hall, town.residence, holder_name="张三")
        actions.issue(town.hall, town.residence)
        ticket = actions.call_next(town.w2, town.walt)
        live = client.get("/api/v1/open/halls/dnl/queue").json()
    assert live["open_windows"] == 1
    residence = next(q for q in live["queues"] if q["matter"] == "jzz")
    assert residence["waiting"] == 1
    assert residence["estimated_wait_min"] <= residence["estimated_wait_max"]
    assert "张" not in str(live)
    with time_machine.travel(at("2023-03-09 09:20"), tick=False):
        actions.start(ticket, town.walt)
        actions.finish(ticket, town.walt)
    day = client.get("/api/v1/open/halls/dnl/daily/2023-03-09").json()
    assert (day["issued"], day["served"]) == (2, 1)
    assert len(day["waiting_histogram_5min"]) == 13
    assert client.get("/api/v1/open/halls").json() == [
        {"code": "dnl", "name": "大宁路街道社区事务受理服务中心"}
    ]
    assert client.get("/api/v1/open/halls/nowhere/queue").status_code == 404


def test_the_open_data_is_in_the_openapi_schema(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/open/halls/{code}/queue" in paths
    assert "/api/v1/open/halls/{code}/daily/{day}" in paths
