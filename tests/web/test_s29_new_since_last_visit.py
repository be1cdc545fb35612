"""Una opens her inbox on Monday morning: which of the orders waiting came in since she last
looked? Nothing told the overnight orders from the rest (h5, session 28, F6). Now the rows that
arrived since her previous visit (or, on her first, since the start of the previous working day)
say 新, and the tab counts them: "待签收 3（新 2）". The marks stay while she works through them
(a reload, back from an order); after a break, her next visit is new since the last look of the
one before. Dan's dispatch desk does the same for what was registered, returned or replied."""

from __future__ import annotations

import re

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hotline.orders import actions
from tests.conftest import at
from tests.orders.factory import new_order


def _dispatched(d, when):
    with time_machine.travel(at(when), tick=False):
        order = new_order(d)
        actions.dispatch(order, d.dan, lead_unit=d.street)
    return order


def _inbox(client, user, when, tab="to_accept", **headers):
    with time_machine.travel(at(when), tick=False):
        client.force_login(user)
        response = client.get(reverse("unit_inbox"), {"tab": tab}, **headers)
    assert response.status_code == 200
    return response.content.decode()


def _new_rows(html: str) -> set[str]:
    rows = re.findall(r'<tr data-number="([^"]+)">(.*?)</tr>', html, re.S)
    return {number for number, row in rows if 'data-testid="new"' in row}


def _tab(html: str, key: str) -> str:
    return re.search(rf'data-tab="{key}"[^>]*>(.*?)</a>', html, re.S).group(1)


def test_una_sees_what_came_in_since_friday_morning_on_her_first_visit(client, district):
    d = district
    thursday = _dispatched(d, "2026-12-03 16:00")
    friday = _dispatched(d, "2026-12-04 15:00")
    monday = _dispatched(d, "2026-12-07 08:30")
    html = _inbox(client, d.una, "2026-12-07 09:40")
    assert _new_rows(html) == {friday.number, monday.number}
    assert thursday.number in html
    tab = _tab(html, "to_accept")
    assert ">3</span>" in tab and "（新 2）" in tab
    assert "其中 2 件为您上次查看后新到" in tab  # read out by a screen reader


def test_the_marks_stay_through_a_reload_and_move_after_a_break(client, district):
    d = district
    early = _dispatched(d, "2026-12-07 08:30")
    _inbox(client, d.una, "2026-12-07 09:40")
    again = _inbox(client, d.una, "2026-12-07 09:55")  # back from an order page
    assert _new_rows(again) == {early.number}
    late = _dispatched(d, "2026-12-07 11:00")
    after_lunch = _inbox(client, d.una, "2026-12-07 14:00")
    assert _new_rows(after_lunch) == {late.number}
    assert "（新 1）" in _tab(after_lunch, "to_accept")


def test_the_desks_poll_does_not_count_as_a_visit(client, district):
    d = district
    _inbox(client, d.una, "2026-12-07 09:40")
    with time_machine.travel(at("2026-12-07 18:00"), tick=False):
        client.force_login(d.una)
        client.get(
            reverse("unit_inbox"),
            {"tab": "to_accept", "since": at("2026-12-07 17:59").isoformat()},
            HTTP_HX_REQUEST="true",
        )
    night = _dispatched(d, "2026-12-07 20:00")
    morning = _inbox(client, d.una, "2026-12-08 09:00")
    assert night.number in _new_rows(morning)


def test_her_own_assigning_inside_is_not_news_to_her(client, district):
    d = district
    order = _dispatched(d, "2026-12-07 08:30")
    with time_machine.travel(at("2026-12-07 08:40"), tick=False):
        actions.accept(order, d.una)
        actions.assign_inside(order, d.una, unit=d.neighbourhood)
    assigned = _inbox(client, d.una, "2026-12-07 09:40", tab="assigned")
    assert order.number in assigned and not _new_rows(assigned)
    nina = _inbox(client, d.nina, "2026-12-07 09:40", tab="handling")
    assert _new_rows(nina) == {order.number}


def test_dan_sees_the_new_registrations_in_english_too(client, district):
    d = district
    with time_machine.travel(at("2026-12-03 10:00"), tick=False):
        old = new_order(d)
    with time_machine.travel(at("2026-12-07 08:50"), tick=False):
        fresh = new_order(d)
    with time_machine.travel(at("2026-12-07 09:40"), tick=False):
        client.force_login(d.dan)
        html = client.get(
            reverse("dispatch_desk"), {"tab": "new"}, HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    assert _new_rows(html) == {fresh.number}
    assert old.number in html
    assert "(new 1)" in _tab(html, "new")


def test_the_marks_cost_no_query_per_row(client, district):
    d = district
    _inbox(client, d.una, "2026-12-07 09:00")  # each count below is of a visit going on

    def queries(n):
        for _i in range(n):
            _dispatched(d, "2026-12-07 08:30")
        with time_machine.travel(at("2026-12-07 09:40"), tick=False):
            client.force_login(d.una)
            with CaptureQueriesContext(connection) as captured:
                client.get(reverse("unit_inbox"), {"tab": "to_accept"})
        return len(captured)

    assert queries(2) == queries(8)
