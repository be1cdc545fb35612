"""A citizen books an appointment at the 24-hour self-service kiosk (or at the ticket kiosk after
hours). A kiosk has no Back button: before, the booking page and the booked page led nowhere,
and the next citizen found the machine on the last one's booking code. The kiosk's booking link
says which kiosk it came from, and the booking and booked pages lead back to it; a value that
is none of the hall's kiosks leads nowhere (no link to elsewhere)."""

from __future__ import annotations

import re

import pytest

from hotline.hall.models import Appointment, Kiosk
from tests.hall.booking_by_code import book
from tests.hall.conftest import BOOKING_PHONE

pytestmark = pytest.mark.django_db


@pytest.fixture
def kiosk(town) -> Kiosk:
    return Kiosk.objects.create(hall=town.hall, code="dnl-zz1", name="自助终端1号", place="东门")


def _book_link(page: str) -> str:
    return re.search(r'href="([^"]+)" data-choice="book"', page).group(1).replace("&amp;", "&")


def test_booking_from_the_self_service_kiosk_leads_back_to_it(client, town, kiosk, slot):
    home = f"/hall/dnl/self-service/{kiosk.code}/"
    link = _book_link(client.get(home).content.decode())
    assert link == "/hall/dnl/book/?kiosk=dnl-zz1"
    page = client.get(f"{link}&matter={town.residence.pk}").content.decode()
    assert f'href="{home}" data-testid="kiosk-home"' in page
    token = re.search(r'name="submission" value="([^"]+)"', page).group(1)
    # Not an enrolled kiosk (a browser that opened its page): the code texted to the phone.
    response = book(
        client,
        f"{link}&matter={town.residence.pk}",
        {"matter": town.residence.pk, "slot": slot.pk, "phone": BOOKING_PHONE, "submission": token},
    )
    code = Appointment.objects.get().code
    assert response["Location"] == f"/hall/dnl/book/{code}/?kiosk=dnl-zz1"
    booked = client.get(response["Location"]).content.decode()
    assert f'href="{home}" data-testid="kiosk-home"' in booked


def test_booking_from_the_ticket_kiosk_after_hours_leads_back_to_it(client, town, kiosk):
    link = "/hall/dnl/book/?kiosk=ticket"
    page = client.get(link).content.decode()
    assert 'href="/hall/dnl/kiosk/" data-testid="kiosk-home"' in page
    assert 'name="kiosk" value="ticket"' in page


@pytest.mark.parametrize("value", ["", "https://evil.example/", "jazw-zz1", "x" * 500])
def test_anything_else_leads_nowhere(client, town, kiosk, value):
    page = client.get("/hall/dnl/book/", {"kiosk": value}).content.decode()
    assert 'data-testid="kiosk-home"' not in page
    assert "evil" not in page


def test_the_booked_page_at_a_kiosk_goes_back_to_it_when_left(client, town, kiosk, appointment):
    """The booked page shows the code and "Cancel this appointment": left on a kiosk's screen,
    the next citizen could cancel the last one's booking. Opened from a kiosk, it goes back
    there after the kiosk's idle minute; on a phone (no kiosk named) it stays."""
    home = f"/hall/dnl/self-service/{kiosk.code}/"
    url = f"/hall/dnl/book/{appointment.code}/"
    booked = client.get(url, {"kiosk": kiosk.code}).content.decode()
    assert f'data-idle-reset="{home}" data-idle-home="{home}" data-idle-after="60"' in booked
    assert "data-idle-reset" not in client.get(url).content.decode()


def test_the_booking_form_at_a_kiosk_goes_back_and_remembers_nothing(client, town, kiosk, slot):
    """Session 17: the booking page opened from a kiosk had no idle return and let the browser
    remember what was typed: a citizen who walked away left their mobile number and name on the
    screen for the next one, and the kiosk's browser offered earlier citizens' numbers as
    suggestions in the box. Opened from a kiosk it goes back after the idle minute, and the
    boxes say autocomplete off; on a phone they help fill in (tel, name) and the page stays.
    (A time is open: with none, the page shows no form, session 25.)"""
    home = f"/hall/dnl/self-service/{kiosk.code}/"
    url = f"/hall/dnl/book/?matter={town.residence.pk}"
    at_kiosk = client.get(f"{url}&kiosk={kiosk.code}").content.decode()
    assert f'data-idle-reset="{home}" data-idle-home="{home}" data-idle-after="60"' in at_kiosk
    assert 'name="phone" value="" inputmode="tel" maxlength="30" autocomplete="off"' in at_kiosk
    assert 'name="name" value="" maxlength="30" autocomplete="off"' in at_kiosk
    on_phone = client.get(url).content.decode()
    assert "data-idle-reset" not in on_phone
    assert 'autocomplete="tel"' in on_phone and 'autocomplete="name"' in on_phone


def test_cancelling_at_a_kiosk_goes_back_to_it_and_leaves_nothing_to_tap(
    client, town, kiosk, appointment
):
    """Session 17: "Manage my booking: cancel it" on a kiosk's booking page led to a cancel page
    with no way back and no idle return. Its confirm step holds the citizen's mobile number in
    the form: a citizen who walked away before "Yes, cancel it" left the next one a button that
    cancels their booking. From a kiosk, every step keeps the kiosk, leads back to it and goes
    back to it by itself."""
    from tests.hall.conftest import BOOKING_PHONE

    home = f"/hall/dnl/self-service/{kiosk.code}/"
    idle = f'data-idle-reset="{home}" data-idle-home="{home}" data-idle-after="60"'
    book = client.get(f"/hall/dnl/book/?kiosk={kiosk.code}").content.decode()
    cancel = f"/hall/dnl/book/cancel/?kiosk={kiosk.code}"
    assert f'href="{cancel}"' in book
    first = client.get(cancel).content.decode()
    assert idle in first and 'autocomplete="off" required' in first
    data = {"booking": appointment.code, "phone": BOOKING_PHONE}
    confirm = client.post(cancel, data).content.decode()
    assert 'data-testid="cancel-confirm"' in confirm and idle in confirm
    done = client.post(cancel, {**data, "confirm": "1"}, follow=True).content.decode()
    assert 'data-testid="cancelled"' in done and idle in done
    booked = client.get(f"/hall/dnl/book/{appointment.code}/?kiosk={kiosk.code}").content.decode()
    assert "data-idle-reset" in booked
    assert "data-idle-reset" not in client.get("/hall/dnl/book/cancel/").content.decode()
