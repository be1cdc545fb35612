"""Hall staff and 12345 operators confirm before a citizen's booking is cancelled, as the citizen
does on their own page: a mis-click on the list or in the caller history changes nothing. From
the caller history (HTMX) the question replaces the booking's line and, once confirmed, the
caller history comes back with the booking cancelled — without a reload.

Booked on Thursday 2023-03-09 15:00 for Friday's 09:00 slot; Walt (clerk) and Olga (operator)
act at 16:00."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import AppointmentEvent, AppointmentState
from tests.conftest import at

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def appointment(town):
    (slot,) = booking.open_slots(
        town.hall, town.residence, dt.date(2023, 3, 10),
        starts=dt.time(9), ends=dt.time(9, 30), minutes=30, capacity=1,
    )  # fmt: skip
    with time_machine.travel(at("2023-03-09 15:00"), tick=False):
        return booking.book(slot, holder_key=holder_key(phone=PHONE), holder_name="张三")


@pytest.fixture
def four_pm():
    with time_machine.travel(at("2023-03-09 16:00"), tick=False):
        yield


def _state(appointment) -> str:
    appointment.refresh_from_db()
    return appointment.state


def test_walts_first_click_asks_and_only_the_confirmation_cancels(
    client, town, appointment, four_pm
):
    client.force_login(town.walt)
    url = reverse("hall:cancel_appointment", args=[town.hall.code, appointment.code])
    listing = client.get(reverse("hall:appointments", args=[town.hall.code]) + "?day=2023-03-10")
    assert f'href="{url}"' in listing.content.decode()  # a link to the question, not a POST
    for first in (client.get(url), client.post(url)):  # the link, or an old page's button
        page = first.content.decode()
        assert first.status_code == 200 and 'data-testid="cancel-confirm"' in page
        assert appointment.code in page and "张三" in page and 'name="confirm"' in page
        assert _state(appointment) == AppointmentState.BOOKED
    assert not AppointmentEvent.objects.filter(appointment=appointment, action="cancel").exists()
    done = client.post(url, {"confirm": "1"})
    assert done.status_code == 302 and done["Location"].endswith("?day=2023-03-10")
    assert _state(appointment) == AppointmentState.CANCELLED


def test_the_question_says_why_a_past_booking_cannot_be_cancelled(client, town, appointment):
    url = reverse("hall:cancel_appointment", args=[town.hall.code, appointment.code])
    with time_machine.travel(at("2023-03-10 09:05"), tick=False):
        client.force_login(town.walt)
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The appointment time has passed." in page and 'name="confirm"' not in page


def test_olga_confirms_in_the_caller_history_and_it_shows_cancelled_at_once(
    client, district, town, appointment, four_pm
):
    client.force_login(district.olga)
    url = reverse("hall:cancel_for_caller", args=[appointment.code])
    history = client.get(reverse("caller_history") + f"?citizen_phone={PHONE}", **HTMX)
    text = history.content.decode()
    # The button asks in place (HTMX), no new tab; the number goes in the body.
    assert f'hx-post="{url}"' in text and 'target="_blank" class="inline-form"' not in text
    asked = client.post(url, {"caller_phone": PHONE}, **HTMX)
    fragment = asked.content.decode()
    assert asked.status_code == 200 and 'data-testid="cancel-for-caller-confirm"' in fragment
    assert 'hx-target="#caller-history"' in fragment and f'value="{PHONE}"' in fragment
    assert _state(appointment) == AppointmentState.BOOKED
    done = client.post(url, {"caller_phone": PHONE, "confirm": "1"}, **HTMX)
    refreshed = done.content.decode()
    assert done.status_code == 200 and 'data-testid="hall-visits"' in refreshed
    assert f"Appointment {appointment.code} at" in refreshed
    # The booking's line now reads cancelled and offers no cancel button.
    assert "Cancelled" in refreshed and 'data-testid="cancel-for-caller"' not in refreshed
    assert _state(appointment) == AppointmentState.CANCELLED


def test_without_script_olga_gets_the_question_as_a_page(client, district, appointment, four_pm):
    client.force_login(district.olga)
    url = reverse("hall:cancel_for_caller", args=[appointment.code])
    asked = client.post(url, {"caller_phone": PHONE})
    assert asked.status_code == 200 and b'data-testid="cancel-confirm"' in asked.content
    assert _state(appointment) == AppointmentState.BOOKED
    done = client.post(url, {"caller_phone": PHONE, "confirm": "1"})
    assert done.status_code == 200 and b'data-testid="cancelled"' in done.content
    assert _state(appointment) == AppointmentState.CANCELLED


def test_a_second_confirmation_says_why_and_still_refreshes(client, district, appointment, four_pm):
    client.force_login(district.olga)
    url = reverse("hall:cancel_for_caller", args=[appointment.code])
    client.post(url, {"caller_phone": PHONE, "confirm": "1"}, **HTMX)
    again = client.post(url, {"caller_phone": PHONE, "confirm": "1"}, **HTMX)
    assert again.status_code == 200 and b'data-testid="cancel-error"' in again.content
    assert AppointmentEvent.objects.filter(appointment=appointment, action="cancel").count() == 1
