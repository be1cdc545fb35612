"""Una's phone has not run the page's script yet (a slow network; here, script off): she opens
the sign-for dialog (a plain <details>) and presses 签收. The browser posts the form itself. She
used to get the bare order panel as the whole page, without the site's layout or styles; now
she is back on the order page, which says it was done."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.orders.models import State, WorkOrder
from tests.browser.conftest import DESKTOP, TIMEOUT_MS, log_in
from tests.browser.test_order_page import panel
from tests.orders.factory import order_in

pytestmark = pytest.mark.browser


def test_una_signs_for_an_order_with_script_off_and_sees_the_whole_page(town, browser, live_server):
    d = town.d
    order = order_in(State.DISPATCHED, d)
    context = browser.new_context(
        base_url=live_server.url,
        viewport=DESKTOP,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        java_script_enabled=False,
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        una = context.new_page()
        log_in(una, d.una.username)
        page = f"{live_server.url}/orders/{order.number}/"
        una.goto(page)
        box = una.locator("details[data-action=accept]")
        box.locator("summary").click()
        with una.expect_navigation():
            box.locator("button.primary").click()

        expect(una).to_have_url(page)
        expect(una.locator("header.topbar")).to_be_visible()  # the site's layout
        expect(una.locator("link[rel=stylesheet][href*='hotline/app.css']")).to_have_count(1)
        expect(una.locator("ul.messages")).to_contain_text("签收：已完成。")
        expect(panel(una, "accepted")).to_be_visible()
        assert WorkOrder.objects.get(pk=order.pk).state == State.ACCEPTED
    finally:
        context.close()
