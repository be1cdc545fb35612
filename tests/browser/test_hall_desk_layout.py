"""The window desk while serving, as the clerk sees it: the matters done sit side by side, and
the transfer's selects leave room for its reason."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_hall_story import act, hall, sign_in, take_ticket  # noqa: F401

pytestmark = pytest.mark.browser


def test_the_serving_desk_keeps_its_forms_compact(hall, open_as):  # noqa: F811
    code = hall.hall.code
    kiosk = open_as(None)
    take_ticket(kiosk, code, "jzz")
    wendy = open_as(hall.wendy)
    sign_in(wendy, code, hall.w1.pk)
    act(wendy, "call_next")
    act(wendy, "start")
    expect(wendy.locator("[data-testid=current-number]")).to_have_attribute("data-state", "serving")
    labels = wendy.locator("form:has(button[data-action=finish]) label")
    first, second = labels.nth(0).bounding_box(), labels.nth(1).bounding_box()
    assert abs(first["y"] - second["y"]) < 2  # side by side, not one per line
    transfer = wendy.locator("[data-testid=transfer]")
    form = transfer.bounding_box()
    select = transfer.locator("select[name=matter]").bounding_box()
    reason = transfer.locator("input[name=reason]").bounding_box()
    assert select["width"] < form["width"] / 2
    assert reason["width"] >= 150
    screenshot(wendy, "hall-desk-serving")


def test_finishing_with_no_box_ticked_says_nothing_was_recorded_done(hall, open_as):  # noqa: F811
    code = hall.hall.code
    kiosk = open_as(None)
    take_ticket(kiosk, code, "jzz")
    wendy = open_as(hall.wendy)
    sign_in(wendy, code, hall.w1.pk)
    act(wendy, "call_next")
    act(wendy, "start")
    for box in wendy.locator("[data-testid=finish] input[type=checkbox]:checked").all():
        box.uncheck()
    act(wendy, "finish")
    expect(wendy.locator("ul.messages")).to_contain_text("服务已结束，未记录已办事项。")
