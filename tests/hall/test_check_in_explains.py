"""A real booking that cannot be checked in now says why, not "no appointment today".

张三's booking is for Friday 09:00, with 15 minutes' tolerance. He arrives at 09:20; the worker
had marked the booking missed at 09:16, and the kiosk told him "今日没有该预约码或手机号的预约"
(and counted his real code as a wrong guess) where at 09:15 it said to take an ordinary ticket.
Coming on Thursday, or after cancelling, he met the same words. The kiosk now says what is the
matter: too late, cancelled, or the day and time of the booking (by code only), and a real code
does not count against the kiosk's address."""

from __future__ import annotations

import pytest
import time_machine

from hotline.hall.actions import appointments as booking
from hotline.portal.models import PortalHit
from tests.conftest import at
from tests.hall.conftest import BOOKING_PHONE

pytestmark = pytest.mark.django_db

URL = "/hall/dnl/kiosk/check-in/"


def _check_in(client, when: str, **data: str) -> str:
    with time_machine.travel(at(when), tick=False):
        response = client.post(URL, data)
    assert response.status_code == 422
    return response.content.decode()


def test_a_booking_the_worker_marked_missed_says_too_late(client, town, appointment):
    booking.mark_no_shows(town.hall, now=at("2023-03-10 09:16"))
    body = _check_in(client, "2023-03-10 09:20", code=appointment.code)
    assert "已超过预约签到时间" in body
    assert not PortalHit.objects.exists()
    # By mobile number the kiosk says nothing of it (session 20): anyone may type a number,
    # and "missed" tells them the holder did not come (tests/hall/test_proved_holder.py).
    body = _check_in(client, "2023-03-10 09:20", phone=BOOKING_PHONE)
    assert "已超过预约签到时间" not in body and "该手机号当前没有可签到的预约" in body


def test_a_day_early_the_kiosk_gives_the_day_and_time(client, appointment):
    body = _check_in(client, "2023-03-09 16:00", code=appointment.code)
    assert "03-10 09:00" in body and not PortalHit.objects.exists()
    # By mobile number another day's booking is not told (anyone may type a number).
    body = _check_in(client, "2023-03-09 16:00", phone=BOOKING_PHONE)
    assert "该手机号当前没有可签到的预约" in body and "09:00" not in body


def test_a_cancelled_booking_says_so(client, appointment):
    with time_machine.travel(at("2023-03-09 16:00"), tick=False):
        booking.cancel(appointment, reason="改期")
    body = _check_in(client, "2023-03-10 08:45", code=appointment.code)
    assert "该预约已取消" in body
