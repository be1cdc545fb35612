"""The login lockout's second tier: one address failing across many usernames.

django-axes locks a (username, address) pair after ``LOGIN_FAILURE_LIMIT`` wrong passwords, so a
guesser cannot lock a colleague out from another desk. Alone, that let one address try four
passwords on every account in turn, forever (password spraying; security review, session 18).
The handler below also refuses an address whose failed logins across all usernames reach
``LOGIN_FAILURES_PER_ADDRESS`` within the lockout time: far above what an office behind one
address mistypes (a success clears that person's count), far below a spray over the district's
accounts.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum, Value
from django.db.models.functions import Least
from django.http import HttpRequest

from hotline import clock


def address_failures(address: str | None) -> int:
    """Wrong passwords from ``address`` (as :func:`hotline.security.client.lockout_address`
    gives it) within the lockout time, not yet cleared by a success, each username's counted up
    to its own limit: one person locked out and pressing "log in" again and again is one locked
    username, not a spray (review, session 18)."""
    if not address:
        return 0
    total = AccessAttempt.objects.filter(
        ip_address=address, attempt_time__gte=clock.now() - settings.AXES_COOLOFF_TIME
    ).aggregate(n=Sum(Least("failures_since_start", Value(settings.AXES_FAILURE_LIMIT))))["n"]
    return int(total or 0)


def address_locked(address: str | None) -> bool:
    return address_failures(address) >= settings.LOGIN_FAILURES_PER_ADDRESS


class Handler(AxesDatabaseHandler):
    """Axes' database handler, with the address-wide tier."""

    def is_locked(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return address_locked(getattr(request, "axes_ip_address", None))

    def user_login_failed(
        self,
        sender: Any,
        credentials: dict[str, Any],
        request: HttpRequest | None = None,
        **kwargs: Any,
    ) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        # Axes marks a request locked out (its middleware then answers with the lockout page)
        # only when the username's own count reaches its limit; mark it for the address's too.
        if request is not None and address_locked(getattr(request, "axes_ip_address", None)):
            request.axes_locked_out = True  # type: ignore[attr-defined]
            request.axes_credentials = credentials  # type: ignore[attr-defined]
