"""Hugo keeps 大宁路's appointment slots from his phone (390×844), Thursday 2023-03-09: he goes
from his live board to the slot page, opens next week's 居住证 afternoons, sees each day's places
booked of places open, raises one slot's capacity, closes one nobody booked (it stays on the
day, closed, with who changed what), and copies the week to the one after. Nothing is wider
than the screen."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import AppointmentSlot
from tests.browser.conftest import screenshot
from tests.hall.conftest import make_hall, opening_hours

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def town(transactional_db, district, live_server):
    town = make_hall(district)
    with opening_hours():
        (monday,) = booking.open_slots(
            town.hall, town.residence, dt.date(2023, 3, 13),
            starts=dt.time(9), ends=dt.time(9, 30), minutes=30, capacity=2,
        )  # fmt: skip
        booking.book(monday, holder_key=holder_key(phone="13800001111"), holder_name="赵六")
        yield town


def _fits(page) -> None:
    page.wait_for_load_state()  # the stylesheets in: a table scrolls inside its box
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        "[...document.querySelectorAll('main *')]"
        ".filter(e => e.getBoundingClientRect().right > 392 && !e.closest('.table-scroll'))"
        ".slice(0, 3).map(e => e.outerHTML.slice(0, 120))"
    )
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a 390 px phone: {wide}"


def test_hugo_keeps_next_weeks_slots_on_his_phone(town, open_as):
    hugo = open_as(town.hugo, viewport=PHONE)
    hugo.goto("/hall/dnl/manage/")
    hugo.get_by_test_id("go-slots").click()
    # Wait for next week's page: this week's says 预约时段 too and is loaded, so without the
    # wait the form below could be filled on it and lost when next week's page comes.
    with hugo.expect_navigation():
        hugo.get_by_test_id("next-week").click()
    expect(hugo.locator("h1")).to_contain_text("预约时段")
    _fits(hugo)

    form = hugo.get_by_test_id("add-slots")
    form.locator("select[name=matter]").select_option(str(town.residence.pk))
    form.locator("input[name=first_day]").fill("2023-03-13")
    form.locator("input[name=last_day]").fill("2023-03-19")
    form.locator("input[name=starts]").fill("14:00")
    form.locator("input[name=ends]").fill("15:00")
    form.locator("input[name=minutes]").fill("30")
    form.locator("input[name=capacity]").fill("2")
    form.get_by_role("button").click()
    expect(hugo.locator(".messages")).to_contain_text("新建时段10个")
    monday = hugo.locator("[data-matter=jzz] td[data-day='2023-03-13']")
    expect(monday).to_have_text("1/6")  # 赵六 at 09:00, three slots of 2
    expect(hugo.locator("[data-matter=jzz] td[data-day='2023-03-18']")).to_have_text("—")
    _fits(hugo)
    screenshot(hugo, "hall-slots-phone", full_page=True)

    monday.get_by_role("link").click()
    detail = hugo.get_by_test_id("slots-detail")
    expect(detail.locator("tr[data-slot]")).to_have_count(3)
    booked = detail.locator("tr[data-starts='09:00']")
    expect(booked.locator("[data-action=close]")).to_have_count(0)  # 赵六 keeps his place
    two = detail.locator("tr[data-starts='14:00']")
    two.locator("input[name=capacity]").fill("5")
    two.locator("[data-action=capacity]").click()
    expect(hugo.locator(".messages")).to_contain_text("容量5人")
    expect(detail.locator("tr[data-starts='14:00'] [data-free]")).to_have_text("5")
    detail.locator("tr[data-starts='14:30'] [data-action=close]").click()
    expect(hugo.locator(".messages")).to_contain_text("已关闭")
    # The closed slot stays on the day, marked closed, and the day says who changed what.
    expect(detail.locator("tr[data-slot]")).to_have_count(3)
    expect(detail.locator("tr[data-closed]")).to_have_attribute("data-starts", "14:30")
    changes = detail.get_by_test_id("slot-events")
    expect(changes.locator("tr[data-action=close]")).to_contain_text(town.hugo.username)
    expect(changes.locator("tr[data-action=capacity]")).to_contain_text("2 → 5")
    _fits(hugo)

    hugo.get_by_test_id("copy-week").get_by_role("button").click()
    expect(hugo.locator(".messages")).to_contain_text("新建时段10个")
    expect(hugo.locator("[data-matter=jzz] td[data-day='2023-03-20']")).to_have_text("0/7")
    assert AppointmentSlot.objects.filter(day=dt.date(2023, 3, 20)).count() == 2
