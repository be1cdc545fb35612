"""A ticket form sent twice gives one ticket: the kiosk's big button tapped twice (the second tap
lands while the first's ticket page loads, so the browser shows the second answer), Back and
send again at the reception desk or on the portal. Each page carries a one-time token; its
second sending gets the first ticket back. Before, the kiosk and the desk printed a second
number (a certain no-show in the queue and the figures) and the portal refused its own first
ticket ("you already hold a ticket") with no link to it."""

from __future__ import annotations

import re

import pytest
import time_machine

from hotline.hall.models import Source, Ticket
from tests.conftest import at
from tests.hall.booking_by_code import ask_for_code, book, confirm
from tests.hall.conftest import HallTown

pytestmark = pytest.mark.django_db


def _token(page: bytes) -> str:
    found = re.search(rb'name="submission" value="([^"]+)"', page)
    assert found, "the form carries no one-time token"
    return found.group(1).decode()


def test_the_kiosk_button_tapped_twice_prints_one_ticket(client, town: HallTown):
    url = f"/hall/{town.hall.code}/kiosk/"
    once = _token(client.get(url).content)
    data = {"matter": town.residence.pk, "priority": "regular", "submission": once}
    first = client.post(url, data)
    second = client.post(url, data)
    ticket = Ticket.objects.get()
    assert ticket.number == "A001"
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/hall/ticket/{ticket.token}/"
    assert ticket.token != once  # the page's token is not the my-place link's key
    # The same page then used for another matter (Back, another button) is another ticket.
    other = client.post(url, {**data, "matter": town.allowance.pk})
    assert other.status_code == 302 and Ticket.objects.count() == 2
    # A fresh page is the next citizen: a ticket of their own.
    data["submission"] = _token(client.get(url).content)
    client.post(url, data)
    assert sorted(Ticket.objects.values_list("number", flat=True)) == ["A001", "A002", "B001"]


def test_the_reception_desk_sent_again_prints_one_ticket(client, town: HallTown):
    client.force_login(town.wendy)
    url = f"/hall/{town.hall.code}/reception/"
    data = {
        "matter": town.residence.pk,
        "priority": "green",
        "submission": _token(client.get(url).content),
    }
    first, second = client.post(url, data), client.post(url, data)
    ticket = Ticket.objects.get()
    assert (ticket.source, ticket.priority) == (Source.RECEPTION, "green")
    assert first["Location"] == second["Location"] == f"/hall/ticket/{ticket.token}/"


def test_the_portal_sent_again_shows_the_first_ticket_not_a_refusal(client, town: HallTown):
    town.residence.remote_ticket_allowed = True
    town.residence.save(update_fields=["remote_ticket_allowed"])
    url = f"/hall/{town.hall.code}/today/"
    data = {
        "matter": town.residence.pk,
        "phone": "13912345678",
        "submission": _token(client.get(url).content),
    }
    # The form goes through the code texted to the phone (test_remote_ticket_code.py); its
    # confirm step sent twice gives the first ticket back.
    asked, code = ask_for_code(client, url, data)
    first, second = confirm(client, url, asked, code), confirm(client, url, asked, code)
    ticket = Ticket.objects.get()
    assert first.status_code == second.status_code == 302
    assert second["Location"] == f"/hall/place/{ticket.token}/"
    # A fresh form from the same phone (its code typed: the page says whether a number holds a
    # ticket only to whoever has the code) is still one active ticket per person and matter.
    with time_machine.travel(at("2023-03-09 10:05"), tick=False):
        data["submission"] = _token(client.get(url).content)
        again = book(client, url, data)
    assert again.status_code == 422 and Ticket.objects.count() == 1
