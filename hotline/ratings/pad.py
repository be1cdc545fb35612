"""What the window's rating pad shows: the visit the window finished last, while it is unrated.

The pad asks for it every two seconds; the clerk has no control over it (no button on the desk
opens or skips the form), so every finished service is put to the citizen.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from hotline.hall.models import Ticket, TicketAction, TicketEvent, Window


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
