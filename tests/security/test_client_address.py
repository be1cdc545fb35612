"""Behind the reverse proxy of docs/deploy.md every request comes from the proxy: the real client
is the one the trusted proxy names in X-Forwarded-For, and nobody else's header is believed.

Before TRUSTED_PROXIES, one citizen's ten submissions through nginx used up the limit of every
citizen (they all had the proxy's address)."""

from __future__ import annotations

from ipaddress import ip_network

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from hotline.env import env_networks
from hotline.security.client import address_from, counted
from hotline.security.models import PhoneView
from tests.conftest import PASSWORD
from tests.portal.test_portal import submit

NGINX = "10.0.0.5"
PROXIES = (ip_network("10.0.0.0/24"),)


def behind_nginx(client_ip: str) -> Client:
    """A citizen's browser reaching the application through the proxy."""
    return Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=client_ip)


@pytest.fixture
def proxy_trusted(settings):
    settings.TRUSTED_PROXIES = PROXIES


def test_without_trusted_proxies_the_peer_is_the_client_whatever_the_header_says():
    meta = {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": "203.0.113.1"}
    assert address_from(meta, proxies=()) == "198.51.100.7"


def test_a_header_from_an_untrusted_peer_is_ignored():
    meta = {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": "203.0.113.1"}
    assert address_from(meta, proxies=PROXIES) == "198.51.100.7"


def test_the_rightmost_hop_that_is_not_a_trusted_proxy_is_the_client():
    # The citizen wrote "1.2.3.4" themselves; nginx appended the address it saw.
    meta = {"REMOTE_ADDR": NGINX, "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.9, 10.0.0.7"}
    assert address_from(meta, proxies=PROXIES) == "203.0.113.9"


def test_x_real_ip_is_read_when_the_proxy_sends_no_forwarded_for():
    meta = {"REMOTE_ADDR": NGINX, "HTTP_X_REAL_IP": "203.0.113.9"}
    assert address_from(meta, proxies=PROXIES) == "203.0.113.9"


def test_garbage_in_the_chain_stops_at_the_last_trusted_hop():
    meta = {"REMOTE_ADDR": NGINX, "HTTP_X_FORWARDED_FOR": "203.0.113.9, <script>"}
    assert address_from(meta, proxies=PROXIES) == NGINX


def test_ipv6_and_ports_are_understood():
    meta = {"REMOTE_ADDR": "::ffff:10.0.0.5", "HTTP_X_FORWARDED_FOR": "[2001:db8::1]:443"}
    assert address_from(meta, proxies=PROXIES) == "2001:db8::1"


def test_a_bad_cidr_stops_start_up_naming_the_variable():
    with pytest.raises(ImproperlyConfigured, match=r"TRUSTED_PROXIES.*10\.0\.0\.300"):
        env_networks("TRUSTED_PROXIES", environ={"TRUSTED_PROXIES": "10.0.0.0/8, 10.0.0.300"})
    with pytest.raises(ImproperlyConfigured, match="host bits"):
        env_networks("TRUSTED_PROXIES", environ={"TRUSTED_PROXIES": "10.0.0.1/8"})
    assert env_networks("TRUSTED_PROXIES", environ={}) == ()


def test_one_citizen_behind_the_proxy_does_not_use_up_anothers_submissions(
    district, settings, proxy_trusted
):
    settings.PORTAL_SUBMITS_PER_IP_HOUR = 10
    settings.PORTAL_SUBMITS_PER_PHONE_DAY = 100
    alice = behind_nginx("203.0.113.1")
    for _ in range(10):
        assert submit(alice, district).status_code == 302
    assert submit(alice, district).status_code == 429
    bob = behind_nginx("203.0.113.2")
    assert submit(bob, district, phone="13912345678").status_code == 302


def test_a_forged_header_does_not_dodge_the_limit(district, settings):
    settings.PORTAL_SUBMITS_PER_IP_HOUR = 2
    settings.PORTAL_SUBMITS_PER_PHONE_DAY = 100
    for i in range(2):
        forger = Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
        assert submit(forger, district).status_code == 302
    forger = Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert submit(forger, district).status_code == 429


def test_the_login_lockout_locks_the_guesser_not_the_colleague_behind_the_same_proxy(
    district, proxy_trusted
):
    guesser = behind_nginx("203.0.113.66")
    for _ in range(5):
        guesser.post(reverse("login"), {"username": "dan", "password": "guess"})
    assert (
        guesser.post(reverse("login"), {"username": "dan", "password": PASSWORD}).status_code == 429
    )
    dan = behind_nginx("203.0.113.10")
    assert dan.post(reverse("login"), {"username": "dan", "password": PASSWORD}).status_code == 302


def test_the_phone_view_record_names_the_real_client(district, proxy_trusted):
    from hotline.orders import actions

    order = actions.register(
        district.olga, title="路灯不亮", description="夜里很黑", citizen_phone="13912345678"
    )
    dan = behind_nginx("203.0.113.10")
    dan.force_login(district.dan)
    assert dan.get(f"/orders/{order.number}/").status_code == 200
    assert PhoneView.objects.filter(order=order).values_list("client", flat=True).first() == (
        "203.0.113.10"
    )


def test_an_ipv6_client_is_counted_by_its_64():
    assert counted("2001:db8:1:2::17") == "2001:db8:1:2::"
    assert counted("2001:db8:1:2:ffff:ffff:ffff:ffff") == "2001:db8:1:2::"
    assert counted("2001:db8:1:3::1") == "2001:db8:1:3::"
    assert counted("::ffff:203.0.113.9") == "203.0.113.9"
    assert counted("203.0.113.9") == "203.0.113.9"
    assert counted("unknown") == "unknown"


def test_a_64_does_not_get_a_fresh_allowance_at_every_address(district, settings):
    """One subscriber's /64 is 2^64 addresses: counted one by one, none of the limits applied
    (security review, session 18)."""
    settings.PORTAL_SUBMITS_PER_IP_HOUR = 3
    settings.PORTAL_SUBMITS_PER_PHONE_DAY = 100
    for i in range(3):
        citizen = Client(REMOTE_ADDR=f"2001:db8:1:2::{i + 1:x}")
        assert submit(citizen, district, phone=f"1391234567{i}").status_code == 302
    again = Client(REMOTE_ADDR="2001:db8:1:2:abcd::9")
    assert submit(again, district, phone="13912345679").status_code == 429
    neighbour = Client(REMOTE_ADDR="2001:db8:1:3::1")
    assert submit(neighbour, district, phone="13912345678").status_code == 302
