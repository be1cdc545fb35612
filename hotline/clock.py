"""The one place domain code asks what time it is.

Domain code never calls ``datetime.now()``: it calls :func:`now`, which returns an aware UTC
datetime. Tests freeze time with ``time_machine`` and everything downstream (deadlines, overdue
checks, KPIs) follows.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()


def local_now() -> dt.datetime:
    """The current time in the hotline's own time zone (``TIME_ZONE``)."""
    return timezone.localtime(now())


def today() -> dt.date:
    return local_now().date()


def start_of_day(day: dt.date) -> dt.datetime:
    """Local midnight at the start of ``day``, aware (``TIME_ZONE``)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
