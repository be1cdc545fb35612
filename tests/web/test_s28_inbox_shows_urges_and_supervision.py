"""Una's morning is which orders the centre is chasing: Sam urged one (催办) twice and put it under
supervision (督办). Her inbox rows and the top of the order page said nothing of either, so she
opened each order and read its timeline to the foot (h5, session 28). Nina's 居委会, holding an
urged order on her phone, sees the urge on her row and at the top of the order too."""

from __future__ import annotations

import time_machine
from django.urls import reverse

from hotline.orders import actions
from hotline.orders.models import State
from tests.conftest import at
from tests.orders.factory import order_in
from tests.web.test_order_pages import page


def _row(html: str, number: str) -> str:
    start = html.index(f'<tr data-number="{number}">')
    return html[start : html.index("</tr>", start)]


def _head(html: str) -> str:
    start = html.index('<header class="order-head">')
    return html[start : html.index("</header>", start)]


def test_una_sees_which_of_her_orders_the_centre_urged_and_supervises(client, district):
    d = district
    with time_machine.travel(at("2026-12-04 10:00"), tick=False):  # Friday
        chased = order_in(State.ACCEPTED, d)
        quiet = order_in(State.ACCEPTED, d)
    with time_machine.travel(at("2026-12-07 09:00"), tick=False):  # Monday morning
        actions.urge(chased, d.sam, note="市民再次来电，请今天答复。")
        chased.refresh_from_db()
        actions.urge(chased, d.sam, note="请尽快。")
        chased.refresh_from_db()
        actions.supervise(chased, d.sam, working_days=2, note="列入督办。")

    with time_machine.travel(at("2026-12-07 09:40"), tick=False):
        html = page(client, d.una, reverse("unit_inbox") + "?tab=handling").content.decode()
        row = _row(html, chased.number)
        assert 'data-testid="urged"' in row and "已催办 2 次" in row
        assert 'data-testid="supervised"' in row and "督办中，12-09 09:00 截止" in row
        assert "urged" not in _row(html, quiet.number)
        assert "supervised" not in _row(html, quiet.number)

        order_page = page(client, d.una, reverse("order_detail", args=[chased.number]))
        head = _head(order_page.content.decode())
        assert "已催办 2 次，最近一次 12-07 09:00" in head
        assert "督办中，12-09 09:00 截止" in head
        english = page(
            client,
            d.una,
            reverse("order_detail", args=[chased.number]),
            HTTP_ACCEPT_LANGUAGE="en",
        )
        head = _head(english.content.decode())
        assert "Urged 2 times, last at 12-07 09:00" in head
        assert "Under supervision until 12-09 09:00" in head


def test_nina_sees_the_urge_on_the_order_her_neighbourhood_holds(client, district):
    d = district
    with time_machine.travel(at("2026-12-04 10:00"), tick=False):
        order = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    with time_machine.travel(at("2026-12-07 09:20"), tick=False):
        actions.urge(order, d.sam, note="即将超期，请抓紧办理。")
    with time_machine.travel(at("2026-12-07 09:40"), tick=False):
        html = page(client, d.una_nb, reverse("unit_inbox") + "?tab=handling").content.decode()
        assert "已催办 1 次" in _row(html, order.number)
        street = page(client, d.una, reverse("unit_inbox") + "?tab=assigned").content.decode()
        assert "已催办 1 次" in _row(street, order.number)
        english = page(
            client,
            d.una_nb,
            reverse("order_detail", args=[order.number]),
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert "Urged once, at 12-07 09:20" in _head(english.content.decode())


def test_a_replied_order_no_longer_says_it_is_under_supervision(client, district):
    d = district
    with time_machine.travel(at("2026-12-04 10:00"), tick=False):
        order = order_in(State.ACCEPTED, d)
    with time_machine.travel(at("2026-12-07 09:00"), tick=False):
        actions.supervise(order, d.sam, working_days=2, note="列入督办。")
        order.refresh_from_db()
        actions.reply(order, d.una, result="resolved", text="已处理。")
    with time_machine.travel(at("2026-12-07 09:40"), tick=False):
        html = page(client, d.una, reverse("unit_inbox") + "?tab=waiting").content.decode()
        assert "supervised" not in _row(html, order.number)
