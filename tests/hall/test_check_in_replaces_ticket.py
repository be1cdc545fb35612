"""An ordinary ticket, then the appointment for the same matter.

张三 booked Friday's 09:00 居住证 appointment, forgot it, and took an ordinary 居住证 ticket at the
kiosk at 09:05 with his mobile number (since session 20: on the portal, the code texted to him; a
number typed at the kiosk proves nothing and binds no rule, tests/hall/test_proved_holder.py).
Remembering the booking, he checked it in at the kiosk at 09:10 and was refused
"您已持有居住证办理的号票": the appointment lane he had booked was closed to him. The check-in now
replaces the ordinary ticket in one transaction (it ends, replaced: not an abandon in the KPIs;
the appointment's ticket is issued) and the printed ticket says so; once a window has the
ordinary ticket (called, being served, on hold) the check-in is still refused, and the message
says where to go."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hotline.hall import actions, kpis
from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import (
    AppointmentState,
    Priority,
    Source,
    Ticket,
    TicketAction,
    TicketEvent,
    TicketState,
)
from hotline.hall.rules import InvalidTransition
from tests.concurrency import in_threads, needs_threads_db
from tests.conftest import at
from tests.hall.conftest import BOOKING_PHONE

FRIDAY = dt.date(2023, 3, 10)


def _ordinary_ticket_at_nine_oh_five(town) -> Ticket:
    with time_machine.travel(at("2023-03-10 09:05"), tick=False):
        return actions.issue(
            town.hall,
            town.residence,
            source=Source.PORTAL,
            holder_key=holder_key(phone=BOOKING_PHONE),
            sms_phone=BOOKING_PHONE,
        )


@pytest.mark.django_db
def test_checking_in_at_the_kiosk_replaces_the_ordinary_ticket(client, town, appointment):
    ordinary = _ordinary_ticket_at_nine_oh_five(town)
    with time_machine.travel(at("2023-03-10 09:10"), tick=False):
        response = client.post("/hall/dnl/kiosk/check-in/", {"code": appointment.code})
        assert response.status_code == 302, response.content.decode()
        page = client.get(response["Location"]).content.decode()
        place = client.get(f"/hall/place/{ordinary.token}/").content.decode()
    ordinary.refresh_from_db()
    appointment.refresh_from_db()
    new = appointment.ticket
    assert ordinary.state == TicketState.ENDED
    assert appointment.state == AppointmentState.CHECKED_IN
    assert (new.priority, new.state) == (Priority.APPOINTMENT, TicketState.WAITING)
    replaced = TicketEvent.objects.get(ticket=ordinary, action=TicketAction.REPLACE)
    assert replaced.payload == {"appointment": appointment.pk}
    # The printed ticket and the old ticket's "my place" both say what happened.
    assert 'data-testid="ticket-replaces"' in page and ordinary.number in page
    assert 'data-testid="place-ended"' in place and new.number in place
    # …by number only: no way from the old ticket's page to the new one's. Anyone can type
    # anyone's mobile at the kiosk; the stranger who did followed — and rated — the booked
    # person's visit from here (attack, session 19).
    assert new.token not in place
    # Replaced is not abandoned, and one visit counts as one ticket issued.
    figures = kpis.report(town.hall, FRIDAY, FRIDAY)["dnl"]
    assert figures.issued == 1 and figures.abandon_rate == 0


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["called", "held"])
def test_a_ticket_a_window_has_is_not_replaced(town, appointment, where):
    ordinary = _ordinary_ticket_at_nine_oh_five(town)
    with time_machine.travel(at("2023-03-10 09:06"), tick=False):
        actions.sign_in(town.w2, town.walt)
        actions.call_next(town.w2, town.walt)
        if where == "held":
            actions.start(ordinary, town.walt)
            actions.hold(ordinary, town.walt, reason="缺复印件")
    with pytest.raises(InvalidTransition, match=f"{ordinary.number}.*2"):
        booking.arrive(town.hall, code=appointment.code, now=at("2023-03-10 09:10"))
    ordinary.refresh_from_db()
    appointment.refresh_from_db()
    assert ordinary.state != TicketState.ENDED
    assert appointment.state == AppointmentState.BOOKED
    assert not TicketEvent.objects.filter(action=TicketAction.REPLACE).exists()


@pytest.mark.django_db
def test_the_kiosk_page_says_why_it_refuses(client, town, appointment):
    ordinary = _ordinary_ticket_at_nine_oh_five(town)
    with time_machine.travel(at("2023-03-10 09:06"), tick=False):
        actions.sign_in(town.w2, town.walt)
        actions.call_next(town.w2, town.walt)
    with time_machine.travel(at("2023-03-10 09:10"), tick=False):
        response = client.post(
            "/hall/dnl/kiosk/check-in/", {"phone": BOOKING_PHONE, "proof": "张三"}
        )
    body = response.content.decode()
    assert response.status_code == 422
    assert ordinary.number in body and "2号窗口" in body


@pytest.mark.django_db(transaction=True)
def test_a_double_tap_replacing_the_ticket_prints_the_same_ticket_twice(town, appointment):
    needs_threads_db()
    ordinary = _ordinary_ticket_at_nine_oh_five(town)
    got: list[str] = ["", ""]

    def tap(i: int) -> None:
        got[i] = booking.arrive(town.hall, code=appointment.code, now=at("2023-03-10 09:10")).number

    errors = in_threads(tap, 2)
    assert not errors, errors
    appointment.refresh_from_db()
    assert got == [appointment.ticket.number] * 2
    assert Ticket.objects.get(pk=ordinary.pk).state == TicketState.ENDED
    assert TicketEvent.objects.filter(action=TicketAction.REPLACE).count() == 1


@pytest.mark.django_db
def test_the_later_of_two_racing_taps_gets_the_first_taps_ticket(town, appointment, monkeypatch):
    """The interleaving the threads above rarely hit, made certain: the second tap read the
    booking and the ordinary ticket before the first tap committed, and loses on the ordinary
    ticket's update. It prints the first tap's ticket, not "changed at another window"."""
    from hotline.hall.models import Appointment

    ordinary = _ordinary_ticket_at_nine_oh_five(town)
    as_read = Appointment.objects.get(pk=appointment.pk), Ticket.objects.get(pk=ordinary.pk)
    first = booking.arrive(town.hall, code=appointment.code, now=at("2023-03-10 09:10"))
    monkeypatch.setattr(booking, "find_for_check_in", lambda *args, **kwargs: as_read[0])
    monkeypatch.setattr(booking, "_ordinary_ticket", lambda *args: as_read[1])
    second = booking.arrive(town.hall, code=appointment.code, now=at("2023-03-10 09:10"))
    assert second == first
