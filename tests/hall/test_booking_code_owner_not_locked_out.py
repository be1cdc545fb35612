"""A stranger cannot use up the owner's booking and ticket codes for the day (attacker's leftover
of session 20: five codes a day to one number, counted from every address, asked-for or sent:
anyone who typed 张三's number five times, or kept asking, shut him out of online booking and
today's ticket until the next day).

The rule now: a number gets at most five codes an hour, and five a day from one address; only
codes actually sent count against the number (a refused ask counts only against the address
that asked, as before)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.conftest import at
from tests.hall.booking_by_code import ask_for_code
from tests.hall.conftest import open_slot

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
URL = "/hall/dnl/book/"
STRANGER, OWNER = "10.7.7.7", "10.8.8.8"


def _form(town, slot):
    return {"matter": town.residence.pk, "slot": slot.pk, "phone": PHONE, "name": "张三"}


def test_a_strangers_five_codes_shut_the_owner_out_for_an_hour_not_the_day(client, town):
    slot = open_slot(town, dt.date(2023, 3, 10), capacity=2)
    for minute in range(5):
        with time_machine.travel(at(f"2023-03-09 10:{minute * 2:02d}"), tick=False):
            assert ask_for_code(client, URL, _form(town, slot), REMOTE_ADDR=STRANGER)[1]
    with time_machine.travel(at("2023-03-09 10:30"), tick=False):
        refused, code = ask_for_code(
            client, URL, _form(town, slot), REMOTE_ADDR=OWNER, HTTP_ACCEPT_LANGUAGE="en"
        )
        assert refused.status_code == 422 and not code
        assert "at most 5 codes an hour" in refused.content.decode()
    with time_machine.travel(at("2023-03-09 11:15"), tick=False):
        assert ask_for_code(client, URL, _form(town, slot), REMOTE_ADDR=OWNER)[1]


def test_asking_on_after_the_fifth_code_keeps_the_owner_out_no_longer(client, town):
    # A refused ask sends nothing and counts nothing against the number: the hour runs from
    # the codes sent, however often the stranger asks after them.
    slot = open_slot(town, dt.date(2023, 3, 10), capacity=2)
    for minute in range(5):
        with time_machine.travel(at(f"2023-03-09 10:{minute * 2:02d}"), tick=False):
            assert ask_for_code(client, URL, _form(town, slot), REMOTE_ADDR=STRANGER)[1]
    for minute in range(15, 60, 5):
        with time_machine.travel(at(f"2023-03-09 10:{minute:02d}"), tick=False):
            assert not ask_for_code(client, URL, _form(town, slot), REMOTE_ADDR=STRANGER)[1]
    with time_machine.travel(at("2023-03-09 11:10"), tick=False):
        assert ask_for_code(client, URL, _form(town, slot), REMOTE_ADDR=OWNER)[1]


def test_one_address_still_sends_a_number_five_codes_a_day(client, town):
    slot = open_slot(town, dt.date(2023, 3, 10), capacity=2)
    for hour in (8, 9, 10, 11, 12):
        with time_machine.travel(at(f"2023-03-09 {hour:02d}:00"), tick=False):
            assert ask_for_code(client, URL, _form(town, slot), REMOTE_ADDR=STRANGER)[1]
    with time_machine.travel(at("2023-03-09 14:00"), tick=False):
        refused, code = ask_for_code(
            client, URL, _form(town, slot), REMOTE_ADDR=STRANGER, HTTP_ACCEPT_LANGUAGE="en"
        )
        assert not code and "at most 5 codes a day from one address" in refused.content.decode()
        # The owner, elsewhere, still gets his.
        assert ask_for_code(client, URL, _form(town, slot), REMOTE_ADDR=OWNER)[1]
