"""System checks of the hall's settings (``hotline check``, ``hotline check --deploy``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
def kiosk_networks_behind_a_proxy(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """``HALL_KIOSK_NETWORKS`` without ``TRUSTED_PROXIES``: behind a reverse proxy every request
    comes from the proxy's address, which is inside the halls' networks when the proxy stands
    there (or is listed to let it through), so every client on the internet passes for a hall
    machine. Right only when the application faces the halls' machines directly."""
    if not settings.HALL_KIOSK_NETWORKS or settings.TRUSTED_PROXIES:
        return []
    return [
        checks.Warning(
            "HALL_KIOSK_NETWORKS is set but TRUSTED_PROXIES is not: behind a reverse proxy every "
            "request comes from the proxy's address, so if that address is inside "
            "HALL_KIOSK_NETWORKS every client anywhere passes for a hall machine.",
            hint=(
                "Set TRUSTED_PROXIES to the reverse proxies' addresses (e.g. "
                "TRUSTED_PROXIES=127.0.0.1 for nginx on the same machine), so that the real "
                "client is read from X-Forwarded-For (docs/deploy.md). With no proxy in front "
                "(the halls' machines reach the application directly) this does not apply."
            ),
            id="hall.W001",
        )
    ]
