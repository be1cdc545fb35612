"""Checking in by mobile number with two bookings today, the first one's time long past.

张三 booked 居住证 at 09:00 and 老年综合津贴 at 14:00 on Friday; he missed the morning one. At
13:50 he types his number at the kiosk. The worker was down since the morning, so the 09:00
booking was still "booked": the check-in took the day's first booking by number, told him he
was too late for it, and would not check in the 14:00 one at all (and the refusal would have
said he came for 09:00). By number the check-in now takes the first booking whose check-in time
has not passed.

At 09:20 the same morning, the 09:00 booking already marked missed (or not yet), his number
found only the 14:00 booking: the kiosk said "too early: check in from 13:45" — for a booking he
had not come for — and recorded the refusal against it, so the afternoon booking would read
"came, turned away" if he did not come back. He is now told the 09:00 booking was missed (an
ordinary ticket for it) and when the 14:00 one opens, and nothing is recorded against either."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import AppointmentAction, AppointmentState
from tests.conftest import at
from tests.hall.conftest import BOOKING_PHONE

pytestmark = pytest.mark.django_db

FRIDAY = dt.date(2023, 3, 10)


def _two_bookings(town):
    (morning,) = booking.open_slots(
        town.hall, town.residence, FRIDAY, starts=dt.time(9), ends=dt.time(9, 30),
        minutes=30, capacity=1,
    )  # fmt: skip
    (afternoon,) = booking.open_slots(
        town.hall, town.allowance, FRIDAY, starts=dt.time(14), ends=dt.time(14, 30),
        minutes=30, capacity=1,
    )  # fmt: skip
    key = holder_key(phone=BOOKING_PHONE)
    with time_machine.travel(at("2023-03-09 15:00"), tick=False):
        first = booking.book(morning, holder_key=key)
        second = booking.book(afternoon, holder_key=key)
    return first, second


def test_the_afternoon_booking_is_checked_in_by_number(client, town):
    first, second = _two_bookings(town)
    with time_machine.travel(at("2023-03-10 13:50"), tick=False):
        response = client.post("/hall/dnl/kiosk/check-in/", {"phone": BOOKING_PHONE})
    assert response.status_code == 302
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.state == AppointmentState.CHECKED_IN
    assert first.state == AppointmentState.BOOKED
    assert not first.events.filter(action=AppointmentAction.REFUSE).exists()


@pytest.mark.parametrize("marked", [True, False], ids=["marked missed", "not marked yet"])
def test_coming_for_the_missed_morning_booking_is_told_so(client, town, marked):
    first, second = _two_bookings(town)
    if marked:
        booking.mark_no_shows(town.hall, now=at("2023-03-10 09:16"))
    with time_machine.travel(at("2023-03-10 09:20"), tick=False):
        response = client.post("/hall/dnl/kiosk/check-in/", {"phone": BOOKING_PHONE})
    assert response.status_code == 422
    page = response.content.decode()
    assert "09:00" in page and "已错过" in page
    assert "14:00" in page and "13:30" in page
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.state == AppointmentState.BOOKED
    assert list(second.events.values_list("action", flat=True)) == ["book"]
    assert not first.events.filter(action=AppointmentAction.REFUSE).exists()
