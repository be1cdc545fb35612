"""Booking (or today's ticket) on the portal as a citizen does it: the form, then the code
texted to the phone (hotline.hall.booking_code), read from the test notifier."""

from __future__ import annotations

import re
from typing import Any

from django.test import TestCase, override_settings


class Outbox:
    """A notifier that keeps what it was given to send."""

    sent: list[Any] = []

    def send(self, message: Any) -> None:
        self.sent.append(message)


OUTBOX = ["tests.hall.booking_by_code.Outbox"]


def ask_for_code(client, url: str, data: dict[str, Any], **extra: Any) -> tuple[Any, str]:
    """Post the booking form; returns the response and the code texted (``""`` if none). A
    code sent redirects to the page's code step: the response is that step, as a browser
    follows it (a booking made in one step, by the operator or a kiosk, is its redirect)."""
    Outbox.sent.clear()
    with override_settings(NOTIFIERS=OUTBOX), TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, data, **extra)
        if response.status_code == 302 and "step=code" in response["Location"]:
            response = client.get(response["Location"], **extra)
    codes = [
        re.search(r"(?<!\d)(\d{6})(?!\d)", m.text).group(1)
        for m in Outbox.sent
        if m.action in ("hall_booking_code", "hall_ticket_code")
    ]
    return response, codes[-1] if codes else ""


def pending_of(response) -> str:
    found = re.search(r'name="pending" value="([^"]+)"', response.content.decode())
    assert found, "no code step on the page"
    return found.group(1)


def confirm(client, url: str, response, code: str, **extra: Any):
    """Type ``code`` on the code step ``response`` showed."""
    return client.post(url, {"pending": pending_of(response), "code": code}, **extra)


def book(client, url: str, data: dict[str, Any], **extra: Any):
    """The whole booking: the form, the code from the text message, the confirm step. A form the
    page refuses (no code sent) comes back as it is."""
    asked, code = ask_for_code(client, url, data, **extra)
    if not code:
        return asked
    return confirm(client, url, asked, code, **extra)


def use_up(limit: Any, value: str) -> None:
    """``limit`` (a code limit, hotline.security.texted_code) reached for ``value`` now, as if
    that many codes had been sent or asked for."""
    from hotline.portal import limits

    for _ in range(limit.count):
        limits.record_failure(limit, value)
