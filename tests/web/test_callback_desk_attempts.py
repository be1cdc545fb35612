"""The callback desk says how many calls to each citizen failed so far, so Cathy sees which order is
one failed call from closing as unreachable before she opens it (CALLBACK_MAX_ATTEMPTS = 3)."""

from __future__ import annotations

import re

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hotline.orders import actions
from hotline.orders.models import CallbackOutcome, State, WorkOrder
from tests.conftest import District
from tests.orders.factory import order_in


def desk_rows(client, district: District) -> dict[str, str]:
    """Each order's row on Cathy's desk, by number."""
    client.force_login(district.cathy)
    html = client.get(reverse("callback_desk")).content.decode()
    rows = re.findall(r'<tr data-number="([^"]+)">(.*?)</tr>', html, re.S)
    return dict(rows)


def not_reached(order: WorkOrder, district: District, times: int) -> None:
    for _ in range(times):
        order.refresh_from_db()
        actions.callback_attempt(order, district.cathy, outcome=CallbackOutcome.NOT_REACHED)


@override_settings(CALLBACK_MAX_ATTEMPTS=3)
def test_cathy_sees_the_failed_calls_of_each_order_on_her_desk(client, district):
    fresh = order_in(State.REVIEWED, district)
    once = order_in(State.REVIEWED, district)
    twice = order_in(State.REVIEWED, district)
    not_reached(once, district, 1)
    not_reached(twice, district, 2)

    rows = desk_rows(client, district)

    assert "未接通：1/3 次" in rows[once.number]
    assert "未接通：2/3 次" in rows[twice.number]
    assert "未接通" not in rows[fresh.number]


def test_the_count_starts_again_when_the_order_comes_back_after_a_reopen(client, district):
    order = order_in(State.REVIEWED, district)
    not_reached(order, district, 2)
    order.refresh_from_db()
    actions.callback(order, district.cathy, resolved=False, satisfaction="dissatisfied")
    actions.reopen(order, district.sam, reason="市民反映仍未修好")
    actions.reply(order, district.una, result="resolved", text="已更换灯具")
    actions.approve_reply(order, district.dan)

    assert "未接通" not in desk_rows(client, district)[order.number]


def test_the_count_costs_no_query_per_order(client, district):
    def queries_for_the_desk() -> int:
        client.force_login(district.cathy)
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("callback_desk"))
        return len(queries)

    not_reached(order_in(State.REVIEWED, district), district, 1)
    one_order = queries_for_the_desk()
    for _ in range(3):
        not_reached(order_in(State.REVIEWED, district), district, 1)
    assert queries_for_the_desk() == one_order
