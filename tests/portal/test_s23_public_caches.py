"""The public aggregates have caches of their own, and the open data answers only the days a hall
has figures for (session 23, h4 F6: 400 requests for distinct past days of the open data evicted
the statistics page's counts from the one shared 300-entry cache, so the cache that keeps that
page from counting per request did not hold; a day of 2000 or 2099 was counted as zeros)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hotline.hall import actions as hall_actions
from hotline.hall import opendata
from hotline.orders import actions
from hotline.orders.models import Event, WorkOrder
from hotline.portal import stats
from tests.conftest import at
from tests.hall.conftest import make_hall

pytestmark = pytest.mark.django_db

ORDER_TABLES = (WorkOrder._meta.db_table, Event._meta.db_table)
FIRST_TICKET = dt.date(2022, 1, 4)


def order_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if any(t in q["sql"] for t in ORDER_TABLES)]


@pytest.fixture
def town(district):
    town = make_hall(district)
    hall_actions.issue(town.hall, town.residence, now=at(f"{FIRST_TICKET} 09:30"))
    return town


def daily(client: Client, day: dt.date | str):
    return client.get(f"/api/v1/open/halls/dnl/daily/{day}")


def test_every_cache_has_its_size_and_the_public_ones_their_own_store():
    aliases = settings.CACHES
    assert {"default", "public", "open-data"} <= set(aliases)
    assert len({aliases[name]["LOCATION"] for name in aliases}) == len(aliases)
    for name in aliases:
        assert aliases[name]["OPTIONS"]["MAX_ENTRIES"] > 0
    assert stats.CACHE == "public" and opendata.CACHE == "open-data"


def test_four_hundred_past_days_of_open_data_leave_the_statistics_counted(district, town):
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        actions.register(
            district.olga, title="路灯", description="路灯不亮", category=district.category
        )
        client = Client()
        assert client.get("/portal/statistics/").status_code == 200
        for i in range(400):
            response = daily(client, FIRST_TICKET + dt.timedelta(days=i))
            assert response.status_code == 200, response.content
        with CaptureQueriesContext(connection) as again:
            page = client.get("/portal/statistics/")
    assert page.status_code == 200
    assert order_queries(again.captured_queries) == []  # still kept: nothing counted again


def test_a_day_after_today_is_not_found(client, town):
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        for day in ("2023-03-10", "2099-01-01", "2100-12-31"):
            response = daily(client, day)
            assert response.status_code == 404, day
            assert response.json()["error"] == "not_found"
        assert daily(client, "2023-03-09").status_code == 200  # today: live
        assert daily(client, "2023-03-08").status_code == 200  # a finished day
    assert len(caches[opendata.CACHE]._cache) == 1  # type: ignore[attr-defined]


def test_a_day_before_the_halls_first_figures_is_not_found(client, town):
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        for day in ("2000-01-01", "2021-12-31", FIRST_TICKET - dt.timedelta(days=1)):
            assert daily(client, day).status_code == 404, day
        first = daily(client, FIRST_TICKET).json()
        assert first["issued"] == 1
        quiet = daily(client, FIRST_TICKET + dt.timedelta(days=1)).json()
        assert (quiet["issued"], quiet["no_show_rate"]) == (0, None)  # after it: a day of none
    assert len(caches[opendata.CACHE]._cache) == 2  # type: ignore[attr-defined]


def test_a_hall_without_any_ticket_has_today_only(client, district):
    make_hall(district, code="new")
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        assert client.get("/api/v1/open/halls/new/daily/2023-03-08").status_code == 404
        today = client.get("/api/v1/open/halls/new/daily/2023-03-09")
    assert today.status_code == 200 and today.json()["issued"] == 0
