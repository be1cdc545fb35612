"""The rating link by text message, through the notify adapters."""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _

from hotline.hall import identity
from hotline.hall.models import Ticket
from hotline.orders import notify
from hotline.ratings import visits
from hotline.ratings.rules import InvalidTransition

log = logging.getLogger("hotline.ratings")


def send_link(ticket: Ticket, phone: str, *, link: str) -> notify.Message:
    """Text the citizen the link to rate this served visit (and later to give the follow-up
    rating). The number is used for this message only and is not stored."""
    number = identity.mobile(phone)
    if visits.service_of(ticket) is None:
        raise InvalidTransition(_("This visit has not been served yet."))
    hall = ticket.hall
    message = notify.Message(
        order_number=ticket.number,
        action="hall_rating_link",
        unit_name=hall.unit.name,
        recipients_phone=(number,),
        recipients_email=(),
        text=_("%(hall)s: please rate your visit (ticket %(number)s): %(link)s")
        % {"hall": hall.unit.name, "number": ticket.number, "link": link},
    )

    notify.send_after_commit(message, f"ticket {ticket}")
    return message
