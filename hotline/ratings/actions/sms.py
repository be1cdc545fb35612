"""The rating link by text message, through the notify adapters."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.utils.translation import gettext as _

from hotline.hall import identity
from hotline.hall.models import HolderProof, Source, Ticket
from hotline.orders import notify
from hotline.org.models import User
from hotline.ratings import visits
from hotline.ratings.rules import InvalidInput, InvalidTransition, NotAllowed

log = logging.getLogger("hotline.ratings")


def number_proved(ticket: Ticket) -> bool:
    """Whether the number ``ticket`` is keyed to was proved by something no clerk controls
    (:func:`holder_number`)."""
    proved = ticket.holder_proof in (HolderProof.SMS, HolderProof.BOOKING)
    return bool(ticket.holder_key) and (proved or ticket.source == Source.APPOINTMENT)


def holder_number(ticket: Ticket, number: str) -> bool:
    """Whether the mobile ``number`` (normalised) is the one ``ticket`` was given under, proved
    by something no clerk controls, and not the number of a member of staff who printed its slip
    or served it (a clerk who gave the ticket under their own number would otherwise get the key
    they must not hold).

    Proved: a code texted to it (the portal's ticket), or the booking it was checked in on (made
    on the portal with a texted code, by a 12345 operator, or at an enrolled kiosk — never typed
    at the serving clerk's desk; a kiosk booking is as much the clerk's as a kiosk ticket, whose
    slip she did not print and whose QR code rates it anyway). A number typed
    at the reception desk is the clerk's say-so — a clerk could give the ticket under a second
    SIM, serve it and rate herself through the link (review, session 22) — and one typed at the
    kiosk anyone's: such a visit whose slip the serving clerk printed rates on the pad only."""
    if not number_proved(ticket):
        return False
    if not ticket.holder_key or identity.holder_key(phone=number) != ticket.holder_key:
        return False
    staff = visits.slips_of(ticket).staff
    for phone in (
        User.objects.filter(pk__in=staff).exclude(phone="").values_list("phone", flat=True)
    ):
        try:
            if identity.mobile(phone) == number:
                return False
        except InvalidInput:
            continue
    return True


def send_link(ticket: Ticket, phone: str, *, link: Callable[[bool], str]) -> notify.Message:
    """Text the citizen the link to rate this served visit (and later to give the follow-up
    rating). The number is used for this message only and is not stored.

    ``link(to_holder)`` makes the address: ``to_holder`` when the number is the one the ticket
    was given under (:func:`holder_number`); that link is a key no clerk printed or saw. When
    the serving clerk printed the slip, any other number is refused: its link would be no key to
    rate the visit (:func:`hotline.ratings.actions.rate`), and the clerk holding the slip could
    ask for it."""
    number = identity.mobile(phone)
    if visits.service_of(ticket) is None:
        raise InvalidTransition(_("This visit has not been served yet."))
    to_holder = holder_number(ticket, number)
    if not to_holder and visits.slips_of(ticket).by_server:
        raise NotAllowed(
            _(
                "This visit's rating link is texted only to the mobile number its ticket was "
                "given under."
            ),
            field="phone",
        )
    hall = ticket.hall
    address = link(to_holder)
    message = link_message(
        ticket.number,
        "hall_rating_link",
        hall.unit.name,
        number,
        _("%(hall)s: please rate your visit (ticket %(number)s): %(link)s")
        % {"hall": hall.unit.name, "number": ticket.number, "link": address},
        address,
    )
    notify.send_after_commit(message, f"ticket {ticket}")
    return message


def link_message(
    reference: str, action: str, unit_name: str, number: str, text: str, address: str
) -> notify.Message:
    """A text carrying a rating link (``address``, in ``text``) to one mobile number. The link's
    key is the message's secret, as a code is: whoever reads the logs must not rate the visit as
    its holder (attack, session 24)."""
    return notify.Message(
        order_number=reference,
        action=action,
        unit_name=unit_name,
        recipients_phone=(number,),
        recipients_email=(),
        text=text,
        secret=address.rstrip("/").rsplit("/", 1)[-1],
    )
