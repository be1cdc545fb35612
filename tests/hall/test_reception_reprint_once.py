"""Hugo's reprint of a lost slip is recorded once per form: a double click on "print again" (or
Back and send again) recorded two reprints, so the ticket's history said three slips were handed
out where two were. The form carries a one-time token; the second sending prints the ticket's
page again and records nothing more. A new form (the next loss) records again."""

from __future__ import annotations

import re

import pytest

from hotline.hall import actions
from hotline.hall.models import TicketEvent

pytestmark = pytest.mark.django_db


def print_again_form(client, ticket) -> dict[str, str]:
    """The hidden fields of the ticket page's "print again" (staff's reprint, see
    test_ticket_page_print_again.py), which posts to the reception desk's reprint."""
    page = client.get(f"/hall/ticket/{ticket.token}/").content.decode()
    form = re.search(r'<form [^>]*data-testid="ticket-reprint">(.*?)</form>', page, re.S)
    assert form is not None
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form.group(1)))


def test_a_double_click_on_print_again_records_one_reprint(client, town):
    ticket = actions.issue(town.hall, town.residence)
    client.force_login(town.hugo)
    fields = print_again_form(client, ticket)
    assert fields["action"] == "reprint" and fields.get("submission")
    first = client.post("/hall/dnl/reception/", fields)
    second = client.post("/hall/dnl/reception/", fields)
    assert first.status_code == second.status_code == 302
    assert second.url == f"/hall/ticket/{ticket.token}/"  # the page prints again all the same
    assert TicketEvent.objects.filter(ticket=ticket, action="reprint").count() == 1
    client.post("/hall/dnl/reception/", print_again_form(client, ticket))  # a later loss
    assert TicketEvent.objects.filter(ticket=ticket, action="reprint").count() == 2
