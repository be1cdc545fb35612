"""The window's rating pad: which browser it is, and what it shows (the visit the window
finished last, while it is unrated).

The pad is an enrolled device, like the hall's kiosks (:mod:`hotline.hall.devices`): the hall's
manager enrols the tablet at the window, on the tablet itself, and only that browser is shown the
window's services and may rate them. A link cannot be passed on, the clerk's phone or login does
not make a pad, and a revoked pad stops at once. The pad asks for the window's last service every
two seconds; the clerk has no control over it (no button on the desk opens or skips the form), so
every finished service is put to the citizen.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest

from hotline.hall import devices
from hotline.hall.models import Ticket, TicketAction, TicketEvent, Window
from hotline.ratings.models import Pad

#: The rating pads' device kind: their own cookie, beside the kiosks'.
PAD: devices.DeviceKind[Pad] = devices.DeviceKind(
    cookie="hotline_rating_pad",
    salt="hotline.ratings.pad.device",
    devices=lambda: Pad.objects.select_related("window__hall__unit"),
)


def enrolled_pad(request: HttpRequest) -> Pad | None:
    """The rating pad this browser was enrolled as, still enrolled (and, with
    ``HALL_KIOSK_NETWORKS`` set, on the halls' networks), or ``None``."""
    return PAD.enrolled(request)


def pending(window: Window, now: dt.datetime) -> Ticket | None:
    """The ticket this window finished last, if that was within ``RATING_PAD_MINUTES`` and it
    has not been rated (through any channel)."""
    since = now - dt.timedelta(minutes=settings.RATING_PAD_MINUTES)
    last = (
        TicketEvent.objects.filter(window=window, action=TicketAction.FINISH, at__gte=since)
        .order_by("-at", "-pk")
        .values_list("ticket_id", flat=True)
        .first()
    )
    if last is None:
        return None
    return (
        Ticket.objects.select_related("matter", "hall__unit")
        .filter(pk=last, rating__isnull=True)
        .first()
    )
