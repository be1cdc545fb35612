"""Guessing booking codes at the kiosk's check-in and on the booking's own page.

Nothing limited the check-in page (code or mobile number) nor the booking page, whose address is
the code alone: a script could try codes until one checked in someone else's appointment (its
ticket printed for the guesser) or showed their booking. A limit per address would shut the
hall's kiosks, which share one address, on a busy morning. Wrong codes only now count: after 20
from one address within 10 minutes, both pages refuse (even a right code) until the window has
passed; a morning of right codes, with the odd typo, goes through."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import AppointmentState
from tests.conftest import at
from tests.hall.conftest import open_slot

pytestmark = pytest.mark.django_db

FRIDAY = dt.date(2023, 3, 10)


def _wrong(n: int) -> list[str]:
    return [f"ZZZ{i:03d}".replace("0", "Z").replace("1", "Y") for i in range(n)]


def test_twenty_wrong_codes_then_even_the_right_one_is_refused(client, appointment):
    url = "/hall/dnl/kiosk/check-in/"
    with time_machine.travel(at("2023-03-10 08:45"), tick=False):
        for code in _wrong(20):
            assert client.post(url, {"code": code}).status_code == 422
        refused = client.post(url, {"code": appointment.code})
    assert refused.status_code == 429 and "10 分钟后再试" in refused.content.decode()
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.BOOKED
    with time_machine.travel(at("2023-03-10 08:56"), tick=False):  # the ten minutes have passed
        assert client.post(url, {"code": appointment.code}).status_code == 302
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.CHECKED_IN


def test_a_busy_kiosk_checks_in_thirty_bookings_with_a_few_typos(client, town):
    slot = open_slot(town, FRIDAY, capacity=30)
    with time_machine.travel(at("2023-03-09 15:00"), tick=False):
        codes = [
            booking.book(slot, holder_key=holder_key(phone=f"139{n:08d}")).code for n in range(30)
        ]
    with time_machine.travel(at("2023-03-10 08:45"), tick=False):
        for n, code in enumerate(codes):
            if n % 5 == 0:  # a typo first, every fifth citizen
                assert (
                    client.post("/hall/dnl/kiosk/check-in/", {"code": "ZZZZZZ"}).status_code == 422
                )
            assert client.post("/hall/dnl/kiosk/check-in/", {"code": code}).status_code == 302


def test_the_booking_page_counts_wrong_codes_too(client, appointment):
    with time_machine.travel(at("2023-03-09 16:00"), tick=False):
        assert client.get(f"/hall/dnl/book/{appointment.code}/").status_code == 200
        for code in _wrong(20):
            assert client.get(f"/hall/dnl/book/{code}/").status_code == 404
        refused = client.get(f"/hall/dnl/book/{appointment.code}/")
        assert refused.status_code == 429 and 'data-testid="too-many"' in refused.content.decode()
        assert appointment.code not in refused.content.decode()
        # The check-in shares the count: the same guesser does not get 20 more there.
        assert client.post("/hall/dnl/kiosk/check-in/", {"code": "ZZZZZZ"}).status_code == 429


def test_wrong_codes_typed_beside_ones_own_number_count_too(client, town, appointment, slot):
    """r1's review of session 17: a code that finds nothing falls back to the number typed beside
    it (a typo beside the right number), and that miss was never counted. Anyone holding a
    booking today could post random codes beside their own number without limit — each miss
    answered with their own ticket, each hit checking in a stranger's booking. The miss counts
    as a wrong code; the 21st try is refused."""
    from tests.hall.conftest import BOOKING_PHONE

    with time_machine.travel(at("2023-03-09 16:00"), tick=False):
        slot.capacity = 2
        slot.save()
        stranger = booking.book(slot, holder_key=holder_key(phone="13900000001"))
    url = "/hall/dnl/kiosk/check-in/"
    with time_machine.travel(at("2023-03-10 08:45"), tick=False):
        answers = [
            client.post(url, {"code": code, "phone": BOOKING_PHONE, "proof": "张三"}).status_code
            for code in _wrong(20)
        ]
        assert answers == [302] * 20  # a typo beside the right number still checks in
        refused = client.post(url, {"code": stranger.code, "phone": BOOKING_PHONE, "proof": "张三"})
    assert refused.status_code == 429
    stranger.refresh_from_db()
    assert stranger.state == AppointmentState.BOOKED
