"""The hall's pass in the worker loop (hotline.sla.worker) and ``hotline hall sweep``.

For every hall: called tickets past the no-show timeout become no-shows, bookings past their
check-in tolerance are marked missed, the tickets still open when the hall's day ended (an hour
after closing) end and the windows still open then close, and the manager's alerts are raised,
escalated or cleared (with their notifications). Without it an alert was raised only while
someone had the manager's live board open, so the SMS meant for a manager away from the board
never went out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from hotline.hall import alerts, sms
from hotline.hall.actions import appointments, tickets, windows
from hotline.hall.models import Hall


@dataclass(frozen=True)
class Swept:
    hall: str
    no_shows: int
    missed_bookings: int
    alerts: int
    ended: int = 0
    windows_closed: int = 0


def sweep_hall(hall: Hall, now: dt.datetime) -> Swept:
    shows = windows.sweep_no_shows(hall, now=now)
    missed = appointments.mark_no_shows(hall, now=now)
    # After the no-shows: a called ticket past its timeout is a no-show, not ended.
    ended = tickets.end_days(hall, now=now)
    sms.forget_numbers(hall, now=now)  # the numbers never texted, of days past
    closed = windows.close_at_day_end(hall, now=now)
    live = alerts.evaluate(hall, now=now)
    return Swept(hall.code, shows, missed, len(live), ended, closed)


def sweep_all(now: dt.datetime) -> list[Swept]:
    return [sweep_hall(hall, now) for hall in Hall.objects.select_related("unit")]


def step(now: dt.datetime) -> int:
    """The worker step: the no-shows, missed bookings, tickets ended and windows closed at the
    day's end (live alerts are not work done)."""
    return sum(s.no_shows + s.missed_bookings + s.ended + s.windows_closed for s in sweep_all(now))


STEPS: list[tuple[str, Callable[[dt.datetime], int]]] = [("hall_sweep", step)]
