"""When a hall's windows and its self-service kiosks are open.

The windows open on working days (the same calendar as the hotline's deadlines) between the
hall's opening and closing time; a kiosk keeps its own hours, usually round the clock.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from hotline.hall.models import Hall, Kiosk, Source
from hotline.hall.rules import InvalidTransition
from hotline.sla.calendar import get_calendar


def hall_open(hall: Hall, now: dt.datetime) -> bool:
    local = timezone.localtime(now)
    if not get_calendar().is_workday(local.date()):
        return False
    return hall.opens_at <= local.time() < hall.closes_at


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
    """When the windows close on ``day``."""
    return timezone.make_aware(dt.datetime.combine(day, hall.closes_at))


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
    """When the windows open next (today later, or the next working day), for the kiosk's notice."""
    local = timezone.localtime(now)
    calendar = get_calendar()
    day = local.date()
    if not (calendar.is_workday(day) and local.time() < hall.opens_at):
        day = calendar.next_workday(day)
    return timezone.make_aware(dt.datetime.combine(day, hall.opens_at))


def refuse_ticket_when_closed(hall: Hall, now: dt.datetime, *, source: str) -> None:
    """Raise when no ticket may be given at ``now``: outside the windows' hours nobody would call
    it. An appointment is checked in from its early tolerance, which may begin before opening, so
    that channel is allowed from that much before the opening time (the appointment itself
    checks its own tolerance)."""
    lead = dt.timedelta(minutes=hall.checkin_early_minutes if source == Source.APPOINTMENT else 0)
    if hall_open(hall, now) or (lead and hall_open(hall, now + lead)):
        return
    raise InvalidTransition(
        _("The windows are closed; they open again %(when)s. No ticket is given now.")
        % {"when": f"{timezone.localtime(next_opening(hall, now)):%m-%d %H:%M}"},
        field="hours",
    )
