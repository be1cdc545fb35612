"""Nina works her 居委会's orders on a phone in the street (390×844): every control she presses
on her inbox and on the order page is at least 44 px tall (WCAG 2.5.5). Measured before (h5,
session 28): the inbox tabs 37 px, the order number that opens a card 21 px, the action summaries
37 px, their buttons 39 px, 显示号码以联系市民 23 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.orders.models import State
from tests.browser.test_order_page import dialog
from tests.orders.factory import order_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

TOO_SMALL = """(selector) => [...document.querySelectorAll(selector)]
    .filter(e => e.getClientRects().length)
    .map(e => [e.textContent.trim().slice(0, 20) || e.name || e.type,
               Math.round(e.getBoundingClientRect().height)])
    .filter(([, height]) => height < 44)"""


def test_nina_s_inbox_and_order_page_are_big_enough_for_a_finger(town, open_as):
    d = town.d
    order = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    nina = open_as(d.nina, viewport=PHONE)

    nina.goto("/desk/unit/?tab=handling")
    expect(nina.locator(f"tr[data-number='{order.number}']")).to_be_visible()
    assert nina.evaluate(TOO_SMALL, ".tabs a, table.orders td.number a") == []

    nina.goto(f"/orders/{order.number}/")
    expect(nina.locator("[data-testid=reveal-phone]")).to_be_visible()
    assert nina.evaluate(TOO_SMALL, "#order-panel summary, #order-panel button") == []
    box = dialog(nina, "reply")
    assert nina.evaluate(TOO_SMALL, "details[data-action=reply] button") == []
    assert box.locator("button.primary").bounding_box()["height"] >= 44
    assert nina.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
