"""The 24-hour self-service kiosk's way to a ticket or a check-in, and back.

The self-service kiosk by the east door (dnl-zz1) leads, while the windows are open, to the
ticket kiosk and to appointment check-in. A kiosk has no Back button: before, a citizen who
took a ticket or checked in there left the machine on the ticket's page, which went back by
itself to the *ticket* kiosk's page — and from there nothing led back to the self-service
kiosk, so the machine stayed the ticket kiosk for the rest of the day (the after-hours matters
it completes without a clerk gone from it). The pages opened from it now name it (``?kiosk=``)
and lead back to it: the ticket's page returns there, the ticket kiosk's page has a Back to it
and, left idle, goes back there. Opened anywhere else, they behave as before."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import Kiosk
from tests.conftest import at
from tests.hall.conftest import open_slot

pytestmark = pytest.mark.django_db

HOME = "/hall/dnl/self-service/dnl-zz1/"


@pytest.fixture
def kiosk(town) -> Kiosk:
    return Kiosk.objects.create(hall=town.hall, code="dnl-zz1", name="自助终端1号", place="东门")


def test_a_ticket_taken_from_the_self_service_kiosk_returns_there(client, town, kiosk):
    with time_machine.travel(at("2023-03-10 09:30"), tick=False):
        page = client.get(HOME).content.decode()
        assert 'href="/hall/dnl/kiosk/?kiosk=dnl-zz1" data-choice="ticket"' in page
        kiosk_page = client.get("/hall/dnl/kiosk/?kiosk=dnl-zz1").content.decode()
        assert f'href="{HOME}" data-testid="kiosk-home"' in kiosk_page
        assert f'data-idle-reset="{HOME}" data-idle-home' in kiosk_page
        assert 'href="/hall/dnl/kiosk/check-in/?kiosk=dnl-zz1"' in kiosk_page
        issued = client.post("/hall/dnl/kiosk/?kiosk=dnl-zz1", {"matter": town.residence.pk})
        assert issued.status_code == 302 and issued["Location"].endswith("?kiosk=dnl-zz1")
        ticket_page = client.get(issued["Location"]).content.decode()
    assert f'data-return="{HOME}"' in ticket_page
    assert f'data-testid="ticket-back" href="{HOME}"' in ticket_page


def test_a_check_in_at_the_self_service_kiosk_returns_there(client, town, kiosk):
    slot = open_slot(town, dt.date(2023, 3, 10))
    with time_machine.travel(at("2023-03-09 15:00"), tick=False):
        code = booking.book(slot, holder_key=holder_key(phone="13912345678")).code
    with time_machine.travel(at("2023-03-10 08:50"), tick=False):
        page = client.get("/hall/dnl/kiosk/check-in/?kiosk=dnl-zz1").content.decode()
        assert (
            f'data-idle-reset="/hall/dnl/kiosk/check-in/?kiosk=dnl-zz1" data-idle-home="{HOME}"'
            in page
        )
        done = client.post("/hall/dnl/kiosk/check-in/?kiosk=dnl-zz1", {"code": code})
        assert done.status_code == 302 and done["Location"].endswith("?kiosk=dnl-zz1")
        ticket_page = client.get(done["Location"]).content.decode()
    assert f'data-return="{HOME}"' in ticket_page


@pytest.mark.parametrize("value", ["", "ticket", "no-such", "https://evil.example/"])
def test_anywhere_else_the_ticket_kiosk_is_home(client, town, kiosk, value):
    with time_machine.travel(at("2023-03-10 09:30"), tick=False):
        kiosk_page = client.get("/hall/dnl/kiosk/", {"kiosk": value}).content.decode()
        assert 'data-testid="kiosk-home"' not in kiosk_page and "evil" not in kiosk_page
        assert 'data-idle-reset="/hall/dnl/kiosk/"' in kiosk_page
        issued = client.post(f"/hall/dnl/kiosk/?kiosk={value}", {"matter": town.residence.pk})
        ticket_page = client.get(issued["Location"]).content.decode()
    assert 'data-return="/hall/dnl/kiosk/"' in ticket_page and "evil" not in ticket_page
