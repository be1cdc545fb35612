"""Una looks in 已办结（30 天内） for what her street finished yesterday: the tab listed the oldest
registration first, so an order registered in November and replied to weeks ago sat above the one
replied to on Friday (h5, session 28). The tab now lists the latest reply first."""

from __future__ import annotations

import time_machine
from django.urls import reverse

from hotline.orders import actions
from hotline.orders.models import State
from tests.conftest import at
from tests.orders.factory import order_in
from tests.web.test_order_pages import page


def _done(order, d) -> None:
    order.refresh_from_db()
    actions.reply(order, d.una, result="resolved", text="已处理。")
    order.refresh_from_db()
    actions.approve_reply(order, d.dan)


def test_the_done_tab_lists_the_latest_reply_first(client, district):
    d = district
    with time_machine.travel(at("2026-11-20 10:00"), tick=False):
        weeks_ago = order_in(State.ACCEPTED, d)
    with time_machine.travel(at("2026-11-23 10:00"), tick=False):
        _done(weeks_ago, d)
    with time_machine.travel(at("2026-12-02 10:00"), tick=False):
        friday = order_in(State.ACCEPTED, d)
    with time_machine.travel(at("2026-12-04 16:00"), tick=False):
        _done(friday, d)
    with time_machine.travel(at("2026-12-07 09:40"), tick=False):
        html = page(client, d.una, reverse("unit_inbox") + "?tab=done").content.decode()
    assert html.index(friday.number) < html.index(weeks_ago.number)
