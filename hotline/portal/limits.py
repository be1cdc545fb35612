"""Abuse limits without a captcha: so many submissions per client address and per phone number,
so many tracking queries and ratings per address, in a sliding window.

The hit is recorded first and then counted, so two processes racing at the limit may both be
refused but never both let through past it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import HttpRequest

from hotline import clock
from hotline.portal.models import PortalHit
from hotline.security import client as security_client

#: Hits older than this are deleted (no window is longer).
KEEP = dt.timedelta(days=1)


@dataclass(frozen=True)
class Limit:
    name: str
    per: str  # "ip", "phone", or "kiosk" (a hall's enrolled kiosk, hotline.hall.devices)
    count: int
    window: dt.timedelta


def submit_limits() -> list[Limit]:
    return [
        Limit("submit", "ip", settings.PORTAL_SUBMITS_PER_IP_HOUR, dt.timedelta(hours=1)),
        Limit("submit", "phone", settings.PORTAL_SUBMITS_PER_PHONE_DAY, dt.timedelta(days=1)),
    ]


def lookup_limit() -> Limit:
    """Tracking and rating: many wrong number/phone pairs from one address are a scan."""
    return Limit("lookup", "ip", settings.PORTAL_LOOKUPS_PER_IP_HOUR, dt.timedelta(hours=1))


#: Tracking and rating from one of a service hall's enrolled kiosks (see :data:`KIOSK_DEVICES`),
#: in place of the per-address limit the phones on the hall's Wi-Fi share with it: a citizen at
#: the kiosk looks a request up, opens the rating link and sends it (three hits), one citizen a
#: minute at most; counted per kiosk. A page that only names a kiosk (``?kiosk=``, a link that
#: can be copied) is counted per address.
KIOSK_LOOKUPS = Limit("lookup", "kiosk", 200, dt.timedelta(hours=1))

#: How the portal, which knows nothing of halls, learns that a request comes from a hall's
#: enrolled kiosk: each hook returns the key the kiosk is counted under, or ``""`` (the hall
#: app registers hotline.hall.devices.device_key at start-up).
KIOSK_DEVICES: list[Callable[[HttpRequest], str]] = []


def kiosk_device(request: HttpRequest) -> str:
    """The enrolled kiosk ``request`` comes from, as a count's key, or ``""``."""
    return next((key for hook in KIOSK_DEVICES if (key := hook(request))), "")


_KIOSK_SALT = "hotline.portal.limits.kiosk"


def client_address(request: HttpRequest) -> str:
    """The client as the limits count it: the real client behind a trusted proxy, not the proxy
    every citizen comes through; an IPv6 one by its /64
    (:func:`hotline.security.client.counted`)."""
    return security_client.counted_address(request)


def at_hall_kiosk_network(request: HttpRequest) -> bool:
    """Whether ``request`` comes from the networks the halls' machines are on
    (``HALL_KIOSK_NETWORKS``, the real client behind ``TRUSTED_PROXIES``); when none are named,
    any address does (as before the setting)."""
    networks = settings.HALL_KIOSK_NETWORKS
    address = security_client.client_address(request)  # the whole address, not as counted
    return not networks or security_client.in_networks(address, networks)


def kiosk_mark(name: str, home: str = "") -> str:
    """The ``?kiosk=`` value a hall's kiosk puts on its link to tracking: ``name`` (the hall and
    the kiosk) and ``home`` (the kiosk's own page, to go back to), signed: the portal knows
    nothing of halls. It says where to go back to, nothing more: the kiosk's allowance is the
    enrolled kiosk's (:func:`kiosk_device`)."""
    return signing.dumps([name, home], salt=_KIOSK_SALT)


def _kiosk(request: HttpRequest) -> tuple[str, str]:
    mark = request.GET.get("kiosk", "")
    if not mark or not at_hall_kiosk_network(request):
        return "", ""
    try:
        found = signing.loads(mark, salt=_KIOSK_SALT)
    except signing.BadSignature:
        return "", ""
    if not (isinstance(found, list) and len(found) == 2 and all(isinstance(v, str) for v in found)):
        return "", ""
    return found[0], found[1]


def kiosk_named(request: HttpRequest) -> str:
    """The kiosk a tracking or rating page was opened from (``?kiosk=``, see :func:`kiosk_mark`),
    or ``""``: a mark that does not verify, or a request from outside ``HALL_KIOSK_NETWORKS``
    when that is set, is no kiosk's."""
    return _kiosk(request)[0]


def kiosk_home(request: HttpRequest) -> str:
    """The page of the kiosk a tracking or rating page was opened from, or ``""``."""
    return _kiosk(request)[1]


def lookup_exceeded(request: HttpRequest) -> bool:
    """Record one tracking query or rating page and say whether its limit is exceeded: the
    kiosk's own when an enrolled kiosk asks, else the address's (a link naming a kiosk, which
    anyone can copy from a kiosk's page, opens no kiosk allowance)."""
    device = kiosk_device(request)
    if device:
        return exceeded([KIOSK_LOOKUPS], {"kiosk": device})
    return exceeded([lookup_limit()], {"ip": client_address(request)})


def exceeded(limits: list[Limit], values: dict[str, str]) -> bool:
    """Record one hit under each limit's key and say whether any limit is now exceeded."""
    now = clock.now()
    keys = [(f"{limit.name}:{limit.per}:{values[limit.per]}", limit) for limit in limits]
    with transaction.atomic():
        PortalHit.objects.filter(at__lt=now - KEEP).delete()
        PortalHit.objects.bulk_create(PortalHit(key=key, at=now) for key, _limit in keys)
    return any(
        PortalHit.objects.filter(key=key, at__gt=now - limit.window).count() > limit.count
        for key, limit in keys
    )


def hits(limit: Limit, value: str) -> int:
    """How many hits ``limit`` counts for ``value`` now, recording none (a check that must not
    itself count, e.g. the minute since the last code actually sent)."""
    return PortalHit.objects.filter(
        key=_key(limit, value), at__gt=clock.now() - limit.window
    ).count()


def _key(limit: Limit, value: str) -> str:
    return f"{limit.name}:{limit.per}:{value}"


def failed_too_often(limit: Limit, value: str) -> bool:
    """For a limit on failures only (wrong codes typed at a kiosk that many citizens share):
    whether ``value`` already failed more than the limit allows, asked before the attempt so
    that a right guess after too many wrong ones is refused too. Nothing is recorded."""
    return hits(limit, value) >= limit.count


def record_try(limit: Limit, value: str) -> PortalHit | None:
    """For a limit on failures, where tries may come at the same moment (a code typed from
    several browsers): record this try of ``value`` as a failure before it is made, then count,
    as :func:`exceeded` does. Each try then counts every one recorded before it, so at most
    ``limit.count`` are made however many come at once; checking first
    (:func:`failed_too_often`) and recording after let 20 wrong codes sent together all be
    compared on PostgreSQL (attack report, session 19).

    ``None``: ``value`` already failed too often, the try is not to be made (and counts nothing).
    Otherwise the try's row: a try that did not fail is taken back (:func:`forget_try`), so only
    failures count."""
    now = clock.now()
    hit = PortalHit.objects.create(key=_key(limit, value), at=now)
    if PortalHit.objects.filter(key=hit.key, at__gt=now - limit.window).count() > limit.count:
        hit.delete()
        return None
    return hit


def forget_try(hit: PortalHit) -> None:
    """A try :func:`record_try` recorded turned out not to be a failure: it no longer counts."""
    hit.delete()


def record_failure(limit: Limit, value: str) -> None:
    """One failure of ``value`` under ``limit`` (see :func:`failed_too_often`)."""
    PortalHit.objects.create(key=_key(limit, value), at=clock.now())


def retry_after(limit: Limit, value: str) -> dt.timedelta:
    """How long until ``value``, refused by :func:`failed_too_often`, may try again: until enough
    of its failures have left the window that fewer than the limit remain (zero if not refused)."""
    now = clock.now()
    times = list(
        PortalHit.objects.filter(key=_key(limit, value), at__gt=now - limit.window)
        .order_by("-at")
        .values_list("at", flat=True)[: limit.count]
    )
    if len(times) < limit.count:
        return dt.timedelta(0)
    # The limit-th newest failure is the one whose leaving lets the next try through.
    return max(times[-1] + limit.window - now, dt.timedelta(0))
