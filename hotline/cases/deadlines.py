"""The promised date of a case: a pure function of its events and the working-day calendar.

The clock starts when the case is opened (the hall has the application in hand) and runs for the
matter's promised working days (``promised_days``; 0 for a 即办件: due at the end of that working
day). While a correction notice is out (补正) the clock pauses; during a special procedure
(特别程序: hearing, inspection, expert review) it stops. Either way, the working time spent there is
added to the date, so the due date moves exactly by the paused working hours on the calendar
(:mod:`hotline.sla.calendar`: holidays and 调休 included). A pause still running is counted up to
``now`` — the date the case would be due if the clock restarted at this moment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from hotline.cases.models import CaseState
from hotline.sla.calendar import WorkingCalendar, get_calendar

#: States in which the clock does not run.
PAUSED = frozenset({CaseState.CORRECTION, CaseState.SPECIAL})


@dataclass(frozen=True)
class Step:
    """What the clock needs of an event."""

    at: dt.datetime
    to_state: str
    action: str = ""


@dataclass
class Clock:
    started: dt.datetime | None = None
    spans: list[tuple[dt.datetime, dt.datetime | None, str]] = field(default_factory=list)

    @property
    def paused_since(self) -> dt.datetime | None:
        return self.spans[-1][0] if self.spans and self.spans[-1][1] is None else None


def fold(steps: Iterable[Step]) -> Clock:
    """The start and the paused spans (from, to or None while open, the paused state)."""
    clock = Clock()
    for step in steps:
        if clock.started is None:
            clock.started = step.at
        open_span = clock.paused_since is not None
        if step.to_state in PAUSED and not open_span:
            clock.spans.append((step.at, None, step.to_state))
        elif step.to_state not in PAUSED and open_span:
            begun, _end, state = clock.spans[-1]
            clock.spans[-1] = (begun, step.at, state)
    return clock


def working_seconds(calendar: WorkingCalendar, start: dt.datetime, end: dt.datetime) -> float:
    """Working time between two instants: the calendar's working hours on its working days."""
    if end <= start:
        return 0.0
    total = 0.0
    day = start.astimezone(calendar.tz).date()
    last = end.astimezone(calendar.tz).date()
    while day <= last:
        if calendar.is_workday(day):
            for opens_t, closes_t in calendar.working_hours:
                opens = dt.datetime.combine(day, opens_t, calendar.tz)
                closes = dt.datetime.combine(day, closes_t, calendar.tz)
                a, b = max(opens, start), min(closes, end)
                if b > a:
                    total += (b - a).total_seconds()
        day += dt.timedelta(days=1)
    return total


def base_due(calendar: WorkingCalendar, start: dt.datetime, days: int) -> dt.datetime:
    if days > 0:
        return calendar.add_working_days(start, days)
    begun = calendar.clamp(start)
    return dt.datetime.combine(begun.date(), calendar.working_hours[-1][1], calendar.tz)


def due_at(
    steps: Iterable[Step],
    days: int,
    *,
    now: dt.datetime | None = None,
    calendar: WorkingCalendar | None = None,
) -> dt.datetime | None:
    """The promised date after ``steps`` (None before the case is opened)."""
    calendar = calendar or get_calendar()
    clock = fold(steps)
    if clock.started is None:
        return None
    paused = sum(
        working_seconds(calendar, begun, end or now or begun) for begun, end, _s in clock.spans
    )
    due = base_due(calendar, clock.started, days)
    return calendar.add_working_hours(due, paused / 3600) if paused else due
