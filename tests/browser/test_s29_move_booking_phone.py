"""张三 moves his booking on his phone (390×844, Chromium): from his booking's page,
"改约到其他时段", his code and number, Monday 09:00, and his booking's page says 已改约 with the
old and the new time; a reload shows the same page and posts nothing again (PRG). Nothing runs
past the screen's width. He booked Friday 2023-03-10 09:00 (居住证) on Thursday with
13912345678."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import Appointment
from tests.hall.conftest import make_hall, open_slot, opening_hours

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
ZHANGSAN = "13912345678"


@pytest.fixture
def booked(transactional_db, district, live_server):
    town = make_hall(district)
    with opening_hours():  # Thursday 2023-03-09 10:00
        friday = open_slot(town, dt.date(2023, 3, 10), capacity=3)
        monday = open_slot(town, dt.date(2023, 3, 13), capacity=3)
        zhangsan = booking.book(
            friday, holder_key=holder_key(phone=ZHANGSAN), holder_name="张三", phone=ZHANGSAN
        )
        yield town, zhangsan, monday


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_zhangsan_moves_his_booking_on_his_phone(booked, open_as):
    _town, zhangsan, monday = booked
    page = open_as(None, viewport=PHONE)
    page.goto(f"/hall/dnl/book/{zhangsan.code}/")
    with page.expect_navigation():
        page.locator("[data-testid=move-booking]").click()
    page.locator("input[name=phone]").fill(ZHANGSAN)
    with page.expect_navigation():
        page.locator("[data-action=find-booking]").click()
    expect(page.locator("[data-testid=move-from]")).to_have_text("2023-03-10 09:00–09:30")
    _fits(page)
    page.locator(f"input[name=slot][value='{monday.pk}']").check()
    with page.expect_navigation():
        page.locator("[data-action=confirm-move]").click()
    expect(page.locator("[data-testid=booking-moved]")).to_have_text("已改约")
    expect(page.locator("[data-testid=moved-from-to]")).to_contain_text(
        "由03-10 09:00改至03-13 09:00"
    )
    expect(page.locator("[data-testid=booking-code]")).to_have_text(zhangsan.code)
    _fits(page)
    events = zhangsan.events.count()
    page.reload()  # a GET: no form posted again
    expect(page.locator("[data-testid=booking-moved]")).to_be_visible()
    assert zhangsan.events.count() == events
    assert Appointment.objects.get(pk=zhangsan.pk).slot == monday
