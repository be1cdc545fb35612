"""A cancel is judged by the place it comes from, not by the roles of who sends it (session 21).

A hall clerk who is also a 12345 operator (a small centre's staff cover both) cancelling from the
hall's day list was taken for an operator by the action (it decided "operator" by role): refused
as not the caller's booking, with no caller on the line to give. From the hall's list they cancel
as hall staff; from the caller page as an operator, the caller's number checked as before."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hotline.hall.actions import appointments as booking
from hotline.hall.models import (
    AppointmentAction,
    AppointmentChannel,
    AppointmentEvent,
    AppointmentState,
)
from hotline.org.models import Role
from tests.conftest import make_user
from tests.hall.conftest import BOOKING_PHONE

pytestmark = pytest.mark.django_db


@pytest.fixture
def both(town):
    """A clerk of the hall who also takes 12345 calls."""
    return make_user("wang-both", town.hall.unit, Role.HALL_CLERK, Role.OPERATOR)


def test_from_the_halls_list_as_hall_staff(client, town, appointment, four_pm, both):
    client.force_login(both)
    url = reverse("hall:cancel_appointment", args=[town.hall.code, appointment.code])
    response = client.post(url, {"confirm": "1", "reason": "窗口停开"})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.CANCELLED
    event = AppointmentEvent.objects.get(appointment=appointment, action=AppointmentAction.CANCEL)
    assert event.actor == both and event.channel == AppointmentChannel.HALL


def test_from_the_caller_page_as_an_operator(client, town, appointment, four_pm, both):
    client.force_login(both)
    url = reverse("hall:cancel_for_caller", args=[appointment.code])
    refused = client.post(url, {"confirm": "1", "caller_phone": "13800000000", "reason": "改期"})
    assert refused.status_code == 409  # the caller's number is checked there, as before
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.BOOKED
    done = client.post(url, {"confirm": "1", "caller_phone": BOOKING_PHONE, "reason": "改期"})
    assert done.status_code == 302  # to the booking's page (post/redirect/get, session 29)
    assert client.get(done["Location"]).status_code == 200
    event = AppointmentEvent.objects.get(appointment=appointment, action=AppointmentAction.CANCEL)
    assert event.channel == AppointmentChannel.OPERATOR


def test_the_place_needs_its_role(district, town, appointment, four_pm):
    with pytest.raises(booking.NotAllowed):
        booking.cancel(appointment, actor=district.olga, reason="x", via=AppointmentChannel.HALL)
    with pytest.raises(booking.NotAllowed):
        booking.cancel(
            appointment,
            actor=town.walt,
            reason="x",
            caller_phone=BOOKING_PHONE,
            via=AppointmentChannel.OPERATOR,
        )
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.BOOKED
