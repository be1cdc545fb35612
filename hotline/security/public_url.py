"""Addresses that leave the site (links in SMS texts, QR codes on printed tickets) are built on
the configured public address, ``PUBLIC_URL``, not on the request's ``Host`` header.

``request.build_absolute_uri`` takes the host from the request: safe only while ``ALLOWED_HOSTS``
lists the public name alone. With another name in it (an internal one, an address), whoever
reaches the server under that name — or forges the header past a proxy that passes it on — gets
citizens texted a link to that host (a pre-review's private link, a rating link) and a ticket's QR
code pointing there. Unset (development, a test), the request's host is used, and ``hotline
check --deploy`` warns in production mode (:mod:`hotline.security.checks`).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def absolute(request: HttpRequest, path: str) -> str:
    """``path`` (from ``reverse``, with its leading ``/``) as a whole address for a citizen: on
    ``PUBLIC_URL`` when it is set, else on the request's scheme and host."""
    base = settings.PUBLIC_URL
    if base:
        return base + path
    return request.build_absolute_uri(path)
