"""The booking's own page (/hall/<code>/book/<booking>/) says what became of the booking.

张三 keeps the page of her booking open on her phone (or its link). She cancelled it, or checked in
at the kiosk, or missed it: the page still read "预约成功" with the code and the words to check in
with it, and she came to the hall for a booking she no longer had."""

from __future__ import annotations

import pytest
import time_machine

from hotline.hall.actions import appointments as booking
from tests.conftest import at

pytestmark = pytest.mark.django_db


def _page(client, appointment) -> str:
    response = client.get(f"/hall/dnl/book/{appointment.code}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_booked_appointment_reads_booked_with_the_way_to_check_in(client, appointment):
    with time_machine.travel(at("2023-03-09 16:00"), tick=False):
        page = _page(client, appointment)
    assert 'data-state="booked"' in page and "预约成功" in page and "签到" in page
    assert 'data-testid="cancel-booking"' in page


def test_a_cancelled_appointment_reads_cancelled(client, appointment):
    with time_machine.travel(at("2023-03-09 16:00"), tick=False):
        booking.cancel(appointment, now=at("2023-03-09 16:00"))
        page = _page(client, appointment)
    assert 'data-state="cancelled"' in page and "预约已取消" in page
    assert "预约成功" not in page and "凭此预约码" not in page
    assert 'data-testid="cancel-booking"' not in page
    assert 'href="/hall/dnl/book/"' in page  # book another time


def test_a_checked_in_appointment_gives_its_ticket_number(client, town, appointment):
    with time_machine.travel(at("2023-03-10 08:40"), tick=False):
        ticket = booking.arrive(town.hall, code=appointment.code, now=at("2023-03-10 08:40"))
        page = _page(client, appointment)
    assert 'data-state="checked_in"' in page and "已签到" in page and ticket.number in page
    assert "预约成功" not in page and 'data-testid="cancel-booking"' not in page


def test_a_missed_appointment_reads_missed_before_and_after_the_worker_marks_it(
    client, town, appointment
):
    # Friday's 09:00 slot, 15 minutes late allowed: at 09:20 nobody checked in.
    with time_machine.travel(at("2023-03-10 09:20"), tick=False):
        before = _page(client, appointment)
        booking.mark_no_shows(town.hall, now=at("2023-03-10 09:20"))
        after = _page(client, appointment)
    for page in (before, after):
        assert "已过签到时间" in page
        assert "预约成功" not in page and "凭此预约码" not in page
        assert 'data-testid="cancel-booking"' not in page


def test_once_the_time_has_begun_the_page_still_says_check_in_but_offers_no_cancel(
    client, appointment
):
    # 09:05: the 09:00 slot has begun (the cancel page refuses: "the time has passed"); she
    # may still check in until 09:15.
    with time_machine.travel(at("2023-03-10 09:05"), tick=False):
        page = _page(client, appointment)
    assert "预约成功" in page and "凭此预约码" in page
    assert 'data-testid="cancel-booking"' not in page
