"""A citizen following "my place" with a screen reader hears the call (walk-through, session 27,
h7 F4): the page swaps its content whole every 10 s, which a screen reader does not read out, and
nothing on it was a live region, so "请立即到1号窗口" appeared in silence. The change of state is
now said in a live region that stays on the page; a poll that changes nothing says nothing again.
The page has a heading for heading navigation (it had none)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.hall import actions
from tests.browser.test_hall_story import hall  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_the_call_to_a_window_is_said_to_a_screen_reader(hall, open_as):  # noqa: F811
    ticket = actions.issue(hall.hall, hall.residence)
    actions.sign_in(hall.w1, hall.wendy)
    hall.w1.refresh_from_db()
    page = open_as(None, viewport=PHONE)
    page.clock.install()
    page.goto(f"/hall/place/{ticket.token}/", timeout=60_000)
    expect(page.locator("h1")).to_have_count(1)
    news = page.locator("[data-testid=place-news]")
    expect(news).to_have_attribute("aria-live", "assertive")
    expect(page.locator("[data-testid=place-state]")).to_have_attribute("data-state", "waiting")

    # Still waiting at the next poll: nothing to say.
    page.clock.run_for(11_000)
    page.wait_for_timeout(500)
    expect(news).to_have_text("")

    actions.call_ticket(hall.w1, hall.wendy, ticket, reason="测试")
    page.clock.run_for(11_000)
    expect(page.locator("[data-testid=place-state]")).to_have_attribute("data-state", "called")
    expect(news).to_contain_text("请立即到1号窗口")

    # Said once: the next poll with the same call leaves the region alone.
    page.evaluate("document.querySelector('[data-testid=place-news]').textContent = ''")
    page.clock.run_for(11_000)
    page.wait_for_timeout(500)
    expect(news).to_have_text("")


def test_a_citizen_reads_my_place_in_english(hall, open_as):  # noqa: F811
    """Reached from the ticket's QR code, not through the portal (whose header has the switch),
    the page had no language switch: the browser's language only (h7 F7)."""
    ticket = actions.issue(hall.hall, hall.residence)
    page = open_as(None, viewport=PHONE)
    page.goto(f"/hall/place/{ticket.token}/", timeout=60_000)
    with page.expect_navigation():
        page.locator("[data-testid=language]").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{page.url.split('/hall/')[0]}/hall/place/{ticket.token}/")
    expect(page.locator("[data-testid=place-state]")).to_contain_text("ahead of you")
