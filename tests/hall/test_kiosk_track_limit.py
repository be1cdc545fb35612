"""Tracking and rating from a hall's kiosk count against the kiosk, not the hall's address.

The portal allows 60 tracking queries and rating pages an hour per address. A kiosk's "track or
rate a 12345 request" button led to the portal's page like any phone's, so the kiosk shared that
allowance with every phone on the hall's Wi-Fi (one address): an afternoon of citizens at the
kiosk, or a few dozen phones, and the kiosk answered "too many requests" for an hour. The
kiosk's link names it (signed, like a booking page's ``?kiosk=``): its lookups count against the
kiosk at its address, with a kiosk-sized limit; anyone else keeps the per-address limit.

Session 17: the link is printed on a public page, so a phone could copy it; the allowance is now
the enrolled kiosk's (hotline.hall.devices, per kiosk), and the link only leads back to it.
"""

from __future__ import annotations

import html
import re
from ipaddress import ip_network

import pytest
import time_machine
from django.test import Client

from hotline.hall.models import Kiosk
from hotline.portal import limits
from tests.conftest import at
from tests.hall.conftest import enrolled_browser

pytestmark = pytest.mark.django_db

HALL = "10.20.0.1"
EVENING = at("2023-03-09 20:30")


@pytest.fixture
def kiosk(town) -> Kiosk:
    kiosk = Kiosk.objects.create(hall=town.hall, code="dnl-zz1", name="自助终端1号", place="东门")
    kiosk.matters.set([town.residence])
    return kiosk


def _track_link(client: Client, url: str) -> str:
    with time_machine.travel(EVENING, tick=False):
        page = client.get(url, REMOTE_ADDR=HALL).content.decode()
    found = re.search(r'href="([^"]*)" data-choice="track"', page)
    assert found, page
    return html.unescape(found.group(1))


def _track(client: Client, url: str, address: str = HALL) -> int:
    data = {"number": "20230309-000001", "phone": "13800001111"}
    return client.post(url, data, REMOTE_ADDR=address).status_code


def _use_up_the_address(client: Client, settings) -> None:
    for _n in range(settings.PORTAL_LOOKUPS_PER_IP_HOUR):
        assert _track(client, "/portal/track/") == 200
    assert _track(client, "/portal/track/") == 429


@pytest.mark.parametrize("page", ["/hall/dnl/self-service/dnl-zz1/", "/hall/dnl/kiosk/"])
def test_the_phones_on_the_halls_wifi_do_not_shut_the_kiosks_tracking(
    client, town, kiosk, settings, page
):
    machine = enrolled_browser(kiosk, town.hugo)
    link = _track_link(machine, page)
    assert link.startswith("/portal/track/?kiosk=")
    _use_up_the_address(client, settings)
    # The kiosk goes on: the phones' allowance is used up, not the kiosk's.
    for _n in range(settings.PORTAL_LOOKUPS_PER_IP_HOUR + 10):
        assert _track(machine, link) == 200
    # A rating page opened at the kiosk counts as the kiosk's too (a made-up link: 410, not 429).
    assert (
        machine.get(f"/portal/rate/nothing/?{link.split('?')[1]}", REMOTE_ADDR=HALL).status_code
        == 410
    )
    assert client.get("/portal/rate/nothing/", REMOTE_ADDR=HALL).status_code == 429
    # A phone that copied the kiosk's link is a phone: the address's count, used up.
    assert _track(client, link) == 429


def test_the_kiosk_has_a_limit_of_its_own(client, town, kiosk, monkeypatch):
    assert limits.KIOSK_LOOKUPS.count == 200
    monkeypatch.setattr(
        limits, "KIOSK_LOOKUPS", limits.Limit("lookup", "kiosk", 5, limits.KIOSK_LOOKUPS.window)
    )
    machine = enrolled_browser(kiosk, town.hugo)
    link = _track_link(machine, "/hall/dnl/self-service/dnl-zz1/")
    for _n in range(5):
        assert _track(machine, link) == 200
    assert _track(machine, link) == 429
    # Counted per kiosk: a stranger copying the link uses up nothing of the kiosk's, and the
    # phones at the kiosk's address keep their own.
    assert _track(client, link, "203.0.113.9") == 200
    assert _track(client, link) == 200


def test_a_made_up_kiosk_name_keeps_the_address_limit(client, kiosk, settings):
    _use_up_the_address(client, settings)
    assert _track(client, "/portal/track/?kiosk=dnl-zz1") == 429
    assert _track(client, "/portal/track/?kiosk=1/dnl-zz1:forged:sig") == 429


def test_with_the_hall_networks_named_only_the_hall_gets_the_kiosk_limit(
    client, town, kiosk, settings
):
    settings.HALL_KIOSK_NETWORKS = (ip_network("10.20.0.0/24"),)
    machine = enrolled_browser(kiosk, town.hugo)
    link = _track_link(machine, "/hall/dnl/self-service/dnl-zz1/")
    stranger = "203.0.113.9"
    # The kiosk's cookie taken outside the halls' networks counts as that address.
    for _n in range(settings.PORTAL_LOOKUPS_PER_IP_HOUR):
        assert _track(machine, link, stranger) == 200
    assert _track(machine, link, stranger) == 429
    assert _track(machine, link) == 200


@pytest.mark.parametrize(
    ("page", "home"),
    [
        ("/hall/dnl/self-service/dnl-zz1/", "/hall/dnl/self-service/dnl-zz1/"),
        ("/hall/dnl/kiosk/", "/hall/dnl/kiosk/"),
    ],
)
def test_tracking_at_the_kiosk_goes_back_to_the_kiosk(client, kiosk, page, home):
    """The kiosk's "track or rate" led to the portal and stayed there: the next citizen at the
    kiosk found the last one's request and its answer on the screen, and no way back. Opened
    from a kiosk, the portal's pages lead back to it and return there by themselves when idle."""
    link = _track_link(client, page)
    for response in (
        client.get(link, REMOTE_ADDR=HALL),
        client.post(link, {"number": "20230309-000001", "phone": "13800001111"}, REMOTE_ADDR=HALL),
        client.get(f"/portal/rate/nothing/?{link.split('?')[1]}", REMOTE_ADDR=HALL),
    ):
        body = response.content.decode()
        assert f'data-idle-home="{home}"' in body
        assert f'href="{home}" data-testid="kiosk-home"' in body
    for other in ("/portal/track/", "/portal/track/?kiosk=forged"):
        assert "data-idle-home" not in client.get(other, REMOTE_ADDR=HALL).content.decode()


def test_tracking_at_the_kiosk_remembers_no_number(client, kiosk):
    """Session 17: the portal's tracking form says autocomplete=tel for the phone: on a kiosk's
    shared browser that offered the earlier citizens' phone numbers (and order numbers) to the
    next. Opened from a kiosk both boxes say off; on a phone the phone box still helps."""
    link = _track_link(client, "/hall/dnl/self-service/dnl-zz1/")
    at_kiosk = client.get(link, REMOTE_ADDR=HALL).content.decode()
    assert at_kiosk.count('autocomplete="off"') == 2 and 'autocomplete="tel"' not in at_kiosk
    assert 'autocomplete="tel"' in client.get("/portal/track/").content.decode()
