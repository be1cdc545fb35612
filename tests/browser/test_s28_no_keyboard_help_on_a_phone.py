"""Nina's inbox on her phone (touch only, no keyboard or mouse) offered 键盘快捷键 ?, the desk's
keyboard help (h5, session 28): it is no use there and took the line beside the title. A phone
no longer shows it; Una's desktop with a mouse still does."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import TIMEOUT_MS, log_in

pytestmark = pytest.mark.browser


def test_the_keyboard_help_is_left_off_a_touch_phone(town, browser, live_server, open_as):
    d = town.d
    phone = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    phone.set_default_timeout(TIMEOUT_MS)
    try:
        nina = phone.new_page()
        log_in(nina, d.nina.username)
        nina.goto("/desk/unit/")
        expect(nina.locator("h1")).to_be_visible()
        expect(nina.locator("[data-desk-help]")).to_be_hidden()
    finally:
        phone.close()

    una = open_as(d.una)
    una.goto("/desk/unit/")
    expect(una.locator("[data-desk-help]")).to_be_visible()
