"""When a hall's windows and its self-service kiosks are open.

The windows open on working days (the same calendar as the hotline's deadlines) between the
hall's opening and closing time, less its lunch break (午休) if it has one, and on ordinary
Saturdays within the hall's Saturday hours if it serves then (周六延时服务). :func:`day_hours` is
the one place that says so; everything else (open now, the next opening, the day's closing, the
booking slots, the estimate) reads it. A kiosk keeps its own hours, usually round the clock.
"""

from __future__ import annotations

import datetime as dt
import itertools

import chinese_calendar
from django.utils import timezone
from django.utils.translation import gettext as _

from hotline.hall.models import Hall, Kiosk, Source
from hotline.hall.rules import InvalidTransition
from hotline.sla.calendar import WorkingCalendar, get_calendar, library_knows
from hotline.sla.models import DayKind

Hours = list[tuple[dt.time, dt.time]]


def _ordinary_saturday(calendar: WorkingCalendar, day: dt.date) -> bool:
    """A Saturday that is a plain weekend day: not a make-up working day (调休, which has the
    weekday hours) and not inside a statutory holiday (国庆, 春节: the hall stays closed)."""
    if day.weekday() != 5 or calendar.is_workday(day):
        return False
    if day in calendar.overrides:
        return calendar.overrides[day] != DayKind.HOLIDAY
    if library_knows(day.year):
        return chinese_calendar.get_holiday_detail(day)[1] is None
    return True


def day_hours(hall: Hall, day: dt.date, calendar: WorkingCalendar | None = None) -> Hours:
    """The ranges ``(opens, closes)`` the windows are open on ``day``, in order; empty when closed.

    A working day has the hall's hours, split by its lunch break; an ordinary Saturday has the
    Saturday hours if the hall serves then (one range, as the hall enters it)."""
    calendar = calendar or get_calendar()
    if calendar.is_workday(day):
        if hall.lunch_starts is not None and hall.lunch_ends is not None:
            return [(hall.opens_at, hall.lunch_starts), (hall.lunch_ends, hall.closes_at)]
        return [(hall.opens_at, hall.closes_at)]
    if (
        hall.saturday_opens_at is not None
        and hall.saturday_closes_at is not None
        and _ordinary_saturday(calendar, day)
    ):
        return [(hall.saturday_opens_at, hall.saturday_closes_at)]
    return []


def profile_hours(hall: Hall, day: dt.date) -> Hours:
    """The ranges the estimate's hourly profile reads for ``day``: :func:`day_hours`, or the
    weekday hours on a day the windows do not open (a ticket given then all the same). A hall
    with one range a day and no Saturday hours reads no calendar (as the estimate always did)."""
    # getattr: the estimate's unit tests hand it a stand-in with the weekday hours alone.
    if (
        getattr(hall, "lunch_starts", None) is None
        and getattr(hall, "saturday_opens_at", None) is None
    ):
        return [(hall.opens_at, hall.closes_at)]
    return day_hours(hall, day) or [(hall.opens_at, hall.closes_at)]


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def open_ranges(hall: Hall, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """:func:`day_hours` as aware instants."""
    return [(_at(day, opens), _at(day, closes)) for opens, closes in day_hours(hall, day)]


def hall_open(hall: Hall, now: dt.datetime) -> bool:
    local = timezone.localtime(now)
    at = local.time()
    return any(opens <= at < closes for opens, closes in day_hours(hall, local.date()))


def at_lunch(hall: Hall, now: dt.datetime) -> bool:
    """Between two of today's ranges: the windows open again later today (午休中)."""
    local = timezone.localtime(now)
    ranges = day_hours(hall, local.date())
    at = local.time()
    return any(closes <= at < reopens for (_o, closes), (reopens, _c) in itertools.pairwise(ranges))


def open_until(hall: Hall, now: dt.datetime) -> dt.datetime | None:
    """When the range open at ``now`` closes (the lunch break's start in the morning); None
    when the windows are closed."""
    local = timezone.localtime(now)
    for opens, closes in day_hours(hall, local.date()):
        if opens <= local.time() < closes:
            return _at(local.date(), closes)
    return None


def _breaks(hall: Hall, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """The gaps between ``day``'s ranges (the lunch break), as aware instants."""
    if hall.lunch_starts is None:
        return []  # one range a day: nothing to read (the estimate asks on every ticket)
    ranges = open_ranges(hall, day)
    return [(closes, reopens) for (_o, closes), (reopens, _c) in itertools.pairwise(ranges)]


def break_minutes(hall: Hall, start: dt.datetime, end: dt.datetime) -> float:
    """Minutes of ``start``'s day's breaks between its ranges (the lunch break) that fall
    between ``start`` and ``end``; before the opening and after the closing count as open, as
    the estimate always read them (the windows call the last tickets after closing)."""
    total = 0.0
    for closes, reopens in _breaks(hall, timezone.localtime(start).date()):
        overlap = min(reopens, end) - max(closes, start)
        if overlap > dt.timedelta(0):
            total += overlap.total_seconds() / 60
    return total


def across_breaks(hall: Hall, start: dt.datetime, minutes: float) -> float:
    """Wall-clock minutes from ``start`` until ``minutes`` of calling have passed: a wait that
    runs into the lunch break resumes after it, so the break (the rest of it, at lunch) is
    added. Only the day's breaks between its ranges: the estimate's minutes already run on
    before the opening and after the closing."""
    at = start
    left = dt.timedelta(minutes=minutes)
    for closes, reopens in _breaks(hall, timezone.localtime(start).date()):
        if at >= reopens:
            continue
        if at < closes:
            if at + left <= closes:
                break
            left -= closes - at
        at = reopens
    return (at + left - start).total_seconds() / 60


def kiosk_open(kiosk: Kiosk, now: dt.datetime) -> bool:
    if not kiosk.active:
        return False
    if kiosk.round_the_clock:
        return True
    return kiosk.opens_at <= timezone.localtime(now).time() < kiosk.closes_at


#: How long after closing the hall's day ends: the windows still call the tickets given before
#: closing (nobody is sent away at the closing minute), so ending them then would take a citizen
#: away from the clerk serving them.
DAY_END_GRACE = dt.timedelta(hours=1)


def closing_of(hall: Hall, day: dt.date) -> dt.datetime:
    """When the windows close on ``day`` (the last range's end; the weekday closing on a day
    they do not open, for a ticket given on it all the same, e.g. checked in early)."""
    if day.weekday() != 5 or hall.saturday_closes_at is None:
        # Any other day closes at the weekday closing (a lunch break ends no day), open or
        # not: no calendar read, the day's-end pass reads none per window (one query a pass).
        return _at(day, hall.closes_at)
    ranges = day_hours(hall, day)
    return _at(day, ranges[-1][1] if ranges else hall.closes_at)


def day_ends_at(hall: Hall, day: dt.date) -> dt.datetime:
    """When the tickets of ``day`` that are still open end (the hall's day's end)."""
    return closing_of(hall, day) + DAY_END_GRACE


def last_day_ended(hall: Hall, now: dt.datetime) -> dt.date:
    """The latest day whose day's end has passed at ``now``: today once it is past closing
    (plus the grace), else yesterday if its end has passed — a hall closing after 23:00 ends
    yesterday only after midnight — else the day before."""
    day = timezone.localtime(now).date()
    while now < day_ends_at(hall, day):
        day -= dt.timedelta(days=1)
    return day


def next_opening(hall: Hall, now: dt.datetime) -> dt.datetime:
    """When the windows open next, for the closed notices: later today (after the lunch break,
    or before the morning's opening), else the next day they open (a Saturday the hall serves,
    or the next working day)."""
    local = timezone.localtime(now)
    calendar = get_calendar()
    day = local.date()
    for opens, _closes in day_hours(hall, day, calendar):
        if local.time() < opens:
            return _at(day, opens)
    for _i in range(3660):
        day += dt.timedelta(days=1)
        ranges = day_hours(hall, day, calendar)
        if ranges:
            return _at(day, ranges[0][0])
    raise ValueError(f"{hall} opens on no day within ten years after {local.date()}")


def refuse_ticket_when_closed(hall: Hall, now: dt.datetime, *, source: str) -> None:
    """Raise when no ticket may be given at ``now``: outside the windows' hours nobody would call
    it. An appointment is checked in from its early tolerance, which may begin before opening, so
    that channel is allowed from that much before the opening time (the appointment itself
    checks its own tolerance)."""
    lead = dt.timedelta(minutes=hall.checkin_early_minutes if source == Source.APPOINTMENT else 0)
    if hall_open(hall, now) or (lead and hall_open(hall, now + lead)):
        return
    raise InvalidTransition(closed_notice(hall, now), field="hours")


def closed_notice(hall: Hall, now: dt.datetime) -> str:
    """Why no ticket is given at ``now`` and when they are again: at lunch the afternoon's
    opening ("午休中，13:30 起恢复取号"), else the next opening's day and time."""
    when = timezone.localtime(next_opening(hall, now))
    if at_lunch(hall, now):
        return _("Lunch break: tickets are given again from %(time)s.") % {"time": f"{when:%H:%M}"}
    return _("The windows are closed; they open again %(when)s. No ticket is given now.") % {
        "when": f"{when:%m-%d %H:%M}"
    }
