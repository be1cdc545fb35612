"""The hall tells the citizen when it cancels or moves their booking: 张三 booked Friday
2023-03-10 09:00 (居住证) on Thursday with 13912345678, which the booking keeps only to text him
of a change by the hall; it is Thursday 16:00. Hugo (hall manager) cancels or moves it: 张三 is
texted (in Chinese, the default language) what, when and why. 张三's own changes are not texted,
and the number is erased as soon as the booking is over."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import TestCase, override_settings

from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import Appointment
from tests.conftest import at
from tests.hall.booking_by_code import OUTBOX, Outbox
from tests.hall.conftest import BOOKING_PHONE, open_slot

pytestmark = pytest.mark.django_db

FRIDAY = dt.date(2023, 3, 10)
MONDAY = dt.date(2023, 3, 13)


@pytest.fixture
def zhangsan(town):
    """张三's booking, made with his number on Thursday at 15:00."""
    with time_machine.travel(at("2023-03-09 15:00"), tick=False):
        return booking.book(
            open_slot(town, FRIDAY),
            holder_key=holder_key(phone=BOOKING_PHONE),
            holder_name="张三",
            phone=BOOKING_PHONE,
        )


def texts(change) -> tuple[object, list]:
    """What ``change()`` returned and the texts it sent once committed."""
    Outbox.sent.clear()
    with override_settings(NOTIFIERS=OUTBOX), TestCase.captureOnCommitCallbacks(execute=True):
        returned = change()
    return returned, list(Outbox.sent)


def stored(appointment) -> Appointment:
    return Appointment.objects.get(pk=appointment.pk)


def test_hugo_cancels_and_zhangsan_is_texted_why(town, zhangsan, four_pm):
    assert stored(zhangsan).notify_phone == BOOKING_PHONE
    texted, outbox = texts(
        lambda: booking.cancel(zhangsan, actor=town.hugo, reason="窗口设备故障", via="hall")
    )
    assert texted
    (message,) = outbox
    assert message.recipients_phone == (BOOKING_PHONE,)
    assert message.action == "hall_appointment_cancelled"
    assert "03-10 09:00" in message.text and "窗口设备故障" in message.text
    assert "取消" in message.text  # zh-Hans, whatever the staff member's page language
    assert stored(zhangsan).notify_phone == ""  # erased with the cancel


def test_hugo_moves_it_and_zhangsan_is_texted_old_and_new_time(town, zhangsan, four_pm):
    monday = open_slot(town, MONDAY)
    texted, outbox = texts(
        lambda: booking.move(zhangsan, monday, actor=town.hugo, reason="午休调整", via="hall")
    )
    assert texted
    (message,) = outbox
    assert message.action == "hall_appointment_moved"
    assert message.recipients_phone == (BOOKING_PHONE,)
    assert "03-10 09:00" in message.text and "03-13 09:00" in message.text
    assert zhangsan.code in message.text and "午休调整" in message.text
    # Still booked: the number stays, for a later change by the hall.
    assert stored(zhangsan).notify_phone == BOOKING_PHONE


def test_zhangsans_own_cancel_and_move_are_not_texted(town, zhangsan, four_pm):
    monday = open_slot(town, MONDAY)
    assert texts(lambda: booking.move(zhangsan, monday)) == (False, [])
    assert texts(lambda: booking.cancel(zhangsan)) == (False, [])
    assert stored(zhangsan).notify_phone == ""


def test_an_operator_cancelling_for_the_caller_on_the_line_does_not_text(town, zhangsan, four_pm):
    olga = town.district.olga
    cancelled = texts(
        lambda: booking.cancel(
            zhangsan, actor=olga, reason="来电取消", caller_phone=BOOKING_PHONE, via="operator"
        )
    )
    assert cancelled == (False, [])


def test_a_booking_without_a_number_kept_is_not_texted(town, slot, appointment, four_pm):
    # Booked before numbers were kept (or by a path that gave none): the page says so.
    cancelled = texts(
        lambda: booking.cancel(appointment, actor=town.hugo, reason="窗口设备故障", via="hall")
    )
    assert cancelled == (False, [])


def test_the_number_is_erased_at_check_in(town, zhangsan):
    with time_machine.travel(at("2023-03-10 08:50"), tick=False):
        booking.check_in(zhangsan)
    assert stored(zhangsan).notify_phone == ""


def test_the_number_does_not_outlive_the_day(town, zhangsan):
    with time_machine.travel(at("2023-03-11 08:00"), tick=False):
        booking.mark_no_shows(town.hall)
    assert stored(zhangsan).notify_phone == ""
