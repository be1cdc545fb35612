"""A booking form sent twice books once and shows its code both times: the citizen's double tap
on 预约 (the browser shows the second answer) or Back and send again used to answer "you
already have an appointment for this matter that day" with no code to check in or cancel with.
The same token for another phone is another person's booking, and never shows the first."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from hotline.hall.models import Appointment
from tests.conftest import at
from tests.hall.booking_by_code import ask_for_code, book, confirm
from tests.hall.conftest import HallTown, open_slot

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


def _token(page: bytes) -> str:
    found = re.search(rb'name="submission" value="([^"]+)"', page)
    assert found, "the booking form carries no one-time token"
    return found.group(1).decode()


def test_the_booking_sent_twice_books_once_and_shows_the_code(client, town: HallTown):
    slot = open_slot(town, dt.date(2023, 3, 10), capacity=3)
    url = f"/hall/{town.hall.code}/book/"
    page = client.get(f"{url}?matter={town.residence.pk}").content
    data = {
        "matter": town.residence.pk,
        "slot": slot.pk,
        "phone": PHONE,
        "name": "张三",
        "submission": _token(page),
    }
    # Session 18: the portal books once the code texted to the phone is typed; the double tap
    # is now on the confirm step.
    asked, code = ask_for_code(client, url, data)
    first, second = confirm(client, url, asked, code), confirm(client, url, asked, code)
    booking = Appointment.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"{url}{booking.code}/"
    # The same page sent with another phone is that person's own booking, not the first's.
    other = book(client, url, {**data, "phone": "13900001111"})
    assert other.status_code == 302 and booking.code not in other["Location"]
    assert Appointment.objects.count() == 2
    # A fresh page from the same phone is still one booking per matter and day.
    data["submission"] = _token(client.get(f"{url}?matter={town.residence.pk}").content)
    with time_machine.travel(at("2023-03-09 10:05"), tick=False):
        assert book(client, url, data).status_code == 422
    assert Appointment.objects.count() == 2


def test_the_form_sent_twice_texts_one_code_and_shows_its_page(client, town: HallTown):
    """A double tap on "send me a code" (or Back and send again) used to be told to wait a
    minute, with the code on the phone and no page to type it in: the same form finds its code's
    page again, and nothing more is texted."""
    slot = open_slot(town, dt.date(2023, 3, 10), capacity=3)
    url = f"/hall/{town.hall.code}/book/"
    page = client.get(f"{url}?matter={town.residence.pk}").content
    data = {"matter": town.residence.pk, "slot": slot.pk, "phone": PHONE, "name": "张三"}
    data["submission"] = _token(page)
    first, code = ask_for_code(client, url, data)
    again, none = ask_for_code(client, url, data)
    assert first.status_code == again.status_code == 200 and code and not none
    assert confirm(client, url, again, code).status_code == 302
    assert Appointment.objects.count() == 1
