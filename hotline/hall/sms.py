"""The hall's text messages, through the notify adapters.

A citizen who asked for it at the kiosk gets one message when the tickets ahead of them for
their windows are no more than the hall's ``sms_position``. The number is kept only for this: it
is cleared once the message is sent (the ticket keeps only the keyed hash of a real name).

A booking's holder is texted when the hall cancels or moves their booking
(:func:`tell_cancelled`, :func:`tell_moved`), at the number the booking keeps for that only
(``Appointment.notify_phone``, erased once the booking is used, cancelled or its day has passed).
The citizen's own changes, and an operator's for the caller on the line, are not texted: they
know.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from hotline import clock
from hotline.hall import snapshot
from hotline.hall.models import Appointment, AppointmentSlot, Hall, Ticket, TicketState
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


def _when(slot: AppointmentSlot) -> str:
    return f"{slot.day:%m-%d} {slot.starts:%H:%M}"


def _text_holder(appointment: Appointment, phone: str, action: str, text: str) -> bool:
    """Text ``phone`` once the change has committed; ``False`` when there is no number."""
    if not phone:
        return False
    hall = appointment.slot.hall
    message = notify.Message(
        order_number=appointment.code,
        action=action,
        unit_name=hall.unit.name,
        recipients_phone=(phone,),
        recipients_email=(),
        text=text,
        # The code with the number cancels or moves the booking: not for whoever reads the log.
        secret=appointment.code,
    )
    notify.send_after_commit(message, about=f"appointment {appointment.code}")
    return True


def tell_cancelled(appointment: Appointment, phone: str, reason: str) -> bool:
    """The hall cancelled ``appointment``: text its holder at ``phone`` (the number the booking
    kept, read before the cancel erased it) what was cancelled and why. In the default language
    (zh-Hans): the citizen's own is not known, and the page language is the staff member's."""
    slot = appointment.slot
    with translation.override(settings.LANGUAGE_CODE):
        text = _(
            "%(hall)s: your appointment %(code)s for %(matter)s on %(when)s was cancelled by "
            "the hall: %(reason)s. Book another time on the portal or call 12345."
        ) % {
            "hall": slot.hall.unit.name,
            "code": appointment.code,
            "matter": slot.matter.name,
            "when": _when(slot),
            "reason": reason,
        }
    return _text_holder(appointment, phone, "hall_appointment_cancelled", text)


def tell_moved(
    appointment: Appointment, left: AppointmentSlot, taken: AppointmentSlot, reason: str
) -> bool:
    """The hall moved ``appointment`` from ``left`` to ``taken``: text its holder the new time,
    the old one and why; the code stays the same."""
    with translation.override(settings.LANGUAGE_CODE):
        text = _(
            "%(hall)s: your appointment %(code)s for %(matter)s was moved by the hall from "
            "%(old)s to %(new)s: %(reason)s. The code stays the same."
        ) % {
            "hall": taken.hall.unit.name,
            "code": appointment.code,
            "matter": taken.matter.name,
            "old": _when(left),
            "new": _when(taken),
            "reason": reason,
        }
    return _text_holder(appointment, appointment.notify_phone, "hall_appointment_moved", text)
