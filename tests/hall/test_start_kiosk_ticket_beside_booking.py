"""张三 took a kiosk ticket under his number, then checked in his booking (its ticket waits), and
goes to window 2 on the kiosk ticket. Walt sees his ID and confirms the number: before, the start
was refused with "this number already holds another ticket" and no word of which one, nor a way
to serve the man in front of him on it. One active ticket per person and matter: the refusal now
names the booking's ticket, and the desk offers one button that serves him here and ends it, in
the same step. Never by itself: a stranger who typed his number at the kiosk, confirmed by
mistake, must not end 张三's ticket unseen. A booking's ticket already at another window is
named with its window."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.messages import get_messages

from hotline.hall import actions
from hotline.hall.models import (
    HolderProof,
    Priority,
    Ticket,
    TicketAction,
    TicketEvent,
    TicketState,
)
from hotline.hall.rules import InvalidInput
from tests.conftest import at
from tests.hall.conftest import BOOKING_PHONE

pytestmark = pytest.mark.django_db

DESK, ACT = "/hall/dnl/desk/", "/hall/dnl/desk/act"


def _kiosk_ticket_called_then_booking_checked_in(client, town, appointment):
    with time_machine.travel(at("2023-03-10 09:05"), tick=False):
        response = client.post(
            "/hall/dnl/kiosk/", {"matter": town.residence.pk, "phone": BOOKING_PHONE}
        )
        kiosk = Ticket.objects.get(token=response["Location"].rstrip("/").rsplit("/", 1)[1])
        actions.sign_in(town.w2, town.walt)
        actions.call_next(town.w2, town.walt)
    with time_machine.travel(at("2023-03-10 09:10"), tick=False):
        client.post("/hall/dnl/kiosk/check-in/", {"code": appointment.code})
    appointment.refresh_from_db()
    booked = appointment.ticket
    kiosk.refresh_from_db()
    assert kiosk.state == TicketState.CALLED and kiosk.holder_proof == HolderProof.NONE
    assert booked.priority == Priority.APPOINTMENT and booked.state == TicketState.WAITING
    return kiosk, booked


def test_confirming_the_number_names_the_booking_ticket_and_changes_nothing(
    client, town, appointment
):
    kiosk, booked = _kiosk_ticket_called_then_booking_checked_in(client, town, appointment)
    with (
        time_machine.travel(at("2023-03-10 09:12"), tick=False),
        pytest.raises(InvalidInput) as refused,
    ):
        actions.start(kiosk, town.walt, holder_seen=True)
    assert booked.number in refused.value.message
    kiosk.refresh_from_db()
    booked.refresh_from_db()
    assert kiosk.state == TicketState.CALLED and booked.state == TicketState.WAITING


def test_walt_serves_him_here_with_one_button_and_the_booking_ticket_ends(
    client, town, appointment
):
    kiosk, booked = _kiosk_ticket_called_then_booking_checked_in(client, town, appointment)
    with time_machine.travel(at("2023-03-10 09:12"), tick=False):
        client.force_login(town.walt)
        got = client.get(DESK)
        assert got.status_code == 200, (got.status_code, got.get("Location"))
        desk = got.content.decode()
        assert 'data-testid="holders-other"' in desk and booked.number in desk
        response = client.post(
            ACT,
            {"action": "start", "ticket": kiosk.pk, "holder_seen": "1", "end_other": booked.pk},
        )
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(booked.number in m for m in said), said
    kiosk.refresh_from_db()
    booked.refresh_from_db()
    assert (kiosk.state, kiosk.holder_proof) == (TicketState.SERVING, HolderProof.STAFF)
    assert booked.state == TicketState.ENDED
    merge = TicketEvent.objects.get(ticket=booked, action=TicketAction.MERGE)
    assert merge.actor == town.walt and merge.payload["served_as"] == kiosk.number
    open_tickets = Ticket.objects.filter(state__in=["waiting", "called", "serving", "held"])
    assert list(open_tickets) == [kiosk]


def test_the_booking_ticket_at_another_window_is_named_with_its_window(client, town, appointment):
    kiosk, booked = _kiosk_ticket_called_then_booking_checked_in(client, town, appointment)
    with time_machine.travel(at("2023-03-10 09:11"), tick=False):
        actions.sign_in(town.w1, town.wendy)
        actions.call_ticket(town.w1, town.wendy, booked, reason="测试")
    with (
        time_machine.travel(at("2023-03-10 09:12"), tick=False),
        pytest.raises(InvalidInput) as refused,
    ):
        actions.start(kiosk, town.walt, holder_seen=True, end_other=booked.pk)
    assert booked.number in refused.value.message and "1" in refused.value.message
    booked.refresh_from_db()
    assert booked.state == TicketState.CALLED
