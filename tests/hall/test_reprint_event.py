"""Printing a ticket again is a step of the ticket: its history says two slips were handed out.

王奶奶 lost her 居住证 slip; Hugo at the reception desk printed it again. Nothing was recorded:
the ticket's history showed one slip, and whoever checked later why two people held A001 found
nothing. The reprint (at the reception desk, or the kiosk giving an appointment's ticket again)
is now an event with who, when and where; the ticket's state, place and number stay, and the
figures (issued, served) do not count it as a ticket.
"""

from __future__ import annotations

import pytest
import time_machine

from hotline.hall import actions, kpis
from hotline.hall.identity import holder_key
from hotline.hall.models import Ticket, TicketEvent, TicketState
from tests.conftest import at

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


def test_reception_printing_a_lost_ticket_again_records_it(client, town):
    ticket = actions.issue(town.hall, town.residence, holder_key=holder_key(phone=PHONE))
    client.force_login(town.hugo)
    refused = client.post("/hall/dnl/reception/", {"matter": town.residence.pk, "phone": PHONE})
    assert 'data-testid="reprint"' in refused.content.decode()
    printed = client.post("/hall/dnl/reception/", {"action": "reprint", "ticket": ticket.pk})
    assert printed.status_code == 302 and printed.url == f"/hall/ticket/{ticket.token}/"
    event = TicketEvent.objects.get(ticket=ticket, action="reprint")
    assert event.actor == town.hugo and event.payload == {"via": "reception"}
    ticket.refresh_from_db()
    assert ticket.state == TicketState.WAITING and Ticket.objects.count() == 1
    figures = kpis.report(town.hall, ticket.day, ticket.day)[town.hall.code]
    assert figures.issued == 1


def test_a_ticket_that_is_over_is_not_printed_again(client, town):
    ticket = actions.issue(town.hall, town.residence, holder_key=holder_key(phone=PHONE))
    actions.cancel(ticket)
    client.force_login(town.hugo)
    answer = client.post("/hall/dnl/reception/", {"action": "reprint", "ticket": ticket.pk})
    assert answer.status_code == 404
    assert not TicketEvent.objects.filter(action="reprint").exists()


def test_another_hall_s_staff_cannot_print_it(client, town, district):
    from tests.hall.conftest import make_hall

    other = make_hall(district, code="jny")
    ticket = actions.issue(town.hall, town.residence)
    client.force_login(other.hugo)
    answer = client.post("/hall/jny/reception/", {"action": "reprint", "ticket": ticket.pk})
    assert answer.status_code == 404
    assert not TicketEvent.objects.filter(action="reprint").exists()


def test_the_kiosk_giving_an_appointment_s_ticket_again_records_it(client, town, appointment):
    with time_machine.travel(at("2023-03-10 08:40"), tick=False):
        client.post("/hall/dnl/kiosk/check-in/", {"code": appointment.code, "phone": ""})
        again = client.post("/hall/dnl/kiosk/check-in/", {"code": appointment.code, "phone": ""})
    appointment.refresh_from_db()
    assert again.url == f"/hall/ticket/{appointment.ticket.token}/"
    event = TicketEvent.objects.get(ticket=appointment.ticket, action="reprint")
    assert event.actor is None and event.payload == {"via": "kiosk"}
