"""张三 moves his booking (改约) and picks the new time by day (walk-through, session 30, h3).

The move page listed the free times (some forty in a hall's week) under bare dates: today and
tomorrow were not named, a fully booked day was simply missing (so "is Tuesday full, or not
open?" had no answer), and the time he has now was nowhere among them. Now each day is its own
group, today and tomorrow named, a row of day links at the top, his own time marked (and not
offered), a full day said to be full. The booking page and the hall's own move page list the
times the same way.

It is Thursday 2023-03-09 10:00. 张三 booked Friday 09:00 (居住证); the hall has free times this
afternoon (14:00, 14:30), Friday 09:30, and Monday 09:00; Tuesday's only time (09:00, one
place) was taken by 李四."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from tests.conftest import at
from tests.hall.conftest import BOOKING_PHONE

pytestmark = pytest.mark.django_db

THURSDAY = dt.date(2023, 3, 9)


def _times(town, day: dt.date, starts: int, ends: int):
    return booking.open_slots(
        town.hall, town.residence, day,
        starts=dt.time(starts), ends=dt.time(ends), minutes=30, capacity=2,
    )  # fmt: skip


@pytest.fixture
def week(town):
    """The hall's 居住证 times and the two bookings, made on Wednesday."""
    with time_machine.travel(at("2023-03-08 15:00"), tick=False):
        _times(town, THURSDAY, 14, 15)
        friday_nine, friday_half_past = _times(town, dt.date(2023, 3, 10), 9, 10)
        _times(town, dt.date(2023, 3, 13), 9, 10)
        (tuesday,) = booking.open_slots(
            town.hall, town.residence, dt.date(2023, 3, 14),
            starts=dt.time(9), ends=dt.time(9, 30), minutes=30, capacity=1,
        )  # fmt: skip
        zhangsan = booking.book(
            friday_nine,
            holder_key=holder_key(phone=BOOKING_PHONE),
            holder_name="张三",
            phone=BOOKING_PHONE,
        )
        booking.book(tuesday, holder_key=holder_key(phone="13900002222"), holder_name="李四")
    return zhangsan, friday_half_past


@pytest.fixture
def ten_am():
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        yield


def _days(page: str) -> dict[str, str]:
    """Each day's group, by its date (``data-day``)."""
    found = re.findall(r'<fieldset data-testid="slot-day".*?</fieldset>', page, re.S)
    return {re.search(r'data-day="([\d-]+)"', day).group(1): day for day in found}


def _move_page(client, town, zhangsan) -> str:
    url = reverse("hall:move_booking", args=[town.hall.code])
    with translation.override("zh-hans"):
        found = client.post(url, {"booking": zhangsan.code, "phone": BOOKING_PHONE})
    assert found.status_code == 200
    return found.content.decode()


def test_zhangsan_sees_the_times_by_day_today_and_tomorrow_named(client, town, week, ten_am):
    zhangsan, _ = week
    days = _days(_move_page(client, town, zhangsan))
    assert list(days) == ["2023-03-09", "2023-03-10", "2023-03-13", "2023-03-14"]
    assert "今天" in days["2023-03-09"] and "14:00–14:30" in days["2023-03-09"]
    assert "明天" in days["2023-03-10"]
    assert "今天" not in days["2023-03-13"] and "明天" not in days["2023-03-13"]


def test_his_own_time_is_marked_not_offered(client, town, week, ten_am):
    zhangsan, friday_half_past = week
    friday = _days(_move_page(client, town, zhangsan))["2023-03-10"]
    current = re.search(r'data-testid="current-time">([^<]*)<small>([^<]*)', friday)
    assert current is not None and current.groups() == ("09:00–09:30 ", "当前预约时段")
    assert f'value="{zhangsan.slot_id}"' not in friday
    assert f'name="slot" value="{friday_half_past.pk}"' in friday


def test_a_fully_booked_day_is_said_full(client, town, week, ten_am):
    zhangsan, _ = week
    page = _move_page(client, town, zhangsan)
    tuesday = _days(page)["2023-03-14"]
    assert "当天已约满" in tuesday and 'name="slot"' not in tuesday
    nav = re.search(r'<nav[^>]*data-testid="slot-day-nav".*?</nav>', page, re.S).group(0)
    assert [a for a in re.findall(r'href="#times-([\d-]+)"', nav)] == list(_days(page))
    assert re.search(r"03-14 · 已约满</a>", nav)


def test_the_hall_manager_and_the_booking_page_list_them_the_same_way(client, town, week, ten_am):
    zhangsan, _ = week
    client.force_login(town.hugo)
    with translation.override("zh-hans"):
        staff = client.get(reverse("hall:move_appointment", args=[town.hall.code, zhangsan.code]))
    days = _days(staff.content.decode())
    assert "当前预约时段" in days["2023-03-10"] and "当天已约满" in days["2023-03-14"]
    client.logout()
    with translation.override("zh-hans"):
        booking_page = client.get(
            reverse("hall:book", args=[town.hall.code]), {"matter": town.residence.pk}
        ).content.decode()
    days = _days(booking_page)
    assert "今天" in days["2023-03-09"] and "当天已约满" in days["2023-03-14"]
    assert "当前预约时段" not in booking_page


def test_in_english_too(client, town, week, ten_am):
    zhangsan, _ = week
    url = reverse("hall:move_booking", args=[town.hall.code])
    with translation.override("en"):
        page = client.post(
            url, {"booking": zhangsan.code, "phone": BOOKING_PHONE}, HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    days = _days(page)
    assert "Today" in days["2023-03-09"] and "Tomorrow" in days["2023-03-10"]
    assert "your time now" in days["2023-03-10"] and "Fully booked this day." in days["2023-03-14"]
