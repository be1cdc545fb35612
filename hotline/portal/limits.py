"""Abuse limits without a captcha: so many submissions per client address and per phone number,
so many tracking queries and ratings per address, in a sliding window.

The hit is recorded first and then counted, so two processes racing at the limit may both be
refused but never both let through past it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
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
    per: str  # "ip", "phone", or "kiosk" (a hall's registered kiosk at its address)
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


def client_address(request: HttpRequest) -> str:
    # The real client behind a trusted proxy, not the proxy every citizen comes through.
    return security_client.client_address(request)


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


def _key(limit: Limit, value: str) -> str:
    return f"{limit.name}:{limit.per}:{value}"


def failed_too_often(limit: Limit, value: str) -> bool:
    """For a limit on failures only (wrong codes typed at a kiosk that many citizens share):
    whether ``value`` already failed more than the limit allows, asked before the attempt so
    that a right guess after too many wrong ones is refused too. Nothing is recorded."""
    since = clock.now() - limit.window
    return PortalHit.objects.filter(key=_key(limit, value), at__gt=since).count() >= limit.count


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
