"""Texted codes' day limits on an IPv6 sender's wider network (attack, session 24, E): the
address limits count an IPv6 client by its /64, and a home line is handed a /56 (a business or a
6to4 address a /48), each /64 of it a fresh hundred codes a day — 25,600 strangers texted a day
from one /56. Codes sent at the asking of one /56 and of one /48 are now capped a day as well."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import time_machine

from hotline.portal import limits
from hotline.security import client, texted_code
from tests.conftest import at

pytestmark = pytest.mark.django_db


def _ask(n: int, address: str):
    """The ``n``-th code to a different stranger, asked from ``address`` (as the limits count
    it: an IPv6 one by its /64)."""
    return texted_code.send_refusal(f"137{n:08d}", client.counted(address), what="booking")


def _from_every_64(prefix: str, count: int, start: int = 0, *, nets: int = 50):
    """``count`` asks a minute apart, the i-th from the (i mod ``nets``)-th /64 under ``prefix``
    (a /56's: ``nets`` at most 256): no /64 reaches its hour's or its day's limit."""
    refusals = []
    for i in range(count):
        with time_machine.travel(at("2023-03-09 00:00") + dt.timedelta(minutes=i), tick=False):
            refusals.append(_ask(start + i, f"{prefix}:{i % nets:x}::1"))
    return refusals


@pytest.fixture
def small(monkeypatch):
    """The network limits at a few codes, so a test does not send hundreds."""
    for name, count in (("SENDS_PER_NETWORK_56_DAY", 4), ("SENDS_PER_NETWORK_48_DAY", 7)):
        limit = getattr(texted_code, name)
        monkeypatch.setattr(texted_code, name, dataclasses.replace(limit, count=count))


def test_one_56_gets_its_days_codes_over_all_its_64s_and_no_more(small):
    refusals = _from_every_64("2001:db8:aa", 5)  # 2001:db8:aa:0::/64 … aa:4::/64, one /56
    assert refusals[:4] == [None] * 4
    refused = refusals[4]
    assert refused is not None and refused.reason == texted_code.Reason.SENDER
    assert refused.limit == texted_code.SENDS_PER_NETWORK_56_DAY
    # A refusal uses nothing up: the /64's own day count holds only the codes sent.
    assert limits.hits(texted_code.SENDS_PER_ADDRESS_DAY, "2001:db8:aa:4::") == 0


def test_one_48_gets_its_days_codes_over_all_its_56s_and_no_more(small):
    sent = 0
    for k in range(4):  # four /56s of 2001:db8:bb::/48, two asks each
        refusals = _from_every_64(f"2001:db8:bb:{k:x}00", 2, start=10 * k)
        sent += refusals.count(None)
    assert sent == 7
    refused = refusals[-1]
    assert refused is not None and refused.limit == texted_code.SENDS_PER_NETWORK_48_DAY


def test_another_network_and_ipv4_keep_their_own_allowance(small):
    _from_every_64("2001:db8:aa", 5)
    assert _from_every_64("2001:db8:cc", 4, start=100) == [None] * 4
    for n in range(6):
        with time_machine.travel(at("2023-03-09 00:00") + dt.timedelta(minutes=n), tick=False):
            assert _ask(200 + n, "10.9.9.9") is None


def test_a_home_lines_56_texts_300_strangers_a_day_not_25600():
    # As shipped, no figure patched: h4's script, a stranger an ask, 301 asks from fifty /64s of
    # one /56 (before, all sent).
    refusals = _from_every_64("2001:db8:dd", 301)
    assert refusals.count(None) == 300
    assert refusals[-1] is not None
    assert refusals[-1].limit == texted_code.SENDS_PER_NETWORK_56_DAY


def test_the_limits_as_shipped():
    assert texted_code.SENDS_PER_NETWORK_56_DAY.count == 300
    assert texted_code.SENDS_PER_NETWORK_48_DAY.count == 1000
    assert client.ipv6_network("2001:db8:aa:17::", 56) == "2001:db8:aa::/56"
    assert client.ipv6_network("::ffff:10.0.0.1", 56) == ""
    assert client.ipv6_network("staff-3", 48) == ""
