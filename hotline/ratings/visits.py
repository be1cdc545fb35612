"""What the ratings need to know about a visit (a ticket): when and where it was served."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldError

from hotline.hall.models import Ticket, TicketAction, TicketEvent, TicketState, Window
from hotline.org.models import User


@dataclass(frozen=True)
class Service:
    """The finished service of one ticket (its last ``finish`` event)."""

    at: dt.datetime
    window: Window | None
    clerk: User | None


def service_of(ticket: Ticket) -> Service | None:
    """``None`` unless the ticket was served to the end (a no-show has nothing to rate)."""
    if ticket.state != TicketState.DONE:
        return None
    event = (
        TicketEvent.objects.filter(ticket=ticket, action=TicketAction.FINISH)
        .select_related("window", "actor")
        .order_by("-seq")
        .first()
    )
    if event is None:
        return None
    return Service(event.at, event.window, event.actor)


def case_numbers(ticket: Ticket) -> list[str]:
    """The numbers of the cases (办件) opened at this visit, once the cases app records them.

    Looked up by name so that ratings work before and without the cases app.
    """
    if not apps.is_installed("hotline.cases"):
        return []
    try:
        case = apps.get_model("cases", "Case")
        return sorted(case.objects.filter(ticket=ticket).values_list("number", flat=True))
    except (LookupError, FieldError):
        return []
