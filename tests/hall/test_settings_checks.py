"""The hall's system checks (``hotline check``).

The operations team sets HALL_KIOSK_NETWORKS=10.20.0.0/24 so that only the halls' machines take
tickets, but runs the application behind nginx on the same machine without TRUSTED_PROXIES:
every request then comes from 127.0.0.1 — inside the networks if the proxy is listed there or
stands in them — so everyone on the internet passed for a kiosk, and nothing said so. The check
warns, with the fix in the hint."""

from __future__ import annotations

from django.core import checks
from django.test import override_settings

from hotline.env import env_networks


def _hall_messages() -> list[checks.CheckMessage]:
    return [m for m in checks.run_checks(tags=[checks.Tags.security]) if m.id.startswith("hall.")]


def test_kiosk_networks_without_trusted_proxies_warns_with_the_fix():
    with override_settings(HALL_KIOSK_NETWORKS=_networks("10.20.0.0/24"), TRUSTED_PROXIES=()):
        (message,) = _hall_messages()
    assert message.id == "hall.W001"
    assert message.level == checks.WARNING
    assert "TRUSTED_PROXIES" in message.msg and "HALL_KIOSK_NETWORKS" in message.msg
    assert "TRUSTED_PROXIES=127.0.0.1" in message.hint


def test_both_set_or_neither_is_quiet():
    with override_settings(
        HALL_KIOSK_NETWORKS=_networks("10.20.0.0/24"),
        TRUSTED_PROXIES=_networks("127.0.0.1"),
    ):
        assert _hall_messages() == []
    with override_settings(HALL_KIOSK_NETWORKS=(), TRUSTED_PROXIES=()):
        assert _hall_messages() == []


def _networks(text: str):
    return env_networks("X", "", environ={"X": text})
