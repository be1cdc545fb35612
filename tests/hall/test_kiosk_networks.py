"""The kiosk's pages answer only the hall's own machines when the hall's networks are named.

Anyone on the internet could open ``/hall/<code>/kiosk/`` and issue tickets with no limit: a
script filled the queue, used up the day's caps, and the board showed hundreds waiting. A limit
per address cannot tell that from a busy hall, whose kiosks share one address. With
``HALL_KIOSK_NETWORKS`` set (read like ``TRUSTED_PROXIES``: the real client behind the proxy),
the pages that issue tickets (the ticket kiosk, appointment check-in) and the self-service
kiosks' pages answer only those networks; everyone else gets a page saying where tickets are
taken and what a phone can do instead (403). The board, "my place", booking and the remote
ticket stay public. Unset (as before), the ticket kiosk counts tickets per address: 600 an hour.
"""

from __future__ import annotations

from ipaddress import ip_network

import pytest
from django.test import Client

from hotline.hall.models import Kiosk, Ticket
from hotline.hall.views import public
from hotline.portal import limits
from tests.hall.conftest import enrolled_browser

pytestmark = pytest.mark.django_db

HALL = "10.20.0.17"  # a kiosk on the hall's network
STRANGER = "203.0.113.9"  # anyone on the internet
NGINX = "10.0.0.5"


@pytest.fixture
def hall_networks(settings):
    settings.HALL_KIOSK_NETWORKS = (ip_network("10.20.0.0/24"),)


@pytest.fixture
def kiosk(town) -> Kiosk:
    kiosk = Kiosk.objects.create(hall=town.hall, code="dnl-zz1", name="自助终端1号", place="东门")
    kiosk.matters.set([town.residence])
    return kiosk


def _issue(client: Client, town, address: str) -> int:
    return client.post(
        "/hall/dnl/kiosk/", {"matter": town.residence.pk}, REMOTE_ADDR=address
    ).status_code


KIOSK_PAGES = (
    "/hall/dnl/kiosk/",
    "/hall/dnl/kiosk/check-in/",
    "/hall/dnl/kiosk/materials/",
    "/hall/dnl/self-service/dnl-zz1/",
    "/hall/dnl/self-service/dnl-zz1/materials/",
)


@pytest.mark.parametrize("url", KIOSK_PAGES)
def test_with_the_hall_networks_named_a_stranger_gets_a_page_saying_where_tickets_are_taken(
    client, town, kiosk, hall_networks, url
):
    refused = client.get(url, REMOTE_ADDR=STRANGER, HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = refused.content.decode()
    assert refused.status_code == 403
    assert 'data-testid="kiosk-elsewhere"' in page
    assert "请到大厅取号" in page  # translated, not English
    assert "/hall/dnl/board/" in page
    assert client.get(url, REMOTE_ADDR=HALL).status_code == 200


def test_a_stranger_posting_to_the_kiosk_issues_no_ticket(client, town, hall_networks):
    assert _issue(client, town, STRANGER) == 403
    assert not Ticket.objects.exists()
    assert _issue(client, town, HALL) == 302
    assert Ticket.objects.count() == 1


def test_a_stranger_records_no_self_service_use(client, town, kiosk, hall_networks):
    data = {"matter": town.residence.pk}
    assert (
        client.post("/hall/dnl/self-service/dnl-zz1/", data, REMOTE_ADDR=STRANGER).status_code
        == 403
    )
    assert not kiosk.uses.exists()


def test_behind_the_proxy_the_kiosk_is_the_client_it_names(client, town, settings, hall_networks):
    settings.TRUSTED_PROXIES = (ip_network("10.0.0.0/24"),)
    inside = Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=HALL)
    outside = Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=STRANGER)
    assert inside.get("/hall/dnl/kiosk/").status_code == 200
    assert outside.get("/hall/dnl/kiosk/").status_code == 403
    # A stranger writing the hall's address in the header is not believed without the proxy.
    forged = Client(REMOTE_ADDR=STRANGER, HTTP_X_FORWARDED_FOR=HALL)
    assert forged.get("/hall/dnl/kiosk/").status_code == 403


@pytest.mark.parametrize(
    "url", ["/hall/dnl/board/", "/hall/dnl/book/", "/hall/dnl/today/", "/hall/dnl/board/window/1/"]
)
def test_the_board_booking_and_the_remote_ticket_stay_public(client, town, hall_networks, url):
    assert client.get(url, REMOTE_ADDR=STRANGER).status_code == 200


def test_my_place_stays_public(client, town, hall_networks):
    assert _issue(client, town, HALL) == 302
    token = Ticket.objects.get().token
    assert client.get(f"/hall/place/{token}/", REMOTE_ADDR=STRANGER).status_code == 200
    assert client.get(f"/hall/ticket/{token}/", REMOTE_ADDR=STRANGER).status_code == 200


def test_unset_the_kiosk_answers_anyone_as_before(client, town, kiosk, settings):
    settings.HALL_KIOSK_NETWORKS = ()
    for url in KIOSK_PAGES:
        assert client.get(url, REMOTE_ADDR=STRANGER).status_code == 200, url
    assert _issue(client, town, STRANGER) == 302


def test_unset_one_address_issues_at_most_the_hourly_cap(client, town, settings, monkeypatch):
    settings.HALL_KIOSK_NETWORKS = ()
    assert public.ADDRESS_TICKETS.count == 600  # a hall's few hundred a day never reach it
    monkeypatch.setattr(
        public,
        "ADDRESS_TICKETS",
        limits.Limit("kiosk-ticket", "ip", 3, public.ADDRESS_TICKETS.window),
    )
    for _n in range(3):
        assert _issue(client, town, STRANGER) == 302
    refused = client.post(
        "/hall/dnl/kiosk/",
        {"matter": town.residence.pk},
        REMOTE_ADDR=STRANGER,
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert refused.status_code == 422
    assert "取号过多" in refused.content.decode()
    assert Ticket.objects.count() == 3
    # Another address (the hall's own kiosk) is not shut by the script.
    assert _issue(client, town, HALL) == 302


def test_with_the_networks_named_a_phone_there_cannot_shut_the_enrolled_kiosk(
    client, town, kiosk, hall_networks, monkeypatch
):
    """Session 17: with the networks named nothing was counted, so a phone on the hall's Wi-Fi
    (inside the networks) took tickets without limit. A browser not enrolled as a kiosk is
    counted per address; the enrolled kiosk at the same address per kiosk, untouched."""
    few = limits.Limit("kiosk-ticket", "ip", 1, public.ADDRESS_TICKETS.window)
    monkeypatch.setattr(public, "ADDRESS_TICKETS", few)
    assert _issue(client, town, HALL) == 302
    assert _issue(client, town, HALL) == 422
    machine = enrolled_browser(kiosk, town.hugo)
    for _n in range(3):
        assert _issue(machine, town, HALL) == 302


def test_unset_one_address_records_at_most_the_hourly_self_service_uses(
    client, town, kiosk, settings, monkeypatch
):
    """Self-service uses count in the hall's figures and its unit's assessment: a script on the
    internet could add thousands. Past the address's hourly count (600) a completion is refused
    and a material list is shown but not recorded."""
    from hotline.hall.models import SelfServiceUse
    from hotline.hall.views import selfservice
    from hotline.matters.models import Matter

    settings.HALL_KIOSK_NETWORKS = ()
    printout = Matter.objects.create(
        code="yb-dy", name="医保缴费凭证打印", queue_group="C", visits=0
    )
    kiosk.matters.add(printout)
    assert selfservice.ADDRESS_USES.count == selfservice.KIOSK_USES.count == 600
    few = limits.Limit("kiosk-use", "ip", 2, selfservice.ADDRESS_USES.window)
    monkeypatch.setattr(selfservice, "ADDRESS_USES", few)
    url = "/hall/dnl/self-service/dnl-zz1/"
    data = {"matter": printout.pk}
    assert client.post(url, data, REMOTE_ADDR=STRANGER).status_code == 302
    assert client.post(f"{url}materials/", data, REMOTE_ADDR=STRANGER).status_code == 302
    refused = client.post(url, data, REMOTE_ADDR=STRANGER, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused.status_code == 422 and "自助办理过多" in refused.content.decode()
    shown = client.post(f"{url}materials/", data, REMOTE_ADDR=STRANGER)
    assert shown.status_code == 302  # the list is still shown
    assert SelfServiceUse.objects.count() == 2
    # The hall's own kiosk at another address goes on, and so does the enrolled kiosk at the
    # script's address (its own count).
    assert client.post(url, data, REMOTE_ADDR=HALL).status_code == 302
    machine = enrolled_browser(kiosk, town.hugo)
    assert machine.post(url, data, REMOTE_ADDR=STRANGER).status_code == 302
    assert SelfServiceUse.objects.count() == 4


def test_an_enrolled_kiosk_at_its_own_cap_is_told_it_is_the_kiosk_not_an_address(
    town, kiosk, monkeypatch
):
    """The enrolled kiosk's own hourly counts (tickets, self-service uses) are the kiosk's, not
    its address's: its refusal says so (it said "from this address", which reception reading
    the screen would take for a network problem)."""
    from hotline.hall.views import selfservice
    from hotline.matters.models import Matter

    monkeypatch.setattr(
        public,
        "KIOSK_TICKETS",
        limits.Limit("kiosk-ticket", "kiosk", 1, public.KIOSK_TICKETS.window),
    )
    monkeypatch.setattr(
        selfservice,
        "KIOSK_USES",
        limits.Limit("kiosk-use", "kiosk", 1, selfservice.KIOSK_USES.window),
    )
    printout = Matter.objects.create(
        code="yb-dy", name="医保缴费凭证打印", queue_group="C", visits=0
    )
    kiosk.matters.add(printout)
    machine = enrolled_browser(kiosk, town.hugo, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert _issue(machine, town, HALL) == 302
    refused = machine.post("/hall/dnl/kiosk/", {"matter": town.residence.pk}, REMOTE_ADDR=HALL)
    assert refused.status_code == 422
    assert "此自助终端取号过多" in refused.content.decode()
    url = "/hall/dnl/self-service/dnl-zz1/"
    assert machine.post(url, {"matter": printout.pk}, REMOTE_ADDR=HALL).status_code == 302
    refused = machine.post(url, {"matter": printout.pk}, REMOTE_ADDR=HALL)
    assert refused.status_code == 422
    assert "此自助终端记录的自助办理过多" in refused.content.decode()
