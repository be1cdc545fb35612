"""A kiosk is named by its whole code in ``?kiosk=``, never by its first 32 characters
(h4's leftover, session 28).

The hall names its east-door kiosk ``dnl-east-door-24h-self-service-1`` (32 characters, the
longest a code may be). ``kiosk_of`` compared only the first 32 characters of ``?kiosk=``, so a
link with more after the code still counted as the kiosk's, and the pages that keep the value as
it came carried the rest along: echoed on the page, and unencoded in the query of the booking's
redirect to the booked page (``?kiosk=<code>&next=…``). Now only the exact code names the kiosk;
what is not a kiosk's code leads to no kiosk (the phone's pages). The code is a public label in the
kiosk's addresses, not a secret: what makes a machine the kiosk is its enrolment cookie
(hotline.hall.devices: a 256-bit token nobody types), so its length and alphabet stay as they are.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest

from hotline.hall.models import Kiosk
from hotline.hall.views.selfservice import kiosk_home, kiosk_of
from tests.hall.conftest import enrolled_browser, open_slot

pytestmark = pytest.mark.django_db

EAST_DOOR = "dnl-east-door-24h-self-service-1"
MORE = "&next=//elsewhere.example/"


@pytest.fixture
def kiosk(town) -> Kiosk:
    assert len(EAST_DOOR) == 32
    return Kiosk.objects.create(hall=town.hall, code=EAST_DOOR, name="自助终端1号", place="东门")


def test_only_the_whole_code_names_the_kiosk(town, kiosk):
    assert kiosk_of(town.hall, EAST_DOOR) == EAST_DOOR
    assert kiosk_of(town.hall, EAST_DOOR + MORE) == ""
    assert kiosk_of(town.hall, EAST_DOOR + "x") == ""
    assert kiosk_home(town.hall, EAST_DOOR + MORE) == ""


def test_the_booking_page_with_more_after_the_code_is_the_phones(client, town, kiosk):
    page = client.get("/hall/dnl/book/", {"kiosk": EAST_DOOR + MORE, "matter": town.residence.pk})
    text = page.content.decode()
    assert page.status_code == 200 and "elsewhere.example" not in text
    assert f"/hall/dnl/self-service/{EAST_DOOR}/" not in text


def test_the_kiosks_booking_goes_to_the_booked_page_with_its_code_alone(client, town, kiosk):
    machine = enrolled_browser(kiosk, town.hugo)
    slot = open_slot(town, dt.date(2023, 3, 10), capacity=2)
    form = {"matter": town.residence.pk, "slot": slot.pk, "phone": "13912345678", "name": "王奶奶"}
    booked = machine.post(f"/hall/dnl/book/?kiosk={EAST_DOOR}", form)
    assert booked.status_code == 302 and booked["Location"].endswith(f"/?kiosk={EAST_DOOR}")
    form["phone"] = "13912345679"
    other = machine.post(f"/hall/dnl/book/?kiosk={quote(EAST_DOOR + MORE)}", form)
    assert other.status_code == 302 and "elsewhere.example" not in other["Location"]
