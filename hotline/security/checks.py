"""System checks of the security settings (``hotline check``, ``hotline check --deploy``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def public_url_set(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """``PUBLIC_URL`` unset in production mode: the links texted to citizens and the tickets' QR
    codes are built on the request's ``Host`` header (:mod:`hotline.security.public_url`)."""
    if settings.DEBUG or settings.PUBLIC_URL:
        return []
    return [
        checks.Warning(
            "PUBLIC_URL is not set: the links texted to citizens (rating links, pre-review "
            "links) and the tickets' QR codes are built from the Host header of the request "
            "that makes them, so any name in ALLOWED_HOSTS other than the public one (or a "
            "forged header a proxy passes on) sends citizens to that host.",
            hint="Set PUBLIC_URL to the site's public address, e.g. "
            "PUBLIC_URL=https://12345.example.gov.cn (docs/deploy.md).",
            # Not "security.": Django's own deployment checks are numbered there.
            id="hotline.W001",
        )
    ]
