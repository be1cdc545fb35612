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
        response = client.post(
            "/hall/dnl/kiosk/check-in/", {"phone": BOOKING_PHONE, "proof": second.code[-4:]}
        )
    assert response.status_code == 302
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.state == AppointmentState.CHECKED_IN
    assert first.state == AppointmentState.BOOKED
    assert not first.events.filter(action=AppointmentAction.REFUSE).exists()


@pytest.mark.parametrize("marked", [True, False], ids=["marked missed", "not marked yet"])
def test_coming_for_the_missed_morning_booking_is_not_told_by_number_at_the_kiosk(
    client, town, marked
):
    """Since session 20 a number typed at the kiosk learns nothing of a booking missed (anyone
    who knows the number can type it); by the booking's code, or at the reception desk (below),
    he is told. Nor, since session 21, that the afternoon one exists."""
    first, second = _two_bookings(town)
    if marked:
        booking.mark_no_shows(town.hall, now=at("2023-03-10 09:16"))
    with time_machine.travel(at("2023-03-10 09:20"), tick=False):
        response = client.post("/hall/dnl/kiosk/check-in/", {"phone": BOOKING_PHONE})
    assert response.status_code == 422
    page = response.content.decode()
    assert "已错过" not in page and "09:00" not in page
    # Nor the afternoon's time (session 21): by number the same answer as no booking.
    assert "13:30" not in page and "该手机号当前没有可签到的预约" in page
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.state == AppointmentState.BOOKED
    assert list(second.events.values_list("action", flat=True)) == ["book"]
    assert not first.events.filter(action=AppointmentAction.REFUSE).exists()


def test_reception_by_number_for_the_missed_morning_one_records_that_he_came(client, town):
    """r1's review of session 17: at the reception desk (staff see the person), by number at
    09:20 for the missed 09:00 booking, he was told so and nothing was recorded: the worker's
    pass then made it a no-show. Staff at the desk record that he came (turned away), as a
    refusal by code does; the afternoon booking is untouched."""
    first, second = _two_bookings(town)
    with time_machine.travel(at("2023-03-10 09:20"), tick=False):
        client.force_login(town.wendy)
        response = client.post(
            "/hall/dnl/reception/", {"action": "check_in", "phone": BOOKING_PHONE}
        )
    assert response.status_code == 422
    booking.mark_no_shows(town.hall, now=at("2023-03-10 09:40"))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == AppointmentState.TURNED_AWAY
    assert second.state == AppointmentState.BOOKED
    assert not second.events.filter(action=AppointmentAction.REFUSE).exists()


def test_a_second_tap_by_number_after_the_morning_check_in_gives_its_ticket(client, town):
    """r1's review: checked in for 09:00 at 08:45, a second tap of the number at 08:55 found the
    afternoon booking and said "too early, from 13:30" instead of giving back the morning's
    open ticket."""
    first, second = _two_bookings(town)
    url = "/hall/dnl/kiosk/check-in/"
    with time_machine.travel(at("2023-03-10 08:45"), tick=False):
        proof = {"phone": BOOKING_PHONE, "proof": first.code[-4:]}
        assert client.post(url, proof).status_code == 302
    first.refresh_from_db()
    with time_machine.travel(at("2023-03-10 08:55"), tick=False):
        again = client.post(url, proof)
    assert again.status_code == 302
    assert first.ticket.token in again["Location"]
    second.refresh_from_db()
    assert second.state == AppointmentState.BOOKED
