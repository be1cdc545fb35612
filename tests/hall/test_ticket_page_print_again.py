"""The ticket page's "print again" is a recorded reprint, or is not offered.

The page's button called the browser's print: a second slip went out (at the kiosk, on a
citizen's phone, at reception) and nothing recorded it, while reception's own reprint records a
``reprint`` event. Now the button is offered to the hall's staff only, for a ticket still open,
and it is reception's reprint (an event with who and where); the kiosk's and a citizen's page
offer none (a lost slip is printed again at reception).
"""

from __future__ import annotations

import pytest

from hotline.hall import actions
from hotline.hall.models import TicketEvent

pytestmark = pytest.mark.django_db


def test_the_kiosk_and_a_citizen_get_no_unrecorded_print_again(client, town):
    ticket = actions.issue(town.hall, town.residence)
    page = client.get(f"/hall/ticket/{ticket.token}/").content.decode()
    assert 'data-testid="ticket-number"' in page
    assert "data-print" not in page and 'data-testid="print-again"' not in page


def test_staff_print_again_records_a_reprint(client, town):
    ticket = actions.issue(town.hall, town.residence)
    client.force_login(town.walt)
    page = client.get(f"/hall/ticket/{ticket.token}/").content.decode()
    assert 'data-testid="print-again"' in page and "data-print " not in page
    assert f'action="/hall/{town.hall.code}/reception/"' in page
    printed = client.post(
        f"/hall/{town.hall.code}/reception/", {"action": "reprint", "ticket": ticket.pk}
    )
    assert printed.status_code == 302 and printed.url == f"/hall/ticket/{ticket.token}/"
    event = TicketEvent.objects.get(ticket=ticket, action="reprint")
    assert event.actor == town.walt and event.payload == {"via": "reception"}


def test_a_ticket_that_is_over_offers_no_print_again(client, town):
    ticket = actions.issue(town.hall, town.residence)
    actions.cancel(ticket)
    client.force_login(town.hugo)
    page = client.get(f"/hall/ticket/{ticket.token}/").content.decode()
    assert 'data-testid="print-again"' not in page
