"""The hall's cancel and move texts come in the language the booking was made in (session 30).

Thursday 2023-03-09. Mary books Friday's 09:00 居住证 on the portal in English; 张三 books his in
Chinese; Olga, a 12345 operator, books for callers and picks the language of their texts
(Chinese unless she picks another). Hugo (hall manager), his page in either language, cancels or
moves the bookings: each holder is texted in the booking's language. Before, every such text was
in Chinese: the citizen's language was not kept. The language is kept as long as the number."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import time_machine
from django.test import TestCase, override_settings
from django.utils import translation

from hotline.hall.actions import appointments as booking
from hotline.hall.models import Appointment, AppointmentSlot
from tests.conftest import at
from tests.hall.booking_by_code import OUTBOX, Outbox, book
from tests.hall.conftest import HallTown, open_slot

pytestmark = pytest.mark.django_db

MARY = "13900002222"
ZHANGSAN = "13912345678"
CALLER = "13900001111"
HALL = "大宁路街道社区事务受理服务中心"
FRIDAY = dt.date(2023, 3, 10)
MONDAY = dt.date(2023, 3, 13)
URL = "/hall/dnl/book/"


@contextlib.contextmanager
def sending() -> Iterator[None]:
    """The texts sent (to the test notifier) once what runs inside commits."""
    Outbox.sent.clear()
    with override_settings(NOTIFIERS=OUTBOX), TestCase.captureOnCommitCallbacks(execute=True):
        yield


def texts(action: str) -> list[str]:
    return [m.text for m in Outbox.sent if m.action == action]


@dataclass
class Times:
    """Friday's and Monday's 09:00 居住证 at 大宁路's hall, three places each."""

    town: HallTown
    friday: AppointmentSlot
    monday: AppointmentSlot


@pytest.fixture
def times(town) -> Times:
    return Times(town, open_slot(town, FRIDAY, capacity=3), open_slot(town, MONDAY, capacity=3))


def on_the_portal(client, times: Times, phone: str, name: str, language: str) -> Appointment:
    """Friday's 09:00 booked on the portal (the form, the texted code), in ``language``."""
    form = {"matter": times.town.residence.pk, "slot": times.friday.pk}
    answer = book(client, URL, form | {"phone": phone, "name": name}, HTTP_ACCEPT_LANGUAGE=language)
    assert answer.status_code == 302, answer.content.decode()
    return Appointment.objects.get(holder_name=name)


def hugo_cancels(times: Times, appointment: Appointment, page: str) -> None:
    """Hugo, his page in ``page``, cancels it (his reason closes with its own full stop)."""
    hugo = times.town.hugo
    with translation.override(page), sending():
        assert booking.cancel(appointment, actor=hugo, reason="窗口设备故障。", via="hall")


def hugo_moves(times: Times, appointment: Appointment, page: str) -> None:
    """Hugo, his page in ``page``, moves it to Monday."""
    hugo = times.town.hugo
    with translation.override(page), sending():
        assert booking.move(appointment, times.monday, actor=hugo, reason="午休调整", via="hall")


def stored(appointment: Appointment) -> Appointment:
    return Appointment.objects.get(pk=appointment.pk)


def test_marys_english_booking_is_cancelled_in_english(client, times):
    mary = on_the_portal(client, times, MARY, "Mary", "en")
    assert (mary.notify_phone, mary.notify_language) == (MARY, "en")
    hugo_cancels(times, mary, "zh-hans")
    assert texts("hall_appointment_cancelled") == [
        f"{HALL}: your appointment {mary.code} for 居住证办理 on Fri 10 Mar at 09:00 has been "
        "cancelled by the hall. Reason: 窗口设备故障. Please book another time on the portal or "
        "call 12345."
    ]
    # The language goes with the number.
    assert (stored(mary).notify_phone, stored(mary).notify_language) == ("", "")


def test_marys_english_booking_is_moved_in_english(client, times):
    mary = on_the_portal(client, times, MARY, "Mary", "en")
    hugo_moves(times, mary, "zh-hans")
    assert texts("hall_appointment_moved") == [
        f"{HALL}: your appointment {mary.code} for 居住证办理 has been moved by the hall from "
        "Fri 10 Mar at 09:00 to Mon 13 Mar at 09:00. Reason: 午休调整. Your code stays the same."
    ]
    # Still booked: the number and its language stay, for a later change by the hall.
    assert (stored(mary).notify_phone, stored(mary).notify_language) == (MARY, "en")


def test_zhangsans_chinese_booking_stays_chinese_from_an_english_page(client, times):
    zhangsan = on_the_portal(client, times, ZHANGSAN, "张三", "zh-hans")
    assert zhangsan.notify_language == "zh-hans"
    hugo_moves(times, zhangsan, "en")
    (moved,) = texts("hall_appointment_moved")
    assert moved == (
        f"{HALL}：您预约的居住证办理（预约码{zhangsan.code}）已由大厅从03-10 09:00改至"
        "03-13 09:00，原因：午休调整。预约码不变。"
    )
    hugo_cancels(times, stored(zhangsan), "en")
    (cancelled,) = texts("hall_appointment_cancelled")
    assert cancelled == (
        f"{HALL}：您预约的居住证办理（03-13 09:00，预约码{zhangsan.code}）已被大厅取消，"
        "原因：窗口设备故障。请在网上另约时间或拨打12345。"
    )


def olga_books(client, district, times: Times, **chosen: str) -> Appointment:
    """Olga books Friday's 09:00 for 李四, the caller on the line, her own page in Chinese."""
    client.force_login(district.olga)
    form = {"matter": times.town.residence.pk, "slot": times.friday.pk}
    form |= {"phone": CALLER, "name": "李四"}
    answer = client.post(URL, form | chosen, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 302, answer.content.decode()
    return Appointment.objects.get(holder_name="李四")


def test_olgas_choice_of_english_for_her_caller_is_honoured(client, district, times):
    client.force_login(district.olga)
    shown = client.get(URL, {"matter": times.town.residence.pk}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    choice = re.search(r'<select name="text_language".*?</select>', shown.content.decode(), re.S)
    assert choice is not None and "给来电人的短信语言" in shown.content.decode()
    assert re.search(r'<option value="zh-hans" selected>', choice.group(0))
    caller = olga_books(client, district, times, text_language="en")
    assert (caller.notify_phone, caller.notify_language) == (CALLER, "en")
    hugo_cancels(times, caller, "zh-hans")
    (cancelled,) = texts("hall_appointment_cancelled")
    assert cancelled.startswith(f"{HALL}: your appointment {caller.code} for 居住证办理 on Fri")


def test_olgas_caller_is_texted_in_chinese_unless_she_picks_another(client, district, times):
    caller = olga_books(client, district, times)
    assert caller.notify_language == "zh-hans"
    hugo_moves(times, caller, "en")
    (moved,) = texts("hall_appointment_moved")
    assert "已由大厅从03-10 09:00改至03-13 09:00" in moved


def test_the_language_does_not_outlive_the_number(client, times):
    mary = on_the_portal(client, times, MARY, "Mary", "en")
    with time_machine.travel(at("2023-03-10 08:50"), tick=False):
        booking.check_in(mary)
    assert (stored(mary).notify_phone, stored(mary).notify_language) == ("", "")
    # A booking whose day passed, whatever became of it (here: never used).
    zhangsan = on_the_portal(client, times, ZHANGSAN, "张三", "zh-hans")
    booking.move(zhangsan, times.monday)
    with time_machine.travel(at("2023-03-14 08:00"), tick=False):
        booking.mark_no_shows(times.town.hall)
    assert (stored(zhangsan).notify_phone, stored(zhangsan).notify_language) == ("", "")
