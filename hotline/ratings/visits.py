"""What the ratings need to know about a visit (a ticket): when and where it was served."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldError
from django.db.models import Q

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
    """The numbers of the cases (办件) of this visit, once the cases app records them: those
    opened at it and those it was a visit of (a returning citizen's 补正 or pick-up: a ``visit``
    event with the ticket; walk-through, session 25, B-H1).

    Looked up by name so that ratings work before and without the cases app.
    """
    if not apps.is_installed("hotline.cases"):
        return []
    try:
        case = apps.get_model("cases", "Case")
        of_visit = Q(ticket=ticket) | Q(events__ticket=ticket, events__action="visit")
        return sorted(set(case.objects.filter(of_visit).values_list("number", flat=True)))
    except (LookupError, FieldError):
        return []


@dataclass(frozen=True)
class Slips:
    """Who of the staff printed a visit's slip (its QR code is the rating key)."""

    by_server: bool  # a clerk who served the visit printed or reprinted its slip
    after_call: list[dict[str, object]]  # staff reprints after the visit was first called
    staff: frozenset[int]  # who of the staff printed the slip or served the visit


def slips_of(ticket: Ticket) -> Slips:
    """The staff prints of ``ticket``'s slip (the issue at the reception desk, each reprint)
    against the clerks who served it (started or finished it at a window).

    A member of staff who printed the slip holds the ticket's page, the key to rate it through
    the QR code; the clerk who served the visit must not (they would rate themselves), and a
    slip printed again once the visit was at a window — the citizen had one — is worth an
    auditor's look."""
    events = list(
        TicketEvent.objects.filter(
            ticket=ticket,
            action__in=[
                TicketAction.ISSUE,
                TicketAction.REPRINT,
                TicketAction.CALL,
                TicketAction.START,
                TicketAction.FINISH,
            ],
        )
        .order_by("seq")
        .values_list("action", "actor_id", "at")
    )
    served = {a for action, a, _at in events if action in (TicketAction.START, TicketAction.FINISH)}
    printers = {
        a
        for action, a, _at in events
        if action in (TicketAction.ISSUE, TicketAction.REPRINT) and a is not None
    }
    called = next((at for action, _a, at in events if action == TicketAction.CALL), None)
    after = [
        {"by": a, "at": at.isoformat()}
        for action, a, at in events
        if action == TicketAction.REPRINT and a is not None and called is not None and at >= called
    ]
    servers = served - {None}
    return Slips(
        by_server=bool(printers & servers),
        after_call=after,
        staff=frozenset(printers | servers),
    )
