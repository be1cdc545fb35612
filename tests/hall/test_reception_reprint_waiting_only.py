"""The reception desk prints again only a ticket still waiting: a citizen at a window needs no
slip. Walt could "print again" any active ticket of the hall — one being served at Wendy's window
too — and the print is the ticket's page, the key to rate the visit through its QR code: logged
out, he rated her service (attack, session 21). A ticket called or being served is not found
there (404) and nothing is recorded; a waiting one prints again as before."""

from __future__ import annotations

import pytest

from hotline.hall import actions
from hotline.hall.identity import holder_key
from hotline.hall.models import TicketAction, TicketEvent
from hotline.web import once

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


def _print_again(client, ticket):
    fields = {"action": "reprint", "ticket": str(ticket.pk), once.FIELD: once.new_token()}
    return client.post("/hall/dnl/reception/", fields)


def test_a_ticket_being_served_at_another_window_is_not_printed_again(client, town):
    ticket = actions.issue(town.hall, town.residence)
    actions.sign_in(town.w1, town.wendy)
    called = actions.call_next(town.w1, town.wendy)
    assert called is not None and called.pk == ticket.pk
    actions.start(called, town.wendy)
    client.force_login(town.walt)
    response = _print_again(client, ticket)
    assert response.status_code == 404
    assert ticket.token not in response.get("Location", "")
    assert not TicketEvent.objects.filter(ticket=ticket, action=TicketAction.REPRINT).exists()


def test_a_waiting_ticket_is_printed_again(client, town):
    ticket = actions.issue(town.hall, town.residence)
    client.force_login(town.walt)
    response = _print_again(client, ticket)
    assert response.status_code == 302 and ticket.token in response["Location"]
    assert TicketEvent.objects.filter(ticket=ticket, action=TicketAction.REPRINT).count() == 1


def test_neither_page_offers_to_print_again_a_ticket_at_a_window(client, town):
    # The offers follow the rule: the ticket's own page (for staff) and reception's answer to a
    # second ticket named the called ticket with a "print again" button that led to a 404.
    ticket = actions.issue(town.hall, town.residence, holder_key=holder_key(phone=PHONE))
    actions.sign_in(town.w1, town.wendy)
    assert actions.call_next(town.w1, town.wendy).pk == ticket.pk
    client.force_login(town.walt)
    page = client.get(f"/hall/ticket/{ticket.token}/").content.decode()
    assert 'data-testid="ticket-number"' in page and 'data-testid="print-again"' not in page
    again = client.post("/hall/dnl/reception/", {"matter": town.residence.pk, "phone": PHONE})
    answer = again.content.decode()
    assert again.status_code == 422 and ticket.number in answer
    assert 'data-testid="reprint"' not in answer
