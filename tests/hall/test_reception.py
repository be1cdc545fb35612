"""The reception desk (导服台): Hugo, the hall manager, gives 王奶奶 a green-channel ticket and
prints it; Walt at window 2 may too. Una of the street office may not; outside the windows'
hours nobody gets one; the same person's second ticket for a matter is refused."""

from __future__ import annotations

import pytest
import time_machine

from hotline.hall.models import Priority, Source, Ticket, TicketEvent
from tests.conftest import at

pytestmark = pytest.mark.django_db


def _url(town) -> str:
    return f"/hall/{town.hall.code}/reception/"


def test_hugo_gives_a_green_channel_ticket_and_prints_it(client, town):
    client.force_login(town.hugo)
    page = client.get(_url(town)).content.decode()
    assert 'value="green"' in page and 'data-testid="hall-closed"' not in page
    response = client.post(
        _url(town),
        {"matter": town.residence.pk, "priority": Priority.GREEN, "name": "王奶奶",
         "phone": "13912345678"},
    )  # fmt: skip
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/hall/ticket/{ticket.token}/"
    assert (ticket.source, ticket.priority, ticket.number) == (
        Source.RECEPTION,
        Priority.GREEN,
        "A001",
    )
    assert ticket.holder_key and "13912345678" not in ticket.holder_key
    assert TicketEvent.objects.get(ticket=ticket).actor == town.hugo
    again = client.post(_url(town), {"matter": town.residence.pk, "phone": "13912345678"})
    assert again.status_code == 422 and 'data-testid="reception-errors"' in again.content.decode()
    assert Ticket.objects.count() == 1


def test_walt_may_give_tickets_but_una_may_not(client, town):
    client.force_login(town.walt)
    assert client.post(_url(town), {"matter": town.allowance.pk}).status_code == 302
    client.force_login(town.district.una)
    assert client.get(_url(town)).status_code == 403
    assert client.post(_url(town), {"matter": town.allowance.pk}).status_code == 403
    client.logout()
    assert client.get(_url(town)).status_code == 302  # to the login page
    assert Ticket.objects.count() == 1


def test_no_ticket_at_the_reception_desk_after_hours(client, town):
    client.force_login(town.hugo)
    with time_machine.travel(at("2023-03-09 18:30"), tick=False):
        page = client.get(_url(town)).content.decode()
        refused = client.post(_url(town), {"matter": town.residence.pk, "priority": "green"})
    assert 'data-testid="hall-closed"' in page and "03-10 09:00" in page
    assert refused.status_code == 422 and "03-10 09:00" in refused.content.decode()
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("matter", ["", "abc", "9" * 40])
def test_a_missing_or_mangled_matter_is_refused_in_place(client, town, matter):
    client.force_login(town.walt)
    refused = client.post(_url(town), {"matter": matter, "name": "张" * 300})
    assert refused.status_code == 422
    assert not Ticket.objects.exists()
