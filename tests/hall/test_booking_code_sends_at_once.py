"""Codes asked for one number at the same moment, from many addresses, send at most one (the
minute between two codes) and count only what was sent, and a number gets at most ten codes a
day however many addresses ask (real threads: PostgreSQL, and SQLite with ``SQLITE_TEST_NAME``).

Review, session 21: 554e9f6 read the number's hour and day limits first and recorded the
sending after, so asks arriving together from twelve addresses all passed the checks (the
minute's included) and texted one number twelve codes at once; spread over the day, five an hour
from several addresses made 120 codes a day to one number. Now each limit records the sending
before it counts, and refusals take back what they recorded."""

from __future__ import annotations

import pytest
import time_machine

from hotline.hall import booking_code
from hotline.portal.models import PortalHit
from tests.concurrency import in_threads, needs_threads_db
from tests.conftest import at

PHONE = "13912345678"
ASKS = 12


@pytest.mark.django_db(transaction=True)
def test_twelve_asks_at_once_from_twelve_addresses_send_one_code():
    needs_threads_db()
    answers: list[str] = []

    def ask(i: int) -> None:
        answers.append(booking_code.send_refusal(PHONE, f"10.0.0.{i + 1}"))

    errors = in_threads(ask, ASKS)
    assert not errors, errors
    # At most one (SQLite's writers queue: exactly one; on PostgreSQL asks recorded at the same
    # instant may each count the others and all be refused — none sent, which is safe).
    sent = answers.count("")
    assert sent <= 1, answers
    # What the refused asks recorded against the number was taken back: only codes sent count.
    for limit in (booking_code.SEND_GAP, booking_code.SENDS_PER_PHONE_DAY):
        assert PortalHit.objects.filter(key__startswith=f"{limit.name}:").count() == sent


@pytest.mark.django_db
def test_a_number_gets_ten_codes_a_day_from_any_number_of_addresses():
    sent = 0
    for hour in range(8, 20):
        with time_machine.travel(at(f"2023-03-09 {hour:02d}:00"), tick=False):
            if booking_code.send_refusal(PHONE, f"10.0.{hour}.1") == "":
                sent += 1
    assert sent == booking_code.SENDS_PER_PHONE_DAY.count == 10
    with time_machine.travel(at("2023-03-09 20:30"), tick=False):
        refusal = booking_code.send_refusal(PHONE, "10.9.9.9")
    assert "10" in refusal
    with time_machine.travel(at("2023-03-10 09:01"), tick=False):  # 08:00's and 09:00's gone
        assert booking_code.send_refusal(PHONE, "10.9.9.9") == ""
