"""Booking at a kiosk is limited per kiosk, not per the hall's address.

The portal's booking limit is 10 submissions an hour from one address (and 5 a day per phone).
The hall's kiosks and the phones on its Wi-Fi share one address, so on a Monday morning the
eleventh citizen booking next week's appointment at the self-service kiosk was told "too many
bookings from here" — and so was everyone after, at every kiosk, for an hour. A kiosk's booking
page (``?kiosk=``) now counts against that kiosk at that address, as many as one machine's queue
can book (60 an hour); the per-phone limit is unchanged, and anyone else keeps the per-address
limit.

Session 17: the kiosk's allowance is an enrolled kiosk's (hotline.hall.devices), counted per
kiosk: a phone that opens the kiosk's link (``?kiosk=``) is counted per address."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from hotline.hall.models import Appointment, Kiosk
from tests.conftest import at
from tests.hall.booking_by_code import book
from tests.hall.conftest import enrolled_browser, open_slot

pytestmark = pytest.mark.django_db

HALL_ADDRESS = "10.20.0.1"
FRIDAY = dt.date(2023, 3, 10)


@pytest.fixture
def kiosk(town) -> Kiosk:
    return Kiosk.objects.create(hall=town.hall, code="dnl-zz1", name="自助终端1号", place="东门")


def _book(client, town, slot, n: int, query: str):
    url = f"/hall/dnl/book/?{query}matter={town.residence.pk}"
    page = client.get(url, REMOTE_ADDR=HALL_ADDRESS).content.decode()
    token = re.search(r'name="submission" value="([^"]+)"', page).group(1)
    data = {
        "matter": town.residence.pk,
        "slot": slot.pk,
        "phone": f"139{n:08d}",
        "submission": token,
    }
    # A phone confirms with the code texted to it; the enrolled kiosk books in one step.
    return book(client, url, data, REMOTE_ADDR=HALL_ADDRESS)


def test_twelve_citizens_book_at_the_kiosk_in_an_hour(client, town, kiosk):
    machine = enrolled_browser(kiosk, town.hugo)
    slot = open_slot(town, FRIDAY, capacity=20)
    with time_machine.travel(at("2023-03-09 09:00"), tick=False):
        for n in range(12):
            assert _book(machine, town, slot, n, "kiosk=dnl-zz1&").status_code == 302, n
    assert Appointment.objects.count() == 12


def test_a_phone_on_the_same_address_keeps_the_limit_of_ten(client, town, kiosk):
    machine = enrolled_browser(kiosk, town.hugo)
    slot = open_slot(town, FRIDAY, capacity=20)
    with time_machine.travel(at("2023-03-09 09:00"), tick=False):
        for n in range(10):
            assert _book(client, town, slot, n, "").status_code == 302, n
        refused = _book(client, town, slot, 10, "")
        assert refused.status_code == 422 and "本机" not in refused.content.decode()
        # The kiosk is not shut by the phones around it.
        assert _book(machine, town, slot, 11, "kiosk=dnl-zz1&").status_code == 302


def test_a_phone_opening_the_kiosks_link_keeps_the_limit_of_ten(client, town, kiosk):
    """Session 17: the link's ``?kiosk=`` gave any browser the kiosk's 60 an hour."""
    slot = open_slot(town, FRIDAY, capacity=20)
    with time_machine.travel(at("2023-03-09 09:00"), tick=False):
        for n in range(10):
            assert _book(client, town, slot, n, "kiosk=dnl-zz1&").status_code == 302, n
        refused = _book(client, town, slot, 10, "kiosk=dnl-zz1&")
        assert refused.status_code == 422 and "本机" not in refused.content.decode()
