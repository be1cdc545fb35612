"""The hall board's address opened on a phone (390×844, session 21): its wall-display columns
(calls 2fr, queues 1fr, 3rem numbers) left the queues a column a few characters wide, each matter
broken over four lines, and "正在叫号" over two. On a phone the calls stand above the queues, one
column, nothing wider than the screen."""

from __future__ import annotations

import pytest

from hotline.hall import actions
from tests.browser.conftest import screenshot
from tests.hall.conftest import make_hall, opening_hours

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_board_on_a_phone_is_one_column(town, open_as, live_server, language):
    hall = make_hall(town.d)
    with opening_hours():
        for _ in range(3):
            actions.issue(hall.hall, hall.residence, holder_name="张三")
        actions.sign_in(hall.w2, hall.walt)
        actions.call_next(hall.w2, hall.walt)
        page = open_as(None, PHONE)
        page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        page.goto(f"/hall/{hall.hall.code}/board/")
        now = page.locator(".board-now").bounding_box()
        queues = page.locator(".board-queues").bounding_box()
        assert queues["y"] >= now["y"] + now["height"] - 1  # below the calls, not beside them
        assert queues["width"] > 300
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        screenshot(page, f"hall-board-phone-{language}", full_page=True)
