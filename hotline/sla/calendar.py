"""China's working-day calendar: statutory holidays and 调休 make-up working days.

Three sources, strongest first:

1. days an admin entered (:class:`~hotline.sla.models.CalendarDay`) — any year, including years the
   library does not know yet;
2. the ``chinese-calendar`` package, which knows the years the State Council has published;
3. the weekly pattern (Monday–Friday), for a year nobody has entered: deadlines stay computable and
   the worker warns admins (:func:`warn_if_next_year_unknown`) so they enter the year in time.

Deadlines are counted in the hotline's time zone within configurable working hours
(``WORKING_HOURS``, e.g. ``09:00-12:00,13:00-17:30``).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import chinese_calendar
from django.conf import settings
from django.utils.translation import gettext as _

from hotline.sla.models import Basis, CalendarDay, CalendarYear, DayKind

log = logging.getLogger("hotline.calendar")

Interval = tuple[dt.time, dt.time]

_MAX_SCAN_DAYS = 3660  # ten years of consecutive holidays would be a data error, not a calendar


def library_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@dataclass
class WorkingCalendar:
    """An immutable snapshot of the calendar. Build one with :func:`get_calendar`."""

    overrides: dict[dt.date, str] = field(default_factory=dict)
    entered_years: frozenset[int] = frozenset()
    working_hours: tuple[Interval, ...] = ((dt.time(9), dt.time(17)),)
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo(settings.TIME_ZONE))
    _memo: dict[dt.date, bool] = field(default_factory=dict, repr=False, compare=False)

    # --- days -------------------------------------------------------------------------------

    def is_workday(self, day: dt.date) -> bool:
        # Deadlines ask about the same few weeks again and again; chinese-calendar scans its
        # holiday table on every call, so each snapshot remembers its answers.
        known = self._memo.get(day)
        if known is None:
            known = self._memo[day] = self._is_workday(day)
        return known

    def _is_workday(self, day: dt.date) -> bool:
        kind = self.overrides.get(day)
        if kind is not None:
            return kind == DayKind.WORKDAY
        if library_knows(day.year):
            return bool(chinese_calendar.is_workday(day))
        return day.weekday() < 5

    def year_known(self, year: int) -> bool:
        return year in self.entered_years or library_knows(year)

    def next_workday(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        for _i in range(_MAX_SCAN_DAYS):
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                return day
        raise ValueError(f"no working day within ten years after {day}")

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in the half-open range (start, end]."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_workday(day)
        return count

    # --- instants ---------------------------------------------------------------------------

    def _opening(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, self.working_hours[0][0], self.tz)

    def _closing(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, self.working_hours[-1][1], self.tz)

    def clamp(self, moment: dt.datetime) -> dt.datetime:
        """The moment itself if it falls within working hours, else the next opening."""
        local = moment.astimezone(self.tz)
        day = local.date()
        if self.is_workday(day):
            for start, end in self.working_hours:
                opens = dt.datetime.combine(day, start, self.tz)
                closes = dt.datetime.combine(day, end, self.tz)
                if local < opens:
                    return opens
                if local < closes:
                    return local
        return self._opening(self.next_workday(day))

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """Same time of day, ``days`` working days later, counted from the first working moment.

        A request registered on Friday 10:00 with one working day is due Monday 10:00; one
        registered Saturday is counted from Monday's opening, so due Tuesday at opening.
        """
        begin = self.clamp(start)
        day = begin.date()
        for _i in range(days):
            day = self.next_workday(day)
        return dt.datetime.combine(day, begin.timetz().replace(tzinfo=None), self.tz)

    def add_working_hours(self, start: dt.datetime, hours: float) -> dt.datetime:
        remaining = dt.timedelta(hours=hours)
        moment = self.clamp(start)
        for _i in range(_MAX_SCAN_DAYS * len(self.working_hours)):
            day = moment.date()
            for opens_t, closes_t in self.working_hours:
                closes = dt.datetime.combine(day, closes_t, self.tz)
                opens = dt.datetime.combine(day, opens_t, self.tz)
                if moment >= closes:
                    continue
                moment = max(moment, opens)
                available = closes - moment
                if remaining <= available:
                    return moment + remaining
                remaining -= available
                moment = closes
            moment = self._opening(self.next_workday(day))
        raise ValueError("working hours overflow")

    def add(self, start: dt.datetime, amount: int, basis: str) -> dt.datetime:
        if basis == Basis.WORKING_DAYS:
            return self.add_working_days(start, amount)
        if basis == Basis.WORKING_HOURS:
            return self.add_working_hours(start, amount)
        if basis == Basis.HOURS:
            return start + dt.timedelta(hours=amount)
        raise ValueError(f"unknown deadline basis {basis!r}")


# --- a cached snapshot per process ---------------------------------------------------------

_CACHE_SECONDS = 60.0
_lock = threading.Lock()
_cached: tuple[float, WorkingCalendar] | None = None


def load_calendar() -> WorkingCalendar:
    return WorkingCalendar(
        overrides=dict(CalendarDay.objects.values_list("date", "kind")),
        entered_years=frozenset(
            CalendarYear.objects.filter(complete=True).values_list("year", flat=True)
        ),
        working_hours=settings.WORKING_HOURS,
    )


def get_calendar() -> WorkingCalendar:
    """The calendar, reloaded from the database at most once a minute per process."""
    global _cached
    with _lock:
        if _cached is None or time.monotonic() - _cached[0] > _CACHE_SECONDS:
            _cached = (time.monotonic(), load_calendar())
        return _cached[1]


def invalidate() -> None:
    global _cached
    with _lock:
        _cached = None


# --- warnings for admins -------------------------------------------------------------------

WARN_FROM_MONTH = 10  # the State Council publishes next year's holidays in Q4


def unknown_years(today: dt.date, calendar: WorkingCalendar | None = None) -> list[int]:
    """This year, and next year from October on, if neither the library nor an admin knows it."""
    calendar = calendar or get_calendar()
    years = [today.year] + ([today.year + 1] if today.month >= WARN_FROM_MONTH else [])
    return [y for y in years if not calendar.year_known(y)]


def calendar_warnings(today: dt.date) -> list[str]:
    return [
        _(
            "The holidays and make-up working days of %(year)s are not known yet: deadlines in "
            "%(year)s count Monday to Friday only. Enter them under Deadlines › Calendar days."
        )
        % {"year": year}
        for year in unknown_years(today)
    ]


_last_warned: dt.date | None = None


def warn_if_next_year_unknown(now: dt.datetime) -> int:
    """Worker step: log a warning once a day while a needed year is unknown."""
    global _last_warned
    today = now.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    years = unknown_years(today)
    if not years or _last_warned == today:
        return 0
    _last_warned = today
    for year in years:
        log.warning("calendar: holidays of %s unknown; counting Monday-Friday only", year)
    return len(years)
