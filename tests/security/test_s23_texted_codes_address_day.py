"""One address asking for codes to strangers' numbers (SMS pumping, attack session 23): the
hour's twenty, round the clock, texted 480 numbers a day at the hall's cost. An address now gets
at most SENDS_PER_ADDRESS_DAY codes sent a day; asks refused for another reason do not use it up."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hotline.portal import limits
from hotline.security import texted_code
from tests.conftest import at

pytestmark = pytest.mark.django_db

SCRIPT = "10.9.9.9"


def _ask(n: int):
    return texted_code.send_refusal(f"137{n:08d}", SCRIPT, what="booking")


def test_an_address_gets_its_days_codes_and_no_more():
    day = texted_code.SENDS_PER_ADDRESS_DAY.count
    per_hour = texted_code.SENDS_PER_ADDRESS.count
    start = at("2023-03-09 00:00")
    sent = 0
    for n in range(day + 1):
        # Within every hour's cap: only the day's can refuse.
        when = start + dt.timedelta(minutes=(60 // per_hour + 1) * n)
        with time_machine.travel(when, tick=False):
            refusal = _ask(n)
        if refusal is None:
            sent += 1
    assert sent == day
    assert refusal is not None and refusal.limit == texted_code.SENDS_PER_ADDRESS_DAY
    assert refusal.reason == texted_code.Reason.SENDER
    # A day later it may ask again.
    with time_machine.travel(start + dt.timedelta(days=2), tick=False):
        assert _ask(10_000) is None


def test_refused_asks_do_not_use_the_address_day_up():
    with time_machine.travel(at("2023-03-09 09:00"), tick=False):
        assert _ask(1) is None
        # The same number again within the minute: refused, and not one of the address's day.
        assert _ask(1) is not None
        assert limits.hits(texted_code.SENDS_PER_ADDRESS_DAY, SCRIPT) == 1
