"""Assessment periods: inclusive local dates in, aware half-open ``[start, end)`` out.

Every day a person or a client types — the dashboard, the report, hotspots, drill-down, the
sampling draw, the API's ``registered_from``/``registered_to``, Open311's ``start_date`` and
``end_date`` — is read here (:func:`parse_day`, :func:`check_day`) and must lie within
:data:`EARLIEST` … :data:`LATEST`: year 1 or 9999 would overflow the time-zone arithmetic (a 500)
and means nothing to a hotline.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hotline.clock import start_of_day


class PeriodError(ValueError):
    """A period a person asked for that cannot be (ends before it starts, bad month)."""


#: The days anyone may ask about.
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)


def out_of_range_message() -> str:
    return _("Give a date between %(earliest)s and %(latest)s.") % {
        "earliest": EARLIEST.isoformat(),
        "latest": LATEST.isoformat(),
    }


def in_range(day: dt.date) -> bool:
    """Whether ``day`` lies in the sane range of every date a person types."""
    return EARLIEST <= day <= LATEST


def check_day(day: dt.date) -> dt.date:
    """``day`` itself, or :class:`PeriodError` when it lies outside the sane range."""
    if not in_range(day):
        raise PeriodError(out_of_range_message())
    return day


def validate_day(day: dt.date | None) -> None:
    """The form validator for a date field (Django's ``validators=[…]``)."""
    if day is not None:
        try:
            check_day(day)
        except PeriodError as exc:
            raise ValidationError(str(exc)) from None


def parse_day(text: str) -> dt.date:
    """A ``YYYY-MM-DD`` day within the sane range, or :class:`PeriodError`."""
    try:
        day = dt.date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise PeriodError(_("Give the date as YYYY-MM-DD.")) from None
    return check_day(day)


def between(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """``first`` 00:00 to the midnight after ``last``, local time."""
    check_day(first)
    check_day(last)
    if last < first:
        raise PeriodError(_("The period ends before it starts."))
    return start_of_day(first), start_of_day(last + dt.timedelta(days=1))


def month_days(month: str) -> tuple[dt.date, dt.date]:
    """``"2023-03"`` → its first and last day."""
    try:
        year, number = (int(part) for part in month.split("-"))
        first = dt.date(year, number, 1)
    except (ValueError, OverflowError) as exc:  # a year of 20 digits overflows: no 500
        raise PeriodError(_("Give the month as YYYY-MM.")) from exc
    check_day(first)
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
