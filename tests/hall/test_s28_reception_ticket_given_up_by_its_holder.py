"""Wendy issues 李四 a ticket at the reception desk; 李四 cannot stay and gives it up on her phone
(session 28, h6, deciding h3's finding of session 27).

Wendy printed the slip, so she could open its page signed out and give it up as if 李四 had left.
Decided: a reception ticket is still given up by whoever holds its page (the slip's holder needs
it; nothing tells 李四's phone from Wendy's), unlike a ticket staff reprinted (refused, see
test_s25_reprinted_slip_not_given_up.py). What bounds it: the issue event names Wendy and the
cancel is the holder's, so the tickets she issued that were given up can be counted. A guard:
it passes before and after (see actions.tickets.give_up's docstring)."""

from __future__ import annotations

import pytest
from django.test import Client

from hotline.hall import actions
from hotline.hall.models import Source, TicketAction, TicketEvent, TicketState

pytestmark = pytest.mark.django_db


def test_a_reception_ticket_is_given_up_by_its_holder_and_names_its_issuer(town):
    ticket = actions.issue(
        town.hall, town.residence, source=Source.RECEPTION, holder_name="李四", actor=town.wendy
    )

    assert Client().post(f"/hall/place/{ticket.token}/give-up/").status_code == 302

    ticket.refresh_from_db()
    assert ticket.state == TicketState.CANCELLED
    issued = TicketEvent.objects.get(ticket=ticket, action=TicketAction.ISSUE)
    cancelled = TicketEvent.objects.get(ticket=ticket, action=TicketAction.CANCEL)
    assert issued.actor == town.wendy
    assert cancelled.actor is None and cancelled.payload["by"] == "holder"
