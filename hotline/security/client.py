"""The client's address: the one place that decides who sent a request.

Behind the reverse proxy of docs/deploy.md every request comes from the proxy (``REMOTE_ADDR``),
and the real client is in the ``X-Forwarded-For`` header the proxy adds. That header is plain
text a client can also send itself, so it is believed only when the request comes from a proxy
listed in ``TRUSTED_PROXIES`` (empty by default: nobody, ``REMOTE_ADDR`` is the client). Reading
the list from the right, every hop a trusted proxy added is skipped; the first address that is
not a trusted proxy is the client (anything left of it the client may have written).

Portal limits, the login lockout (django-axes), the access log and the phone-view record all ask
:func:`client_address`, so one client can never use up another's limits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from ipaddress import IPv4Address, IPv6Address, IPv6Network, ip_address
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from hotline.env import IPNetwork

UNKNOWN = "unknown"


def _parse(text: str) -> IPv4Address | IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 203.0.113.7:51234
        text = text.split(":", 1)[0]
    try:
        return ip_address(text)
    except ValueError:
        return None


def _trusted(address: IPv4Address | IPv6Address, proxies: Iterable[IPNetwork]) -> bool:
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address.version == net.version and address in net for net in proxies)


def in_networks(address: str, networks: Iterable[IPNetwork]) -> bool:
    """Whether ``address`` (as :func:`client_address` gives it) lies in one of ``networks``;
    ``"unknown"`` lies in none."""
    parsed = _parse(address)
    return parsed is not None and _trusted(parsed, networks)


def address_from(meta: Mapping[str, Any], proxies: Iterable[IPNetwork] | None = None) -> str:
    """The client address from WSGI/``request.META`` style keys (``REMOTE_ADDR``,
    ``HTTP_X_FORWARDED_FOR``, ``HTTP_X_REAL_IP``)."""
    proxies = tuple(settings.TRUSTED_PROXIES if proxies is None else proxies)
    peer = _parse(str(meta.get("REMOTE_ADDR") or ""))
    if peer is None:
        return UNKNOWN
    if not proxies or not _trusted(peer, proxies):
        return str(peer)
    forwarded = str(meta.get("HTTP_X_FORWARDED_FOR") or "")
    hops = [hop for hop in forwarded.split(",") if hop.strip()]
    if not hops and meta.get("HTTP_X_REAL_IP"):
        hops = [str(meta["HTTP_X_REAL_IP"])]
    client = peer
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            # Garbage in the chain: nothing left of it can be believed; the last trusted hop
            # is the best we know.
            break
        client = address
        if not _trusted(address, proxies):
            break
    return str(client)


def client_address(request: HttpRequest) -> str:
    """The address of the client that sent ``request`` (``"unknown"`` when there is none)."""
    return address_from(request.META)


#: An IPv6 client is counted by the network its provider hands one subscriber: a /64 (RFC
#: 6177's smallest; a home line or a phone gets one, and picks any of its 2^64 addresses freely).
IPV6_COUNTED_PREFIX = 64


def counted(address: str) -> str:
    """``address`` as abuse limits count it: an IPv6 client by its /64, as the first address of
    that network (still a valid address, so it fits an IP column); an IPv4 one, an IPv4-mapped
    IPv6 one (as IPv4) and ``"unknown"`` as they are. Counted by the whole address, one client
    with a /64 would have a fresh allowance at every address of it (security review, session
    18). The access log and the phone-view record keep the whole address
    (:func:`client_address`); the lockout's attempt rows hold the counted one."""
    parsed = _parse(address)
    if not isinstance(parsed, IPv6Address):
        return address
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    network = IPv6Network((int(parsed), IPV6_COUNTED_PREFIX), strict=False)
    return str(network.network_address)


def ipv6_network(address: str, prefix: int) -> str:
    """The IPv6 network of ``prefix`` bits that ``address`` (whole or as :func:`counted`) is in,
    written ``2001:db8:aa::/48``; ``""`` for anything else (IPv4, IPv4-mapped IPv6, a caller's
    own name for a sender). For limits wider than one subscriber's /64: a home line is handed a
    /56 or /60, a business or a 6to4 address a /48, every /64 of it a fresh allowance."""
    parsed = _parse(address)
    if not isinstance(parsed, IPv6Address) or parsed.ipv4_mapped is not None:
        return ""
    return str(IPv6Network((int(parsed), prefix), strict=False))


def counted_address(request: HttpRequest) -> str:
    """The client of ``request`` as abuse limits count it (:func:`counted`)."""
    return counted(client_address(request))


def lockout_address(request: HttpRequest) -> str | None:
    """For django-axes, which stores the address in an IP column: the client as counted
    (:func:`counted`), ``None`` when there is none (a login without a web request, e.g. the test
    client's ``force_login``)."""
    address = counted_address(request)
    return None if address == UNKNOWN else address
