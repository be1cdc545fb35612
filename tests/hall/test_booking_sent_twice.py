"""A booking form sent twice books once and shows its code both times: the citizen's double tap
on 预约 (the browser shows the second answer) or Back and send again used to answer "you
already have an appointment for this matter that day" with no code to check in or cancel with.
The same token for another phone is another person's booking, and never shows the first."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from hotline.hall.models import Appointment
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
    first, second = client.post(url, data), client.post(url, data)
    booking = Appointment.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"{url}{booking.code}/"
    # The same page sent with another phone is that person's own booking, not the first's.
    other = client.post(url, {**data, "phone": "13900001111"})
    assert other.status_code == 302 and booking.code not in other["Location"]
    assert Appointment.objects.count() == 2
    # A fresh page from the same phone is still one booking per matter and day.
    data["submission"] = _token(client.get(f"{url}?matter={town.residence.pk}").content)
    assert client.post(url, data).status_code == 422
    assert Appointment.objects.count() == 2
