"""王奶奶 took a 居住证 ticket at the kiosk with her mobile number and lost the slip. At the
reception desk Hugo types her number to give her another: "You already hold a ticket for
居住证办理" — and nothing to print, so she could only wait for a number she no longer knew.
Staff (who see the person) are offered that ticket to print again, keeping her place; the public
kiosk still only refuses (anyone may type a number there)."""

from __future__ import annotations

import pytest

from hotline.hall import actions
from hotline.hall.identity import holder_key
from hotline.hall.models import Ticket

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


def test_reception_offers_the_lost_ticket_to_print_again(client, town):
    ticket = actions.issue(town.hall, town.residence, holder_key=holder_key(phone=PHONE))
    client.force_login(town.hugo)
    again = client.post("/hall/dnl/reception/", {"matter": town.residence.pk, "phone": PHONE})
    page = again.content.decode()
    assert again.status_code == 422 and 'data-testid="reception-errors"' in page
    assert 'data-testid="reprint"' in page and f'name="ticket" value="{ticket.pk}"' in page
    assert ticket.number in page
    assert Ticket.objects.count() == 1


def test_the_kiosk_does_not_offer_someone_s_ticket_by_number(client, town):
    ticket = actions.issue(town.hall, town.residence, holder_key=holder_key(phone=PHONE))
    again = client.post("/hall/dnl/kiosk/", {"matter": town.residence.pk, "phone": PHONE})
    # A number typed at the kiosk proves nothing: neither refused (which would tell that the
    # number holds a ticket) nor given that ticket, but a ticket of its own.
    assert again.status_code == 302 and ticket.token not in again["Location"]
    assert ticket.token not in client.get(again["Location"]).content.decode()
