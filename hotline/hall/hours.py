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
