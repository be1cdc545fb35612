"""The hall's text messages, through the notify adapters.

A citizen who asked for it at the kiosk gets one message when the tickets ahead of them for
their windows are no more than the hall's ``sms_position``. The number is kept only for this: it
is cleared once the message is sent (the ticket keeps only the keyed hash of a real name).

A booking's holder is texted when the hall cancels or moves their booking
(:func:`tell_cancelled`, :func:`tell_moved`), at the number the booking keeps for that only
(``Appointment.notify_phone``, erased once the booking is used, cancelled or its day has passed).
The citizen's own changes, and an operator's for the caller on the line, are not texted: they
know. A ticket's number that was never texted (the ticket cancelled, a no-show, ended at the
day's end before its turn came near) is erased by the worker's pass the day after
(:func:`forget_numbers`); it was kept for good before (session 30).

Each text is in the language the citizen gave the number in (``Ticket.sms_language``,
``Appointment.notify_language``: the page's language, or the one a 12345 operator chose for the
caller), whoever's action sends it; before, every text was in zh-Hans (a booking's) or in the
language of the clerk whose call sent it (the near-front text). A ticket or booking without one
(given before it was kept) or with one no longer offered is texted in ``LANGUAGE_CODE``. The
language is set and erased with the number: kept no longer than the number it is for.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from hotline import clock
from hotline.hall import snapshot
from hotline.hall.models import Appointment, AppointmentSlot, Hall, Ticket, TicketState
from hotline.orders import notify

log = logging.getLogger("hotline.hall")


def language_of(code: str) -> str:
    """The language to text a citizen in: ``code`` (stored on the ticket or the booking) when it
    is one of ``LANGUAGES``, else ``LANGUAGE_CODE``."""
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def page_language() -> str:
    """The language of the page the citizen is on (the request's active one), as a ticket or a
    booking given there with a number to text stores it."""
    try:
        active = translation.get_language() or ""
        return language_of(translation.get_supported_language_variant(active))
    except LookupError:
        return settings.LANGUAGE_CODE


def _near_front(hall: Hall, ticket: Ticket, ahead: int) -> str:
    said = {"hall": hall.unit.name, "n": ahead, "number": ticket.number}
    if not ahead:
        return (
            _("%(hall)s: nobody is ahead of your ticket %(number)s. Please watch for your call.")
            % said
        )
    return (
        ngettext(
            "%(hall)s: %(n)d person is ahead of your ticket %(number)s. Please watch for your "
            "call.",
            "%(hall)s: %(n)d people are ahead of your ticket %(number)s. Please watch for your "
            "call.",
            ahead,
        )
        % said
    )


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
            sms_sent=True, sms_phone="", sms_language=""
        ):
            continue
        with translation.override(language_of(ticket.sms_language)):
            text = _near_front(hall, ticket, ahead)
        message = notify.Message(
            order_number=ticket.number,
            action="hall_near_front",
            unit_name=hall.unit.name,
            recipients_phone=(ticket.sms_phone,),
            recipients_email=(),
            text=text,
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


#: How many days back :func:`forget_numbers` looks: it runs in every worker pass, and a
#: number left on an older ticket was erased by an earlier pass (or by migration 0026).
FORGET_DAYS_BACK = 7


def forget_numbers(hall: Hall, *, now: dt.datetime | None = None) -> int:
    """The worker's pass: a ticket's number to text, and its language, do not outlive the
    ticket's day, whatever became of the ticket (as a booking's, ``mark_no_shows``). Returns how
    many tickets had one."""
    today = timezone.localtime(now or clock.now()).date()
    return (
        Ticket.objects.filter(
            hall=hall, day__lt=today, day__gte=today - dt.timedelta(days=FORGET_DAYS_BACK)
        )
        .exclude(sms_phone="")
        .update(sms_phone="", sms_language="")
    )


def after_call(hall: Hall) -> None:
    """Hook for the call actions, and for a ticket given with a number to text: check the front
    once the call (or the ticket) has committed."""
    transaction.on_commit(lambda: text_the_front(hall))


def _when(slot: AppointmentSlot) -> str:
    """The slot's day and time as the text's reader expects them: "Fri 10 Mar at 09:00" in
    English ("03-10", month first, read as 3 October to many), "03-10 09:00" in zh-Hans."""
    day = dateformat.format(slot.day, pgettext("a day in a text message (a date format)", "D j M"))
    return _("%(day)s at %(time)s") % {"day": day, "time": f"{slot.starts:%H:%M}"}


def _reason(reason: str) -> str:
    """The staff member's reason, without its closing mark: the text's sentence closes it."""
    return reason.strip().rstrip("。.！!；;，,")


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


def tell_cancelled(appointment: Appointment, phone: str, reason: str, language: str = "") -> bool:
    """The hall cancelled ``appointment``: text its holder at ``phone`` in ``language`` (the
    number and the language the booking kept, read before the cancel erased them) what was
    cancelled and why. Not in the page's language: that is the staff member's."""
    slot = appointment.slot
    with translation.override(language_of(language)):
        text = _(
            "%(hall)s: your appointment %(code)s for %(matter)s on %(when)s has been cancelled "
            "by the hall. Reason: %(reason)s. Please book another time on the portal or call "
            "12345."
        ) % {
            "hall": slot.hall.unit.name,
            "code": appointment.code,
            "matter": slot.matter.name,
            "when": _when(slot),
            "reason": _reason(reason),
        }
    return _text_holder(appointment, phone, "hall_appointment_cancelled", text)


def tell_moved(
    appointment: Appointment, left: AppointmentSlot, taken: AppointmentSlot, reason: str
) -> bool:
    """The hall moved ``appointment`` from ``left`` to ``taken``: text its holder the new time,
    the old one and why, in the booking's language; the code stays the same."""
    with translation.override(language_of(appointment.notify_language)):
        text = _(
            "%(hall)s: your appointment %(code)s for %(matter)s has been moved by the hall from "
            "%(old)s to %(new)s. Reason: %(reason)s. Your code stays the same."
        ) % {
            "hall": taken.hall.unit.name,
            "code": appointment.code,
            "matter": taken.matter.name,
            "old": _when(left),
            "new": _when(taken),
            "reason": _reason(reason),
        }
    return _text_holder(appointment, appointment.notify_phone, "hall_appointment_moved", text)
