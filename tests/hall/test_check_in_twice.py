"""An appointment checked in a second time gives its ticket again.

张三 checked in at the kiosk with her code; the ticket did not print well, or she tapped twice,
or tried the other kiosk with her mobile number. The kiosk answered "No appointment today for
that code or number" — she has one — and gave her nothing to show at the window."""

from __future__ import annotations

import pytest
import time_machine

from hotline.hall import actions
from hotline.hall.actions import appointments as booking
from hotline.hall.models import AppointmentEvent, TicketEvent
from hotline.hall.rules import InvalidInput, InvalidTransition
from tests.conftest import at
from tests.hall.conftest import BOOKING_PHONE

pytestmark = pytest.mark.django_db


def test_a_second_check_in_gives_the_same_ticket(client, town, appointment):
    with time_machine.travel(at("2023-03-10 08:40"), tick=False):
        first = client.post("/hall/dnl/kiosk/check-in/", {"code": appointment.code, "phone": ""})
        again = client.post("/hall/dnl/kiosk/check-in/", {"code": appointment.code, "phone": ""})
        by_phone = client.post(
            "/hall/dnl/kiosk/check-in/", {"code": "", "phone": BOOKING_PHONE, "proof": "张三"}
        )
    appointment.refresh_from_db()
    ticket = appointment.ticket
    assert ticket is not None
    for answer in (first, again, by_phone):
        assert answer.status_code == 302 and answer.url == f"/hall/ticket/{ticket.token}/"
    assert TicketEvent.objects.filter(action="issue").count() == 1
    assert AppointmentEvent.objects.filter(action="check_in").count() == 1


def test_once_its_ticket_is_done_the_code_checks_in_nothing(town, appointment):
    with time_machine.travel(at("2023-03-10 08:40"), tick=False):
        ticket = booking.arrive(town.hall, code=appointment.code, now=at("2023-03-10 08:40"))
        actions.sign_in(town.w2, town.walt)
        actions.call_next(town.w2, town.walt)
        actions.start(ticket, town.walt)
        actions.finish(ticket, town.walt)
    with pytest.raises(InvalidInput):
        booking.arrive(town.hall, code=appointment.code, now=at("2023-03-10 09:10"))


def test_too_early_is_still_too_early(town, appointment):
    with pytest.raises(InvalidTransition):
        booking.arrive(town.hall, code=appointment.code, now=at("2023-03-10 08:20"))
