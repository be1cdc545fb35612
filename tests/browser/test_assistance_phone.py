"""帮办 on a phone: the helper walks the hall with the citizen, so the assistance page is used at
390 px. Its table of open records pushed the page to 635 px (the step form's select, note and
buttons in one line, and the two start forms in columns of at least 24rem): the buttons were off
the screen. Now nothing is wider than the screen, the open records scroll inside their own box,
and the helper starts, and ends, a record from the phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.hall.conftest import make_hall, opening_hours

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def town(transactional_db, district, live_server):
    town = make_hall(district)
    with opening_hours():
        yield town


def _width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_a_helper_starts_and_ends_assisted_handling_on_a_phone(town, open_as):
    wendy = open_as(town.wendy, viewport=PHONE)
    wendy.goto("/assistance/")
    assert _width(wendy) <= PHONE["width"]
    start = wendy.locator("[data-testid=start-help]")
    start.locator(f"input[name=help-matters][value='{town.residence.pk}']").check()
    start.locator("input[name=help-citizen_name]").fill("张三")
    with wendy.expect_navigation():
        start.locator("button[type=submit]").click()
    proxy = wendy.locator("[data-testid=start-proxy]")
    proxy.locator(f"input[name=proxy-matters][value='{town.allowance.pk}']").check()
    proxy.locator("input[name=proxy-applicant_name]").fill("王老伯")
    proxy.locator("input[name=proxy-authoriser_name]").fill("王小明")
    proxy.locator("input[name=proxy-authorisation_ref]").fill("WT-2099-001-长长的委托书编号")
    proxy.locator("input[name=proxy-authorised_until]").fill("2099-12-31")
    with wendy.expect_navigation():
        proxy.locator("button[type=submit]").click()

    opened = wendy.locator("[data-testid=assistance-open] tbody tr")
    expect(opened).to_have_count(2)
    width = _width(wendy)
    assert width <= PHONE["width"], f"the assistance page is {width} px wide on a 390 px phone"
    screenshot(wendy, "assistance-phone", full_page=True)

    end = wendy.locator("[data-testid=assistance-open] tr[data-state=open] button[data-action=end]")
    end.scroll_into_view_if_needed()
    expect(end).to_be_in_viewport()
    with wendy.expect_navigation():
        end.click()
    expect(wendy.locator("[data-testid=assistance-open] tr[data-state=open]")).to_have_count(0)
