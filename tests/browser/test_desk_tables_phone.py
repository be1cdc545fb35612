"""The desks' order tables on a 390 px phone reflow instead of scrolling sideways: Dan's dispatch
desk, Una's inbox, Cathy's callback desk and the order search show each order as a stacked card
(number, title, then the other columns with their names), and no table is wider than its box.
Before, each table kept a 42rem minimum and scrolled inside its box (672 px in 366). At 1366 px
the tables are as before: one row per order, the column heads shown."""

from __future__ import annotations

import pytest

from hotline.orders.models import State
from tests.orders.factory import new_order, order_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

WIDEST_TABLE = """() => Math.max(0, ...[...document.querySelectorAll('table.orders')].map(
    t => t.scrollWidth - t.parentElement.clientWidth))"""


def _reflows(page, url: str) -> None:
    page.goto(url)
    assert page.locator("table.orders tbody tr[data-number]").count() > 0, url
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url
    over = page.evaluate(WIDEST_TABLE)
    assert over == 0, f"{url}: an order table is {over} px wider than its box"
    # Stacked: the state cell sits under the title, with its name.
    state = page.locator("table.orders tbody tr[data-number] td[data-label]").first
    assert state.evaluate("td => getComputedStyle(td).display") == "block"
    label = state.evaluate("td => getComputedStyle(td, '::before').content")
    assert label.strip('"') == state.get_attribute("data-label") != ""


def test_the_desks_tables_reflow_on_a_phone_and_stay_tables_on_a_desktop(town, open_as):
    d = town.d
    new_order(d, title="人行道地砖松动", address="静安区江宁路 100 号")
    order_in(State.ACCEPTED, d)
    order_in(State.REVIEWED, d)
    for user, urls in (
        (d.dan, ["/desk/dispatch/", "/orders/"]),
        (d.una, ["/desk/unit/?tab=handling"]),
        (d.cathy, ["/desk/callback/"]),
    ):
        page = open_as(user, PHONE)
        for url in urls:
            _reflows(page, url)
    dan = open_as(d.dan, DESKTOP)
    dan.goto("/desk/dispatch/")
    head = dan.locator("table.orders thead")
    assert head.is_visible()
    row = dan.locator("table.orders tbody tr[data-number]").first
    assert row.evaluate("tr => getComputedStyle(tr).display") == "table-row"
