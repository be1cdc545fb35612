"""Wrong booking codes are counted on an IPv6 sender's /56 and /48 too, not only its /64 (h4's
finding 5, session 25): a303ade capped texted codes by network, but the booking page and the
check-in counted an IPv6 client by its /64 alone, so one /48 (a tunnel broker's free
allocation) had 65,536 × 20 guesses every ten minutes."""

from __future__ import annotations

import dataclasses

import pytest
import time_machine

from hotline.hall.views import booking
from hotline.portal import limits
from tests.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _morning():
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        yield


@pytest.fixture
def small(monkeypatch):
    """The network limits at a few codes, so a test does not send hundreds."""
    for name, count in (("CODE_FAILURES_NET56", 4), ("CODE_FAILURES_NET48", 7)):
        limit = getattr(booking, name)
        monkeypatch.setattr(booking, name, dataclasses.replace(limit, count=count))


def _guess(client, town, n: int, address: str) -> int:
    return client.get(f"/hall/{town.hall.code}/book/ZZZ{n:03d}/", REMOTE_ADDR=address).status_code


def test_one_56_gets_its_wrong_codes_over_all_its_64s_and_no_more(client, town, small):
    # One wrong code from each of five /64s of 2001:db8:aa00::/56.
    statuses = [_guess(client, town, n, f"2001:db8:aa00:{n:x}::1") for n in range(5)]
    assert statuses == [404] * 4 + [429]
    # The refused try counts nothing: its /64 holds no wrong code.
    assert limits.hits(booking.CODE_FAILURES, "2001:db8:aa00:4::") == 0


def test_one_48_gets_its_wrong_codes_over_all_its_56s_and_no_more(client, town, small):
    statuses = [
        _guess(client, town, 10 * k + i, f"2001:db8:bb:{k:x}0{i:x}::1")
        for k in range(4)  # four /56s of 2001:db8:bb::/48, two wrong codes each
        for i in range(2)
    ]
    assert statuses == [404] * 7 + [429]


def test_another_network_and_ipv4_keep_their_own_allowance(client, town, small):
    for n in range(5):
        _guess(client, town, n, f"2001:db8:aa00:{n:x}::1")
    assert [_guess(client, town, n, f"2001:db8:cc00:{n:x}::1") for n in range(4)] == [404] * 4
    assert [_guess(client, town, n, "10.9.9.9") for n in range(6)] == [404] * 6


def test_a_56s_hundred_and_first_wrong_code_is_refused_as_shipped(client, town):
    # As shipped, no figure patched: h4's script, a wrong code from each of 101 /64s of one /56
    # (before, all 404: each /64 had its own twenty).
    statuses = [_guess(client, town, n, f"2001:db8:dd00:{n:x}::1") for n in range(101)]
    assert statuses == [404] * 100 + [429]


def test_the_limits_as_shipped():
    assert booking.CODE_FAILURES.count == 20
    assert booking.CODE_FAILURES_NET56.count == 100
    assert booking.CODE_FAILURES_NET48.count == 400
