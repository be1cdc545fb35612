"""By mobile number at the kiosk "too early: check in from 08:30" told anyone who typed 张三's
number that he has a booking today, and its time (session 21). By number the kiosk now gives the
same answer as for a number with no booking today, saying when check-in opens in general and that
the booking's code tells more; by the code, and at the reception desk, the time is told as before.
"""

from __future__ import annotations

import pytest
import time_machine

from hotline.hall.models import AppointmentState
from tests.conftest import at
from tests.hall.conftest import BOOKING_PHONE

pytestmark = pytest.mark.django_db

CHECK_IN = "/hall/dnl/kiosk/check-in/"


def _answer(client, when: str, **data: str) -> str:
    with time_machine.travel(at(when), tick=False):
        response = client.post(CHECK_IN, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422, response.content.decode()
    return response.content.decode()


def test_by_number_too_early_reads_as_no_booking(client, town, appointment):
    opens = f"{town.hall.checkin_early_minutes} minutes before the booked time"
    early = _answer(client, "2023-03-10 08:00", phone=BOOKING_PHONE)
    nobody = _answer(client, "2023-03-10 08:00", phone="13700000000")
    for body in (early, nobody):
        assert "No appointment to check in now under that number" in body and opens in body
        assert "Too early" not in body and "08:30" not in body  # opens at 08:30
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.BOOKED
    assert not appointment.events.filter(action="refuse").exists()


def test_by_number_too_late_reads_as_no_booking_too(client, appointment):
    late = _answer(client, "2023-03-10 09:40", phone=BOOKING_PHONE)
    assert "No appointment to check in now under that number" in late
    assert "Too late" not in late


def test_the_code_and_the_desk_still_tell_the_time(client, town, appointment):
    by_code = _answer(client, "2023-03-10 08:00", code=appointment.code)
    assert "Too early: check in from 08:30" in by_code
    with time_machine.travel(at("2023-03-10 08:00"), tick=False):
        client.force_login(town.wendy)
        desk = client.post(
            "/hall/dnl/reception/",
            {"action": "check_in", "phone": BOOKING_PHONE},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert "Too early: check in from 08:30" in desk.content.decode()
