"""The text message near the front of the queue, through the notify adapters.

A citizen who asked for it at the kiosk gets one message when the tickets ahead of them for
their windows are no more than the hall's ``sms_position``. The number is kept only for this: it
is cleared once the message is sent (the ticket keeps only the keyed hash of a real name).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from hotline import clock
from hotline.hall import snapshot
from hotline.hall.models import Hall, Ticket, TicketState
from hotline.orders import notify

log = logging.getLogger("hotline.hall")


def text_the_front(hall: Hall) -> int:
    """Send the due messages of ``hall``; returns how many went out."""
    wanting = list(
        Ticket.objects.filter(hall=hall, state=TicketState.WAITING, sms_sent=False).exclude(
            sms_phone=""
        )
    )
    if not wanting:
        return 0
    order = snapshot.waiting_order(hall, wanting[0].day)
    links = snapshot.serving(hall)
    now = clock.now()
    sent = 0
    for ticket in wanting:
        ahead = snapshot.position_of(hall, ticket, order, links, now=now)
        if ahead > hall.sms_position:
            continue
        # Claim it first: two windows calling at once send it once.
        if not Ticket.objects.filter(pk=ticket.pk, sms_sent=False).update(
            sms_sent=True, sms_phone=""
        ):
            continue
        message = notify.Message(
            order_number=ticket.number,
            action="hall_near_front",
            unit_name=hall.unit.name,
            recipients_phone=(ticket.sms_phone,),
            recipients_email=(),
            text=_("%(hall)s: %(n)d ahead of your ticket %(number)s; please watch for your call.")
            % {"hall": hall.unit.name, "n": ahead, "number": ticket.number},
        )
        for notifier in notify.notifiers():
            try:
                notifier.send(message)
            except Exception:
                log.exception(
                    "notifier %s failed for ticket %s", type(notifier).__name__, ticket.number
                )
        sent += 1
    return sent


def after_call(hall: Hall) -> None:
    """Hook for the call actions, and for a ticket given with a number to text: check the front
    once the call (or the ticket) has committed."""
    transaction.on_commit(lambda: text_the_front(hall))
