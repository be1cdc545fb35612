"""The printed ticket's page leads back to where the ticket was given.

Hugo gives 王奶奶 a ticket at the reception desk; it opens as the 80 mm page to print, and its
"返回" took him to the public kiosk page, not back to his desk. At the kiosk itself the page of
the last citizen's ticket stayed on the screen until someone tapped "返回": the next citizen
found a stranger's ticket there, with "重新打印" to print it again. The kiosk's ticket page now
goes back to the kiosk by itself after a while; the reception desk's does not (staff may print
again), and leads back to the reception desk."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hotline.hall.actions import appointments as booking
from hotline.hall.models import Ticket
from tests.conftest import at

pytestmark = pytest.mark.django_db


def _ticket_page(client, response) -> str:
    assert response.status_code == 302, response.content.decode()[:500]
    return client.get(response["Location"]).content.decode()


def test_the_reception_desks_ticket_leads_back_to_the_reception_desk(client, town):
    client.force_login(town.hugo)
    page = _ticket_page(client, client.post("/hall/dnl/reception/", {"matter": town.residence.pk}))
    assert 'data-testid="ticket-back" href="/hall/dnl/reception/"' in page
    assert "data-return" not in page  # staff may print again: the page stays


def test_the_kiosks_ticket_goes_back_to_the_kiosk_by_itself(client, town):
    page = _ticket_page(client, client.post("/hall/dnl/kiosk/", {"matter": town.residence.pk}))
    assert 'data-testid="ticket-back" href="/hall/dnl/kiosk/"' in page
    assert 'data-return="/hall/dnl/kiosk/"' in page


def test_an_appointment_checked_in_at_the_kiosk_goes_back_to_the_kiosk(client, town, slot):
    with time_machine.travel(at("2023-03-09 15:00"), tick=False):
        appointment = booking.book(slot, holder_key="k" * 64)
    with time_machine.travel(at("2023-03-10 08:45"), tick=False):
        response = client.post("/hall/dnl/kiosk/check-in/", {"code": appointment.code})
        page = _ticket_page(client, response)
    assert Ticket.objects.get().day == dt.date(2023, 3, 10)
    assert 'data-return="/hall/dnl/kiosk/"' in page
