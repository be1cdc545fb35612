"""The minute between two codes to one number runs from the last code sent.

Each refused "send again" was recorded as if a code had gone, so a stranger asking for the
number every 50 seconds kept its owner on "a code was sent less than a minute ago" for good
(review, session 18)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hotline.hall import booking_code
from tests.conftest import at

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


def test_refused_askings_do_not_keep_the_owner_from_a_code():
    start = at("2023-03-09 10:00:00")
    with time_machine.travel(start, tick=False):
        assert booking_code.send_refusal(PHONE, "10.0.0.66") == ""
    for seconds in (20, 40):
        with time_machine.travel(start + dt.timedelta(seconds=seconds), tick=False):
            assert booking_code.send_refusal(PHONE, "10.0.0.66") != ""
    with time_machine.travel(start + dt.timedelta(seconds=70), tick=False):
        assert booking_code.send_refusal(PHONE, "10.0.0.7") == ""
    with time_machine.travel(start + dt.timedelta(seconds=90), tick=False):
        assert booking_code.send_refusal(PHONE, "10.0.0.7") != ""  # a minute from that one
