"""When a hall's windows and its self-service kiosks are open.

The windows open on working days (the same calendar as the hotline's deadlines) between the
hall's opening and closing time; a kiosk keeps its own hours, usually round the clock.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from hotline.hall.models import Hall, Kiosk
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
