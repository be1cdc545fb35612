"""The citizen's "my place" on a phone: the state's secondary line (here: set aside at window 1)
reads smaller than the count and the wait above it (session 30). The device pages load only
hall.css, so app.css's ``.small`` never reached them: the lunch line, "transferred to window N",
"set aside", "missed your call" all stood as large as "0 people ahead of you"."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.hall import actions
from tests.browser.test_hall_story import hall  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SIZE = "e => parseFloat(getComputedStyle(e).fontSize)"


def test_set_aside_line_reads_smaller_than_the_state(hall, open_as):  # noqa: F811
    ticket = actions.issue(hall.hall, hall.residence)
    actions.sign_in(hall.w1, hall.wendy)
    hall.w1.refresh_from_db()
    actions.call_ticket(hall.w1, hall.wendy, ticket, reason="测试")
    actions.hold(ticket, hall.wendy, reason="回去取户口本")
    page = open_as(None, viewport=PHONE)
    page.goto(f"/hall/place/{ticket.token}/", timeout=60_000)
    held = page.locator("[data-testid=place-held]")
    expect(held).to_contain_text("1")
    state = page.locator("[data-testid=place-state]")
    assert held.evaluate(SIZE) < state.evaluate(SIZE) * 0.8
    assert held.evaluate(SIZE) >= 16  # still read without glasses
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
