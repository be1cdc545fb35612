"""What the public may know about an order: used by the citizen portal and Open311.

Never the citizen's name, phone, e-mail, the units' internal notes or the timeline: only where
the order stands, its deadline, the unit answering for it and — once the centre has approved it —
the reply.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hotline.orders.models import FINAL_STATES, Satisfaction, State, WorkOrder


class PublicState(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("Being handled")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    MERGED = "merged", _("Merged with an earlier request")
    CANCELLED = "cancelled", _("Cancelled")


_PUBLIC_STATES = {
    State.REGISTERED: PublicState.RECEIVED,
    State.DISPATCHED: PublicState.IN_PROGRESS,
    State.ACCEPTED: PublicState.IN_PROGRESS,
    State.RETURNED: PublicState.IN_PROGRESS,
    State.REOPENED: PublicState.IN_PROGRESS,
    # A reply the centre has not approved yet may still be sent back: not public.
    State.REPLIED: PublicState.IN_PROGRESS,
    State.REVIEWED: PublicState.ANSWERED,
    State.ANSWERED: PublicState.ANSWERED,
    State.CLOSED: PublicState.CLOSED,
    State.MERGED: PublicState.MERGED,
    State.CANCELLED: PublicState.CANCELLED,
}

#: States whose reply the centre has approved (or given itself): the citizen may read it.
REPLY_PUBLIC_STATES = frozenset({State.REVIEWED, State.ANSWERED, State.CLOSED})


def public_state(order: WorkOrder) -> PublicState:
    return _PUBLIC_STATES[State(order.state)]


def public_reply(order: WorkOrder) -> str:
    return order.reply_text if order.state in REPLY_PUBLIC_STATES else ""


def is_closed(order: WorkOrder) -> bool:
    """Open311's two states: closed once nothing more will happen to the request."""
    return order.state in FINAL_STATES


def may_rate(order: WorkOrder) -> bool:
    """The citizen may give their verdict once the reply is approved and before the callback."""
    # A 不满意 kept for review (CALLBACK_DISSATISFIED=review) stays reviewed with its verdict.
    return order.state == State.REVIEWED and not order.satisfaction


def unhappy(order: WorkOrder) -> bool:
    """The citizen said 不满意: the order goes back to the unit or waits for the centre to decide
    (``CALLBACK_DISSATISFIED``); any other verdict closes it (actions.callback)."""
    return order.satisfaction == Satisfaction.DISSATISFIED
