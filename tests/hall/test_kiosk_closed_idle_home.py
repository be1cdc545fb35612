"""The ticket kiosk opened from a self-service kiosk after the windows closed goes back to it.

At 17:10 a citizen at the 24-hour kiosk by the east door (dnl-zz1) taps "take a ticket" on a
page left from the afternoon; the ticket kiosk says the windows are closed and offers what needs
no clerk. The open kiosk's form returned to the self-service kiosk when left idle, but the closed
page had no form, so nothing did: the machine stayed on the ticket kiosk's closed page for the
next citizen, its own after-hours matters gone. It now goes back after the same idle time, and
what it offers (booking, material lists) leads back to that kiosk too."""

from __future__ import annotations

import pytest
import time_machine

from hotline.hall.models import Kiosk
from tests.conftest import at

pytestmark = pytest.mark.django_db

HOME = "/hall/dnl/self-service/dnl-zz1/"


@pytest.fixture
def kiosk(town) -> Kiosk:
    return Kiosk.objects.create(hall=town.hall, code="dnl-zz1", name="自助终端1号", place="东门")


def test_the_closed_ticket_kiosk_opened_from_a_self_service_kiosk_returns_to_it(
    client, town, kiosk
):
    with time_machine.travel(at("2023-03-10 19:30"), tick=False):
        page = client.get("/hall/dnl/kiosk/?kiosk=dnl-zz1").content.decode()
    assert 'data-testid="hall-closed"' in page
    assert f'data-idle-reset="{HOME}" data-idle-home="{HOME}" data-idle-after="60"' in page
    assert "?kiosk=dnl-zz1" in page.split('data-choice="book"')[0].rsplit("<a", 1)[1]
    assert "/hall/dnl/self-service/dnl-zz1/materials/" in page


def test_the_closed_ticket_kiosk_itself_has_no_idle_home(client, town, kiosk):
    with time_machine.travel(at("2023-03-10 19:30"), tick=False):
        page = client.get("/hall/dnl/kiosk/").content.decode()
    assert 'data-testid="hall-closed"' in page
    assert "data-idle-home" not in page
