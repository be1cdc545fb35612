"""Signed links: the rating link sent by text message.

It carries the ticket, signed, and the actions decide how long it may be used; it also leads to
the follow-up rating later. (The window's rating pad has no link of its own: it is the browser
enrolled as the pad, :mod:`hotline.ratings.pad`.)
"""

from __future__ import annotations

from django.core import signing

from hotline.hall.models import Ticket

SMS_SALT = "hotline.ratings.sms"


def sms_token(ticket: Ticket) -> str:
    return signing.Signer(salt=SMS_SALT).sign_object({"t": ticket.pk}, compress=True)


def sms_ticket(token: str) -> Ticket | None:
    """The ticket of a rating link, ``None`` when forged. How long it may be used is the
    actions' business (RATING_LINK_DAYS after the service, or after the rectification closes),
    on the hotline's clock."""
    try:
        data = signing.Signer(salt=SMS_SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    return Ticket.objects.select_related("hall__unit", "matter").filter(pk=data.get("t")).first()
