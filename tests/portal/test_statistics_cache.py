"""The public statistics page counts from the cache, not per request: anyone may ask for it
without an account, and each count aggregates a year of orders and events (a few clients looping
on it slowed the staff desks' pages tenfold). This month's counts may be a few minutes behind, and
the page says when they were counted; finished months' counts do not change."""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hotline.orders import actions
from hotline.orders.models import Event, WorkOrder
from hotline.portal import stats
from tests.conftest import at

ORDER_TABLES = (WorkOrder._meta.db_table, Event._meta.db_table)


def received(page: str, month: str) -> int:
    row = re.search(rf'<tr data-month="{month}">(.*?)</tr>', page, re.S).group(1)
    return int(re.search(r'data-testid="received">(\d+)<', row).group(1))


def order_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if any(t in q["sql"] for t in ORDER_TABLES)]


def register(district) -> None:
    actions.register(
        district.olga, title="路灯", description="路灯不亮", category=district.category
    )


def test_a_second_request_counts_nothing_again(district):
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        register(district)
        Client().get("/portal/statistics/")
        with CaptureQueriesContext(connection) as second:
            again = Client().get("/portal/statistics/")
    assert again.status_code == 200
    assert order_queries(second.captured_queries) == []
    assert received(again.content.decode(), "2023-03") == 1
    # In English too: the numbers are kept, not the page.
    with (
        time_machine.travel(at("2023-03-09 10:01"), tick=False),
        CaptureQueriesContext(connection) as english,
    ):
        page = Client(HTTP_ACCEPT_LANGUAGE="en").get("/portal/statistics/").content.decode()
    assert order_queries(english.captured_queries) == []
    assert "Figures updated at 10:00" in page


def test_a_new_order_shows_once_the_kept_counts_expire(district):
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        register(district)
        assert received(Client().get("/portal/statistics/").content.decode(), "2023-03") == 1
        register(district)
        page = Client().get("/portal/statistics/").content.decode()
    assert received(page, "2023-03") == 1  # a few minutes behind, and it says so
    assert "数据更新于 10:00" in page
    later = at("2023-03-09 10:00") + dt.timedelta(seconds=stats.CURRENT_MONTH_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        page = Client().get("/portal/statistics/").content.decode()
    assert received(page, "2023-03") == 2
    assert f"数据更新于 {later:%H:%M}" in page


def test_finished_months_are_counted_once_and_the_months_add_up_as_before(district):
    with time_machine.travel(at("2023-02-10 10:00"), tick=False):
        register(district)
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        register(district)
        register(district)
        assert stats.figures()[0] == stats.monthly()
        later = at("2023-03-09 10:00") + dt.timedelta(seconds=stats.CURRENT_MONTH_SECONDS + 1)
    with time_machine.travel(later, tick=False), CaptureQueriesContext(connection) as recount:
        months, updated = stats.figures()
    assert updated == later
    # Only this month's counts are made again: no query reaches back to last year's months.
    assert order_queries(recount.captured_queries)
    assert all("2022-" not in sql for sql in order_queries(recount.captured_queries))
    assert [(m.month, m.received) for m in months[-2:]] == [
        (dt.date(2023, 2, 1), 1),
        (dt.date(2023, 3, 1), 2),
    ]
    assert len(months) == stats.MONTHS
