"""The dispatcher finds a unit in the picker as he names it: 区民政局 by 'mzj' (民政局, the 区
left out, as he says it) and a 居委会 by its code. The initials counted only from the name's
first character, so every bureau named 区… had to be typed 'q…', and codes found nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_order_page import dialog
from tests.orders.factory import new_order

pytestmark = pytest.mark.browser


def test_the_picker_finds_a_bureau_without_its_district_and_a_unit_by_its_code(town, open_as):
    d = town.d
    order = new_order(d, title="高龄补贴未到账", category=town.pension)
    dan = open_as(d.dan)
    dan.goto(f"/orders/{order.number}/")
    box = dialog(dan, "dispatch")
    picker = box.locator(".unit-picker[data-for$='_lead_unit']")
    search = picker.locator("input[type=search]")
    search.press_sequentially("mzj")
    expect(picker.locator("li[role=option]:not(.context)")).to_have_text([d.bureau.name])
    search.fill("")
    search.press_sequentially(d.neighbourhood.code)
    # Named with its street: the centre deals with the first-level unit (8993ebb).
    expect(picker.locator("li[role=option]:not(.context)")).to_have_text(
        [f"{d.neighbourhood.name}（经 {d.street.name}）"]
    )
    search.fill("")
    search.press_sequentially("zz")  # nothing is called that
    expect(picker.locator("li[role=option]:not(.context)")).to_have_count(0)
