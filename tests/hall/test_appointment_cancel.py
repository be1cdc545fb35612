"""Cancelling a booking from the pages: the citizen with the code and the phone it was booked with
(found, confirmed, cancelled), hall staff of that hall from the day's list, and Olga (12345
operator) from the caller history. Fixed times: booked on Thursday 2023-03-09 15:00 for Friday's
09:00 slot (capacity one)."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import (
    AppointmentAction,
    AppointmentChannel,
    AppointmentEvent,
    AppointmentState,
)
from tests.conftest import at
from tests.hall.conftest import BOOKING_PHONE as PHONE
from tests.hall.conftest import make_hall

pytestmark = pytest.mark.django_db


def cancel_url(town):
    return reverse("hall:cancel_booking", args=[town.hall.code])


def post(client, town, code, phone, *, confirm=False):
    """The cancel page's POST; a done cancel redirects to the booking's page (post/redirect/get,
    session 29), followed here."""
    data = {"booking": code, "phone": phone}
    if confirm:
        data["confirm"] = "1"
    return client.post(cancel_url(town), data, HTTP_ACCEPT_LANGUAGE="en", follow=True)


def refused(response, message: str, appointment) -> None:
    """Refused with ``message`` (422) and the booking still stands."""
    assert response.status_code == 422
    assert message in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.BOOKED


def test_the_citizen_finds_confirms_and_cancels_and_the_time_is_free_again(
    client, town, slot, appointment, four_pm
):
    page = client.get(reverse("hall:booked", args=[town.hall.code, appointment.code]))
    assert f"?booking={appointment.code}" in page.content.decode()
    found = post(client, town, appointment.code.lower(), PHONE)
    assert found.status_code == 200
    assert b'data-testid="cancel-confirm"' in found.content
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.BOOKED  # nothing before the confirmation
    done = post(client, town, appointment.code, PHONE, confirm=True)
    assert done.status_code == 200 and b'data-testid="cancelled"' in done.content
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.CANCELLED
    event = appointment.events.get(action=AppointmentAction.CANCEL)
    assert event.actor is None and event.channel == AppointmentChannel.PORTAL
    # The only place of the slot is free again: someone else books it.
    other = booking.book(slot, holder_key=holder_key(phone="13800001111"))
    assert other.state == AppointmentState.BOOKED


@pytest.mark.parametrize(
    ("code", "phone"),
    [("right", "13800001111"), ("ZZZZZZ", PHONE)],
    ids=["wrong-phone", "wrong-code"],
)
def test_a_wrong_half_says_no_such_booking_without_saying_which(
    client, town, appointment, code, phone, four_pm
):
    code = appointment.code if code == "right" else code
    response = post(client, town, code, phone, confirm=True)
    refused(response, "No such booking for that code and mobile number.", appointment)


def test_once_the_slot_has_started_it_is_refused_with_a_reason(client, town, appointment):
    with time_machine.travel(at("2023-03-10 09:05"), tick=False):
        response = post(client, town, appointment.code, PHONE, confirm=True)
    refused(response, "The appointment time has passed.", appointment)


def test_a_second_cancel_says_it_is_already_cancelled(client, town, appointment, four_pm):
    assert post(client, town, appointment.code, PHONE, confirm=True).status_code == 200
    again = post(client, town, appointment.code, PHONE, confirm=True)
    assert again.status_code == 422
    assert "This appointment is already cancelled." in again.content.decode()
    assert appointment.events.filter(action=AppointmentAction.CANCEL).count() == 1


def test_lookups_are_rate_limited_per_address(client, town, appointment, settings, four_pm):
    settings.PORTAL_LOOKUPS_PER_IP_HOUR = 2
    post(client, town, "AAAAAA", PHONE)
    post(client, town, "BBBBBB", PHONE)
    third = post(client, town, appointment.code, PHONE, confirm=True)
    refused(third, "Too many tries from here.", appointment)


def test_a_get_only_shows_the_form(client, town, appointment):
    response = client.get(cancel_url(town) + f"?booking={appointment.code}")
    assert response.status_code == 200 and appointment.code in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.BOOKED


def test_the_hall_clerk_cancels_from_the_days_list(client, town, appointment, four_pm):
    client.force_login(town.walt)
    url = reverse("hall:cancel_appointment", args=[town.hall.code, appointment.code])
    day_list = reverse("hall:appointments", args=[town.hall.code])
    listing = client.get(day_list + "?day=2023-03-10")
    assert url in listing.content.decode()
    response = client.post(url, {"confirm": "1", "reason": "窗口停开"})
    assert response.status_code == 302 and response["Location"].endswith("?day=2023-03-10")
    event = AppointmentEvent.objects.get(appointment=appointment, action=AppointmentAction.CANCEL)
    assert event.actor == town.walt and event.channel == AppointmentChannel.HALL


def test_staff_of_another_hall_are_refused(client, district, town, appointment, four_pm):
    other = make_hall(district, code="jnl")
    client.force_login(other.hugo)
    url = reverse("hall:cancel_appointment", args=[town.hall.code, appointment.code])
    assert client.post(url, {"confirm": "1"}).status_code == 403
    # Through their own hall's address the other hall's booking is not found.
    own = reverse("hall:cancel_appointment", args=[other.hall.code, appointment.code])
    assert client.post(own, {"confirm": "1"}).status_code == 404
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.BOOKED


def test_olga_cancels_from_the_caller_history_and_is_recorded(
    client, district, town, appointment, four_pm
):
    client.force_login(district.olga)
    url = reverse("hall:cancel_for_caller", args=[appointment.code])
    history = client.post(reverse("caller_history"), {"citizen_phone": PHONE})
    assert url in history.content.decode()
    data = {"confirm": "1", "caller_phone": PHONE, "reason": "来电改期"}
    response = client.post(url, data, follow=True)
    assert response.status_code == 200 and b'data-testid="cancelled"' in response.content
    event = AppointmentEvent.objects.get(appointment=appointment, action=AppointmentAction.CANCEL)
    assert event.actor == district.olga and event.channel == AppointmentChannel.OPERATOR


def test_only_an_operator_cancels_for_a_caller(client, district, town, appointment, four_pm):
    url = reverse("hall:cancel_for_caller", args=[appointment.code])
    client.force_login(town.walt)  # hall staff use their own hall's list
    assert client.post(url, {"confirm": "1"}).status_code == 403
    client.force_login(district.una)
    assert client.post(url, {"confirm": "1"}).status_code == 403
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.BOOKED


def test_the_refusal_reads_in_zh_hans_by_default(client, town, appointment, four_pm):
    response = client.post(cancel_url(town), {"booking": "ZZZZZZ", "phone": PHONE})
    assert "没有与该预约码和手机号对应的预约。" in response.content.decode()
