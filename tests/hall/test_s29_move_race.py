"""Moving under a race, with real threads (PostgreSQL; SQLite with ``SQLITE_TEST_NAME``): 张三
and 李四 each hold a Friday 2023-03-10 09:00 place and both move to Monday's 09:00, which has one
place left; or 张三 moves there while 王五 books it. One wins; the other keeps what they had."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import Appointment, AppointmentState
from hotline.hall.rules import CapReached
from tests.concurrency import needs_threads_db, race
from tests.conftest import at
from tests.hall.conftest import open_slot

pytestmark = pytest.mark.django_db(transaction=True)

FRIDAY = dt.date(2023, 3, 10)
MONDAY = dt.date(2023, 3, 13)


@pytest.fixture
def thursday_four_pm():
    with time_machine.travel(at("2023-03-09 16:00"), tick=False):
        yield


def test_two_moves_into_the_last_place_one_wins(town, thursday_four_pm):
    needs_threads_db()
    friday, monday = open_slot(town, FRIDAY, capacity=2), open_slot(town, MONDAY, capacity=1)
    zhangsan = booking.book(friday, holder_key=holder_key(phone="13912345678"))
    lisi = booking.book(friday, holder_key=holder_key(phone="13987654321"))
    outcomes = race(
        lambda: booking.move(zhangsan, monday),
        lambda: booking.move(lisi, monday),
        refused=CapReached,
    )
    assert outcomes.count("ok") == 1, outcomes
    assert monday.appointments.filter(state=AppointmentState.BOOKED).count() == 1
    # The loser keeps Friday: the old place is freed only when the new one is taken.
    assert friday.appointments.filter(state=AppointmentState.BOOKED).count() == 1
    assert Appointment.objects.filter(state=AppointmentState.BOOKED).count() == 2


def test_a_move_and_a_booking_of_the_last_place_one_wins(town, thursday_four_pm):
    needs_threads_db()
    friday, monday = open_slot(town, FRIDAY), open_slot(town, MONDAY)
    zhangsan = booking.book(friday, holder_key=holder_key(phone="13912345678"))
    outcomes = race(
        lambda: booking.move(zhangsan, monday),
        lambda: booking.book(monday, holder_key=holder_key(phone="13955556666")),
        refused=CapReached,
    )
    assert outcomes.count("ok") == 1, outcomes
    assert monday.appointments.filter(state=AppointmentState.BOOKED).count() == 1
    zhangsan.refresh_from_db()
    assert zhangsan.state == AppointmentState.BOOKED
    assert zhangsan.slot in (friday, monday)
