"""The citizen's "my place" once served, on a phone (walk-through, session 25, B-M1 and L1): the
page says the service ended, lists the visit's case with its state, and its "Rate this visit" is
drawn as a button (class "button primary", but the page loads only hall.css: it was a plain
underlined link)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.hall import actions
from tests.browser.test_hall_story import hall  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_the_served_place_lists_the_case_and_rates_through_a_button(hall, open_as):  # noqa: F811
    ticket = actions.issue(hall.hall, hall.residence)
    actions.sign_in(hall.w1, hall.wendy)
    hall.w1.refresh_from_db()
    actions.call_ticket(hall.w1, hall.wendy, ticket, reason="测试")
    actions.start(ticket, hall.wendy)
    actions.finish(ticket, hall.wendy)
    page = open_as(None, viewport=PHONE)
    page.goto(f"/hall/place/{ticket.token}/", timeout=60_000)
    expect(page.locator("[data-testid=place-state]")).to_contain_text("服务已结束")
    expect(page.locator("[data-testid=place-cases] li")).to_have_count(1)
    rate = page.locator("[data-testid=rate-visit]")
    expect(rate).to_be_visible()
    style = rate.evaluate(
        "a => { const s = getComputedStyle(a);"
        " return [s.backgroundColor, s.textDecorationLine, s.display]; }"
    )
    assert style == ["rgb(31, 111, 235)", "none", "inline-block"]
    box = rate.bounding_box()
    assert box is not None and box["height"] >= 40  # a finger finds it
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= PHONE["width"]
