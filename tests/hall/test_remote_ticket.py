"""Today's ticket online: 居住证办理 allows it at 大宁路, 老年综合津贴申请 does not. 张三 takes
one on his phone at 10:00, follows it on "my place" and is texted when his turn is near; a
second one for the same matter is refused; at 18:30 nobody gets one; a matter that does not
allow it is refused whatever the form says. Each goes through the code texted to the phone
(tests/hall/test_remote_ticket_code.py)."""

from __future__ import annotations

import pytest
import time_machine

from hotline.hall.models import Source, Ticket
from tests.conftest import at
from tests.hall.booking_by_code import book

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


@pytest.fixture
def online(town):
    town.residence.remote_ticket_allowed = True
    town.residence.save(update_fields=["remote_ticket_allowed"])
    return town


def _url(town) -> str:
    return f"/hall/{town.hall.code}/today/"


def test_zhang_takes_todays_ticket_on_his_phone_and_follows_it(client, online):
    page = client.get(_url(online)).content.decode()
    assert 'data-testid="remote-form"' in page
    assert "居住证办理" in page and "老年综合津贴申请" not in page
    response = book(client, _url(online), {"matter": online.residence.pk, "phone": PHONE})
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/hall/place/{ticket.token}/"
    assert (ticket.source, ticket.number, ticket.sms_phone) == (Source.PORTAL, "A001", PHONE)
    assert ticket.holder_key and PHONE not in ticket.holder_key
    place = client.get(response["Location"]).content.decode()
    assert "A001" in place
    again = book(client, _url(online), {"matter": online.residence.pk, "phone": PHONE})
    assert again.status_code == 422 and 'data-testid="remote-errors"' in again.content.decode()
    assert Ticket.objects.count() == 1
    booking = client.get(f"/hall/{online.hall.code}/book/").content.decode()
    assert 'data-testid="go-remote-ticket"' in booking


def test_only_the_matters_that_allow_it_and_only_with_a_mobile(client, online):
    for data in (
        {"matter": online.allowance.pk, "phone": PHONE},  # not allowed online
        {"matter": online.residence.pk, "phone": ""},
        {"matter": online.residence.pk, "phone": "021-12345678"},  # a landline: no text
        {"matter": "9" * 40, "phone": PHONE},
    ):
        assert book(client, _url(online), data).status_code == 422
    assert not Ticket.objects.exists()


def test_no_ticket_online_after_hours(client, online):
    with time_machine.travel(at("2023-03-09 18:30"), tick=False):
        page = client.get(_url(online)).content.decode()
        refused = book(client, _url(online), {"matter": online.residence.pk, "phone": PHONE})
    assert 'data-testid="hall-closed"' in page and 'data-testid="remote-form"' not in page
    assert refused.status_code == 422 and "03-10 09:00" in refused.content.decode()
    assert not Ticket.objects.exists()


def test_a_hall_with_no_such_matter_says_so(client, town):
    page = client.get(_url(town)).content.decode()
    assert 'data-testid="remote-none"' in page
    refused = book(client, _url(town), {"matter": town.residence.pk, "phone": PHONE})
    assert refused.status_code == 422
    assert client.get("/hall/no-such-hall/today/").status_code == 404
