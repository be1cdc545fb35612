"""Signed links: the window's rating pad and the rating link sent by text message.

The pad's address carries the window, signed, so only the address the hall set up on the tablet
opens it (a window number alone could be guessed). The SMS link carries the ticket, signed and
the actions decide how long it may be used; it also leads to the follow-up rating later.
"""

from __future__ import annotations

from django.core import signing

from hotline.hall.models import Ticket, Window

PAD_SALT = "hotline.ratings.pad"
SMS_SALT = "hotline.ratings.sms"


def pad_token(window: Window) -> str:
    return signing.Signer(salt=PAD_SALT).sign_object({"w": window.pk}, compress=True)


def pad_window(token: str) -> Window | None:
    try:
        data = signing.Signer(salt=PAD_SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    return Window.objects.select_related("hall__unit").filter(pk=data.get("w")).first()


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
