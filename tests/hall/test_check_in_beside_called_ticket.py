"""Checking in a booking while a kiosk ticket under the holder's number is already at a window
(session 21, after 55bb475).

赵六 typed his own number at the kiosk, then saw the check-in button; by then window 2 had called
his kiosk ticket (or served and put it on hold). The check-in cannot replace a ticket a window
has, nor send him there (a stranger may have typed his number): he gets the booking's ticket, and
the two tickets were left without a word — he did not know which to answer. Now the booking's
ticket page names the kiosk ticket (not its window) and says he needs only this one; the kiosk
ticket stays as it is, and a second tap gives no third ticket."""

from __future__ import annotations

import pytest
import time_machine

from hotline.hall import actions
from hotline.hall.models import Priority, Ticket, TicketState
from tests.conftest import at
from tests.hall.conftest import BOOKING_PHONE

pytestmark = pytest.mark.django_db

KIOSK = "/hall/dnl/kiosk/"


def _kiosk_ticket_at_window_2(client, town, *, held: bool) -> Ticket:
    with time_machine.travel(at("2023-03-10 09:05"), tick=False):
        response = client.post(KIOSK, {"matter": town.residence.pk, "phone": BOOKING_PHONE})
        kiosk = Ticket.objects.get(token=response["Location"].rstrip("/").rsplit("/", 1)[1])
        actions.sign_in(town.w2, town.walt)
        actions.call_next(town.w2, town.walt)
        kiosk.refresh_from_db()
        if held:
            actions.start(kiosk, town.walt)
            actions.hold(kiosk, town.walt, reason="缺复印件")
    kiosk.refresh_from_db()
    assert kiosk.state == (TicketState.HELD if held else TicketState.CALLED)
    return kiosk


@pytest.mark.parametrize("held", [False, True], ids=["called", "held"])
def test_the_bookings_ticket_says_he_needs_only_this_one(client, town, appointment, held):
    kiosk = _kiosk_ticket_at_window_2(client, town, held=held)
    with time_machine.travel(at("2023-03-10 09:10"), tick=False):
        response = client.post("/hall/dnl/kiosk/check-in/", {"code": appointment.code})
        assert response.status_code == 302, response.content.decode()
        page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
        again = client.post("/hall/dnl/kiosk/check-in/", {"code": appointment.code})
    appointment.refresh_from_db()
    own = appointment.ticket
    assert own.priority == Priority.APPOINTMENT and own.state == TicketState.WAITING
    assert again["Location"] == response["Location"]  # a second tap: the same ticket
    assert 'data-testid="ticket-beside"' in page and kiosk.number in page
    assert "you need only this appointment ticket" in page
    assert "window 2" not in page.lower()  # not sent to a window a stranger may be at
    kiosk.refresh_from_db()
    assert kiosk.state == (TicketState.HELD if held else TicketState.CALLED)
    assert Ticket.objects.count() == 2


def test_a_waiting_kiosk_ticket_is_replaced_and_not_named_beside(client, town, appointment):
    with time_machine.travel(at("2023-03-10 09:05"), tick=False):
        client.post(KIOSK, {"matter": town.residence.pk, "phone": BOOKING_PHONE})
    with time_machine.travel(at("2023-03-10 09:10"), tick=False):
        response = client.post("/hall/dnl/kiosk/check-in/", {"code": appointment.code})
        page = client.get(response["Location"]).content.decode()
    assert 'data-testid="ticket-replaces"' in page and 'data-testid="ticket-beside"' not in page
