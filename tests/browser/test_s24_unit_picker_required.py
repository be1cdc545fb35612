"""The unit picker says when no unit is chosen (h5, session 24, M4): the select it hides is
required, and the browser cannot point at a hidden control, so pressing 二级派单 with no unit did
nothing visible. Now the message shows under the picker's search box, which takes the focus,
and nothing is sent."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.orders.models import State, WorkOrder
from tests.browser.conftest import screenshot
from tests.browser.test_order_page import dialog, pick
from tests.orders.factory import order_in

pytestmark = pytest.mark.browser


def test_no_unit_chosen_is_said_next_to_the_search_box(town, open_as):
    d = town.d
    order = order_in(State.DISPATCHED, d)
    una = open_as(d.una)
    una.goto(f"/orders/{order.number}/")
    box = dialog(una, "assign_inside")
    picker = box.locator(".unit-picker[data-for$='_unit']")
    expect(box.locator("select[name=unit]")).to_have_value("")
    posts: list[str] = []
    una.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    box.locator("button.primary").click()
    problem = picker.locator(".picker-problem")
    expect(problem).to_be_visible()
    expect(problem).to_have_text("请从列表中选择单位。")
    expect(picker.locator("input[type=search]")).to_be_focused()
    screenshot(una, "s24-unit-picker-required")
    assert posts == []
    # Choosing a unit clears the message, and the form goes.
    pick(box, "unit", "shhy", d.neighbourhood.name)
    expect(problem).to_be_hidden()
    box.locator("button.primary").click()
    expect(una.locator("[data-testid=assigned-unit]")).to_have_text(d.neighbourhood.name)
    assert WorkOrder.objects.get(pk=order.pk).assigned_unit == d.neighbourhood
