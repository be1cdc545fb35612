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
from dataclasses import dataclass
from typing import TYPE_CHECKING

import chinese_calendar
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from hotline.hall.models import Hall, Kiosk, Source, Window, WindowMatter, WindowState
from hotline.hall.rules import InvalidTransition
from hotline.sla.calendar import WorkingCalendar, get_calendar, library_knows
from hotline.sla.models import DayKind

if TYPE_CHECKING:
    from hotline.matters.models import Matter

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


def lunch_windows(hall: Hall) -> list[Window]:
    """The windows of ``hall`` that serve through its lunch break (午间不打烊), by number; none
    read for a hall without a lunch break."""
    if hall.lunch_starts is None:
        return []
    return list(Window.objects.filter(hall=hall, serves_lunch=True).order_by("number"))


def lunch_matters(hall: Hall) -> set[int]:
    """The ids of the matters a window serving through lunch serves: ticketed, called and booked
    during the lunch break. One query, none for a hall without a lunch break."""
    if hall.lunch_starts is None:
        return set()
    return set(
        WindowMatter.objects.filter(window__hall=hall, window__serves_lunch=True).values_list(
            "matter_id", flat=True
        )
    )


def lunch_shares(hall: Hall) -> dict[int, float]:
    """matter id → the share of the open windows serving it that go on through lunch (午间不打烊):
    how fast its queue moves during the break against the rest of the day, for the estimate
    (:func:`across_breaks`). Open windows only, as the estimate's play counts them: a window set
    to serve through lunch with nobody at it calls nobody then, and a resting window its clerk
    paused for lunch is out of the play already. Matters no open window serves at lunch are
    left out (a share of 0: the break is waited out whole). No query for a hall without a lunch
    break."""
    # getattr: the estimate's unit tests hand it a stand-in with the weekday hours alone.
    if getattr(hall, "lunch_starts", None) is None:
        return {}
    total: dict[int, int] = {}
    lunch: dict[int, int] = {}
    for matter_id, serves_lunch in WindowMatter.objects.filter(
        window__hall=hall, window__state=WindowState.OPEN
    ).values_list("matter_id", "window__serves_lunch"):
        total[matter_id] = total.get(matter_id, 0) + 1
        if serves_lunch:
            lunch[matter_id] = lunch.get(matter_id, 0) + 1
    return {matter_id: n / total[matter_id] for matter_id, n in lunch.items()}


def served_through_lunch(hall: Hall, matter_id: int) -> bool:
    """Whether a window serving through lunch serves the matter (its slots may lie in the
    break; its tickets are given then)."""
    return hall.lunch_starts is not None and matter_id in lunch_matters(hall)


def matter_hours(
    hall: Hall,
    day: dt.date,
    matter_id: int,
    calendar: WorkingCalendar | None = None,
    *,
    through: bool | None = None,
) -> Hours:
    """:func:`day_hours` for one matter: one range from the opening to the closing when a
    window serving through lunch serves it (``through``, when the caller knows it), else the
    day's ranges."""
    ranges = day_hours(hall, day, calendar)
    if len(ranges) < 2:
        return ranges
    if through is None:
        through = served_through_lunch(hall, matter_id)
    return [(ranges[0][0], ranges[-1][1])] if through else ranges


def serves_at(hall: Hall, now: dt.datetime, matter_id: int) -> bool:
    """Whether a ticket for the matter may be given at ``now``: the windows are open, or it is
    the lunch break and a window serving through lunch serves the matter."""
    if hall_open(hall, now):
        return True
    return at_lunch(hall, now) and matter_id in lunch_matters(hall)


def window_rests(window: Window, now: dt.datetime) -> bool:
    """Whether ``window`` rests at ``now``: the hall's lunch break, and the window is not one that
    serves through it. It calls nobody then (by hand or automatically)."""
    hall = window.hall
    return hall.lunch_starts is not None and not window.serves_lunch and at_lunch(hall, now)


def window_numbers(windows: list[Window]) -> str:
    """``1, 5`` (``1、5``) for the notices: the numbers in order, joined as each language lists."""
    return pgettext("list separator", ", ").join(str(w.number) for w in windows)


@dataclass(frozen=True)
class LunchService:
    """Who serves during the lunch break going on now (午间不打烊), for the pages: the windows
    serving through it, the matters they serve (ids and names, in order), whether those are every
    matter the hall's windows serve (``every``: then nothing waits for the afternoon, and the
    notice names no "other matters"), and when the others are ticketed again."""

    windows: list[Window]
    matters: frozenset[int]
    names: list[str]
    resumes: dt.datetime
    every: bool = False

    @property
    def numbers(self) -> str:
        return window_numbers(self.windows)

    @property
    def matter_list(self) -> str:
        return pgettext("list separator", ", ").join(self.names)

    @property
    def staffed(self) -> list[Window]:
        """The windows serving through lunch that someone serves at now: open, a clerk signed
        in. One set to serve through lunch with nobody at it calls nobody (as the estimate's
        :func:`lunch_shares` counts), so "my place" does not send the citizen to it."""
        return [w for w in self.windows if w.state == WindowState.OPEN and w.clerk_id is not None]


def lunch_service(hall: Hall, now: dt.datetime) -> LunchService | None:
    """:class:`LunchService` when ``now`` is in the hall's lunch break and some window serves
    through it; else None (open, closed, or every window resting)."""
    if hall.lunch_starts is None or not at_lunch(hall, now):
        return None
    windows = lunch_windows(hall)
    if not windows:
        return None
    names: dict[int, str] = {}
    every: set[int] = set()
    for matter_id, name, serves_lunch in (
        WindowMatter.objects.filter(window__hall=hall)
        .order_by("matter__queue_group", "matter__name")
        .values_list("matter_id", "matter__name", "window__serves_lunch")
    ):
        every.add(matter_id)
        if serves_lunch:
            names.setdefault(matter_id, name)
    return LunchService(
        windows=windows,
        matters=frozenset(names),
        names=list(names.values()),
        resumes=next_opening(hall, now),
        every=set(names) == every,
    )


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


def across_breaks(hall: Hall, start: dt.datetime, minutes: float, share: float = 0.0) -> float:
    """Wall-clock minutes from ``start`` until ``minutes`` of calling have passed: a wait that
    runs into the lunch break resumes after it, so the break (the rest of it, at lunch) is
    added. Only the day's breaks between its ranges: the estimate's minutes already run on
    before the opening and after the closing.

    ``share``: the part of the matter's windows that serve through lunch (:func:`lunch_shares`):
    during the break the queue moves at that pace, so a wait with every window serving through
    lunch adds nothing, and one with a third of them adds two thirds of the break it spans."""
    at = start
    left = dt.timedelta(minutes=minutes)
    share = min(max(share, 0.0), 1.0)
    for closes, reopens in _breaks(hall, timezone.localtime(start).date()):
        if at >= reopens:
            continue
        if at < closes:
            if at + left <= closes:
                break
            left -= closes - at
            at = closes
        if share > 0:
            through = (reopens - at) * share  # calling done by the lunch windows meanwhile
            if left <= through:
                at += left / share
                left = dt.timedelta(0)
                break
            left -= through
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


def refuse_ticket_when_closed(
    hall: Hall, now: dt.datetime, *, source: str, matter: Matter | None = None
) -> None:
    """Raise when no ticket may be given at ``now``: outside the windows' hours nobody would call
    it. An appointment is checked in from its early tolerance, which may begin before opening, so
    that channel is allowed from that much before the opening time (the appointment itself
    checks its own tolerance). At lunch a ticket for ``matter`` is given when a window serving
    through lunch serves it (午间不打烊); for the others the notice names when they are given
    again and which windows serve now."""
    lead = dt.timedelta(minutes=hall.checkin_early_minutes if source == Source.APPOINTMENT else 0)
    if hall_open(hall, now) or (lead and hall_open(hall, now + lead)):
        return
    if matter is not None and at_lunch(hall, now) and matter.pk in lunch_matters(hall):
        return
    raise InvalidTransition(closed_notice(hall, now, matter), field="hours")


def closed_notice(hall: Hall, now: dt.datetime, matter: Matter | None = None) -> str:
    """Why no ticket is given at ``now`` and when they are again: at lunch the afternoon's
    opening ("午休中，13:30 起恢复取号"), for ``matter`` by name, with the windows serving
    through lunch if there are any; else the next opening's day and time."""
    when = timezone.localtime(next_opening(hall, now))
    if at_lunch(hall, now):
        serving = lunch_windows(hall)
        if matter is not None and serving:
            return ngettext(
                "Lunch break: tickets for %(matter)s are given again from %(time)s. Serving "
                "through lunch: window %(windows)s, for its own matters.",
                "Lunch break: tickets for %(matter)s are given again from %(time)s. Serving "
                "through lunch: windows %(windows)s, for their own matters.",
                len(serving),
            ) % {"matter": matter.name, "time": f"{when:%H:%M}", "windows": window_numbers(serving)}
        return _("Lunch break: tickets are given again from %(time)s.") % {"time": f"{when:%H:%M}"}
    return _("The windows are closed; they open again %(when)s. No ticket is given now.") % {
        "when": f"{when:%m-%d %H:%M}"
    }
