"""Moving a booking (改约) through the one write path, appointments.move: 张三 booked Friday
2023-03-10 09:00 (居住证, one place) on Thursday at 15:00 with 13912345678; it is Thursday 16:00.
李四 (13987654321) books too. The code is kept, the old place is freed only when the new one is
taken, one "move" event names both times; never into the past, a full or lunch-break time,
another matter, after check-in, nor more than MOVES_MAX times by the holder."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import (
    Appointment,
    AppointmentAction,
    AppointmentChannel,
    AppointmentSlot,
    AppointmentState,
)
from hotline.hall.rules import CapReached, InvalidInput, InvalidTransition, NotAllowed
from tests.conftest import at
from tests.hall.conftest import BOOKING_PHONE, open_slot

pytestmark = pytest.mark.django_db

FRIDAY = dt.date(2023, 3, 10)
MONDAY = dt.date(2023, 3, 13)
LISI = "13987654321"


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def slot_at(town, day: dt.date, hour: int, *, capacity: int = 1, matter=None) -> AppointmentSlot:
    (slot,) = booking.open_slots(
        town.hall, matter or town.residence, day,
        starts=dt.time(hour), ends=dt.time(hour, 30), minutes=30, capacity=capacity,
    )  # fmt: skip
    return slot


def test_zhangsan_moves_to_monday_keeping_his_code_and_friday_is_free_again(
    town, slot, appointment, four_pm
):
    monday = open_slot(town, MONDAY)
    code = appointment.code
    booking.move(appointment, monday)
    appointment.refresh_from_db()
    assert (appointment.slot, appointment.code, appointment.state) == (
        monday,
        code,
        AppointmentState.BOOKED,
    )
    (moved,) = appointment.events.filter(action=AppointmentAction.MOVE)
    assert (moved.from_slot, moved.to_slot, moved.channel) == (
        slot,
        monday,
        AppointmentChannel.PORTAL,
    )
    # Friday's only place is free again: 李四 takes it.
    lisi = booking.book(slot, holder_key=holder_key(phone=LISI))
    assert lisi.slot == slot


def test_a_full_time_refuses_the_move_and_the_booking_stays(town, slot, appointment, four_pm):
    monday = open_slot(town, MONDAY)
    booking.book(monday, holder_key=holder_key(phone=LISI))
    with pytest.raises(CapReached):
        booking.move(appointment, monday)
    appointment.refresh_from_db()
    assert appointment.slot == slot
    assert not appointment.events.filter(action=AppointmentAction.MOVE).exists()


def test_never_into_the_past_a_lunch_break_or_another_matter(town, slot, appointment, four_pm):
    this_morning = open_slot(town, dt.date(2023, 3, 9))
    lunch = slot_at(town, MONDAY, 12)
    town.hall.lunch_starts, town.hall.lunch_ends = dt.time(12), dt.time(13)
    town.hall.save()
    allowance = slot_at(town, MONDAY, 10, matter=town.allowance)
    with pytest.raises(InvalidInput, match="passed"):
        booking.move(appointment, this_morning)
    with pytest.raises(InvalidInput, match="no longer offered"):
        booking.move(appointment, lunch)
    with pytest.raises(InvalidInput, match="same hall"):
        booking.move(appointment, allowance)
    appointment.refresh_from_db()
    assert appointment.slot == slot


def test_not_once_checked_in(town, slot, appointment):
    with time_machine.travel(at("2023-03-10 08:50"), tick=False):
        booking.check_in(appointment)
    monday = open_slot(town, MONDAY)
    with time_machine.travel(at("2023-03-10 08:55"), tick=False), pytest.raises(InvalidTransition):
        booking.move(appointment, monday)


def test_the_holder_moves_twice_then_must_cancel_and_book_again(town, slot, appointment, four_pm):
    times = [slot_at(town, MONDAY, h) for h in (9, 10, 11)]
    booking.move(appointment, times[0])
    booking.move(appointment, times[1])
    with pytest.raises(InvalidTransition, match="moved 2 times"):
        booking.move(appointment, times[2])
    # The hall's own move is the hall's doing: not counted, not refused.
    booking.move(appointment, times[2], actor=town.hugo, reason="窗口检修", via="hall")
    appointment.refresh_from_db()
    assert appointment.slot == times[2]


def test_one_booking_of_a_matter_a_day_as_when_booking(town, slot, appointment, four_pm):
    monday_nine, monday_ten = slot_at(town, MONDAY, 9), slot_at(town, MONDAY, 10)
    booking.book(monday_nine, holder_key=holder_key(phone=BOOKING_PHONE))
    with pytest.raises(InvalidInput, match="already have an appointment"):
        booking.move(appointment, monday_ten)


def test_an_operator_moves_only_the_callers_booking_and_says_why(town, slot, appointment, four_pm):
    olga = town.district.olga
    monday = open_slot(town, MONDAY)
    with pytest.raises(booking.NotTheCallers):
        booking.move(appointment, monday, actor=olga, reason="来电改约", caller_phone=LISI)
    with pytest.raises(InvalidInput, match="reason"):
        booking.move(appointment, monday, actor=olga, caller_phone=BOOKING_PHONE)
    booking.move(appointment, monday, actor=olga, reason="来电改约", caller_phone=BOOKING_PHONE)
    moved = appointment.events.get(action=AppointmentAction.MOVE)
    assert (moved.actor, moved.channel, moved.reason) == (olga, "operator", "来电改约")


def test_una_a_unit_handler_cannot(town, slot, appointment, four_pm):
    una = town.district.una
    with pytest.raises(NotAllowed):
        booking.move(appointment, open_slot(town, MONDAY), actor=una, reason="x", via="hall")
    assert Appointment.objects.get(pk=appointment.pk).slot == slot
