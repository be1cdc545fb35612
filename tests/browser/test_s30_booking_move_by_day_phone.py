"""张三 moves his booking on his phone (390×844, Chromium), picking the day first (session 30, h3):
the row of days at the top names today and tomorrow and says Tuesday is full; a tap on 明天
brings Friday's times into view, his own 09:00 marked among them; he chooses 09:30 with the
keyboard alone (Tab, arrow, Enter) and his booking's page says it was moved. Nothing runs past
the screen's width. At the east-door kiosk a mistyped booking link gets the kiosk's page, and
its "再试一次" leads back to the kiosk.

It is Thursday 2023-03-09 10:00; 张三 booked Friday 09:00 (居住证) with 13912345678."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from hotline.hall import devices
from hotline.hall.actions import appointments as booking
from hotline.hall.actions import selfservice
from hotline.hall.identity import holder_key
from hotline.hall.models import Appointment, Kiosk
from tests.hall.conftest import make_hall, opening_hours

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
ZHANGSAN = "13912345678"


def _times(town, day: dt.date, starts: dt.time, ends: dt.time, capacity: int = 2):
    return booking.open_slots(
        town.hall, town.residence, day, starts=starts, ends=ends, minutes=30, capacity=capacity
    )


@pytest.fixture
def booked(transactional_db, district, live_server):
    town = make_hall(district)
    with opening_hours():  # Thursday 2023-03-09 10:00
        _times(town, dt.date(2023, 3, 9), dt.time(14), dt.time(16))
        nine, half_past = _times(town, dt.date(2023, 3, 10), dt.time(9), dt.time(10))
        _times(town, dt.date(2023, 3, 13), dt.time(9), dt.time(11))
        (tuesday,) = _times(town, dt.date(2023, 3, 14), dt.time(9), dt.time(9, 30), capacity=1)
        booking.book(tuesday, holder_key=holder_key(phone="13900002222"), holder_name="李四")
        zhangsan = booking.book(
            nine, holder_key=holder_key(phone=ZHANGSAN), holder_name="张三", phone=ZHANGSAN
        )
        yield town, zhangsan, half_past


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_zhangsan_picks_a_day_then_a_time_by_keyboard(booked, open_as):
    _town, zhangsan, half_past = booked
    page = open_as(None, viewport=PHONE)
    page.goto(f"/hall/dnl/book/move/?booking={zhangsan.code}")
    page.locator("input[name=phone]").fill(ZHANGSAN)
    with page.expect_navigation():
        page.locator("[data-action=find-booking]").click()
    nav = page.get_by_test_id("slot-day-nav")
    expect(nav.locator("a")).to_have_count(4)
    expect(nav.locator("a").first).to_contain_text("今天 03-09")
    expect(nav.locator("a").nth(3)).to_contain_text("03-14 · 已约满")
    _fits(page)
    page.screenshot(path="/tmp/h3-move-phone-top.png")
    nav.get_by_text("明天").click()
    friday = page.locator("[data-testid=slot-day][data-day='2023-03-10']")
    expect(friday).to_be_in_viewport()
    expect(friday.get_by_test_id("current-time")).to_contain_text("09:00–09:30")
    expect(friday.locator("input[name=slot]")).to_have_count(1)  # 09:30; his 09:00 not offered
    # Keyboard only: from the day link, Tab reaches Friday's first time; Space chooses it.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.value")
    assert focused == str(half_past.pk), focused
    page.keyboard.press("Space")
    expect(page.locator(f"input[name=slot][value='{half_past.pk}']")).to_be_checked()
    page.screenshot(path="/tmp/h3-move-phone-friday.png")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_test_id("booking-moved")).to_have_text("已改约")
    assert Appointment.objects.get(pk=zhangsan.pk).slot == half_past
    _fits(page)


def test_a_mistyped_link_at_the_kiosk_leads_back_to_it(booked, open_as, live_server):
    town, _zhangsan, _ = booked
    east = Kiosk.objects.create(hall=town.hall, code="dnl-zz1", name="自助终端1号", place="东门")
    token = selfservice.enrol(east, actor=town.hugo)
    page = open_as(None, viewport={"width": 1080, "height": 1920})
    cookie = devices.cookie_value(east, token)
    page.context.add_cookies([{"name": devices.COOKIE, "value": cookie, "url": live_server.url}])
    page.goto("/hall/dnl/book/ZZZZZZ/?kiosk=dnl-zz1")
    expect(page.get_by_role("heading")).to_have_text("未找到该预约")
    expect(page.locator("nav")).to_have_count(0)  # none of the portal's navigation
    page.screenshot(path="/tmp/h3-kiosk-wrong-code.png")
    with page.expect_navigation():
        page.get_by_test_id("kiosk-try-again").click()
    assert page.url.endswith("/hall/dnl/self-service/dnl-zz1/")
