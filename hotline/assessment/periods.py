"""Assessment periods: inclusive local dates in, aware half-open ``[start, end)`` out."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from hotline.clock import start_of_day


class PeriodError(ValueError):
    """A period a person asked for that cannot be (ends before it starts, bad month)."""


def between(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """``first`` 00:00 to the midnight after ``last``, local time."""
    if last < first:
        raise PeriodError(_("The period ends before it starts."))
    return start_of_day(first), start_of_day(last + dt.timedelta(days=1))


def month_days(month: str) -> tuple[dt.date, dt.date]:
    """``"2023-03"`` → its first and last day."""
    try:
        year, number = (int(part) for part in month.split("-"))
        first = dt.date(year, number, 1)
    except ValueError as exc:
        raise PeriodError(_("Give the month as YYYY-MM.")) from exc
    following = dt.date(year + number // 12, number % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def month(month: str) -> tuple[dt.datetime, dt.datetime]:
    return between(*month_days(month))


def week_days(day: dt.date) -> tuple[dt.date, dt.date]:
    """The Monday-to-Sunday week containing ``day``."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def months_back(last: dt.date, count: int) -> list[str]:
    """The ``count`` months ending with ``last``'s month, oldest first, as ``YYYY-MM``."""
    year, number = last.year, last.month
    result = []
    for _i in range(count):
        result.append(f"{year:04d}-{number:02d}")
        year, number = (year - 1, 12) if number == 1 else (year, number - 1)
    return result[::-1]
