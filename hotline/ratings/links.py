"""Signed links: the rating link sent by text message.

It carries the ticket, signed, and the actions decide how long it may be used; it also leads to
the follow-up rating later. (The window's rating pad has no link of its own: it is the browser
enrolled as the pad, :mod:`hotline.ratings.pad`.)

A link texted to the number the ticket was given under is marked ``to_holder``: that key was
never printed on the slip nor shown on a clerk's screen (only that phone receives it), so it
rates a visit whose slip the serving clerk printed — the one clerk of a small hall gives the
ticket at reception and serves it (:func:`hotline.ratings.actions.rate`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

from hotline.hall.models import Ticket

SMS_SALT = "hotline.ratings.sms"


@dataclass(frozen=True)
class SmsLink:
    ticket: Ticket
    to_holder: bool  # texted to the number the ticket was given under


def sms_token(ticket: Ticket, *, to_holder: bool = False) -> str:
    data: dict[str, int] = {"t": ticket.pk}
    if to_holder:
        data["h"] = 1
    return signing.Signer(salt=SMS_SALT).sign_object(data, compress=True)


def sms_link(token: str) -> SmsLink | None:
    """The ticket of a rating link and whether it was texted to its holder's number, ``None``
    when forged. How long it may be used is the actions' business (RATING_LINK_DAYS after the
    service, or after the rectification closes), on the hotline's clock."""
    try:
        data = signing.Signer(salt=SMS_SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    pk = data.get("t") if isinstance(data, dict) else None
    if not isinstance(pk, int):
        return None
    ticket = Ticket.objects.select_related("hall__unit", "matter").filter(pk=pk).first()
    return None if ticket is None else SmsLink(ticket, data.get("h") == 1)


def sms_ticket(token: str) -> Ticket | None:
    """The ticket of a rating link, ``None`` when forged."""
    link = sms_link(token)
    return None if link is None else link.ticket
