"""The step shared by every ticket action: check the rule, conditional update, append the event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hotline.hall.models import Ticket, TicketEvent
from hotline.hall.rules import Conflict, check
from hotline.org.models import User


def stale() -> str:
    return _("This ticket was changed at another window. Reload and try again.")


def step(
    ticket: Ticket,
    action: str,
    actor: User | None,
    *,
    now: dt.datetime,
    changes: dict[str, Any] | None = None,
    reason: str = "",
    payload: dict[str, Any] | None = None,
    expect_state: str | None = None,
) -> TicketEvent:
    """Move ``ticket`` by ``action`` and append its event, atomically.

    The UPDATE matches the ticket's version *and* state, and its row count is checked: when two
    windows act on one ticket, one matches and the other gets :class:`Conflict`.
    """
    rule = check(action, ticket.state, actor, ticket.hall)
    fields: dict[str, Any] = dict(changes or {})
    to_state = rule.target or ticket.state
    current = ticket.version
    fields.update(state=to_state, version=current + 1)
    with transaction.atomic():
        updated = Ticket.objects.filter(
            pk=ticket.pk, version=current, state=expect_state or ticket.state
        ).update(**fields)
        if updated != 1:
            raise Conflict(stale())
        window_id = fields.get("window_id", ticket.window_id)
        # No savepoint of its own: should the event's (ticket, seq) ever clash, Conflict leaves
        # the block above, which rolls the update back with it (two round trips fewer a step).
        try:
            event = TicketEvent.objects.create(
                ticket=ticket,
                hall_id=ticket.hall_id,
                seq=current + 1,
                action=action,
                at=now,
                actor=actor,
                window_id=window_id,
                matter_id=fields.get("matter_id", ticket.matter_id),
                priority=ticket.priority,
                from_state=ticket.state,
                to_state=to_state,
                reason=reason,
                payload=payload or {},
            )
        except IntegrityError:
            raise Conflict(stale()) from None
        for name, value in fields.items():
            setattr(ticket, name, value)
    return event
