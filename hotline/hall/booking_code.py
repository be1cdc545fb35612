"""The code texted to the phone that confirms a booking, or today's ticket, taken on the portal
(短信验证码).

Without it the booking page took any well-formed mobile number: one address could book a hall's
week out with made-up numbers. A citizen on the portal (not a 12345 operator booking for a
caller, not an enrolled kiosk of the hall) gets a six-digit code by text message and types it
back; only then is the booking made (hotline.hall.actions.appointments.book). Today's ticket
from the portal (hotline.hall.views.remote) goes the same way: without a code, the page gave
tickets under made-up numbers and texted "your turn is near" to strangers. What a code is for
(:data:`BOOK` or :data:`TICKET`) is in everything hashed and signed, so a booking's code or page
does not take a ticket, nor the reverse; the ticket has no slot (``slot`` is 0), its code holds
for the hall, matter and phone.

Nothing of the code is stored: it is a keyed hash (``salted_hmac``, the site's secret) of the
sending — the hall, slot and phone, the form's one-time token and the time it was sent — so it
is checked by computing it again. What was asked travels signed in the confirm step's form
(:func:`issue`, :func:`verify`), and nothing else needs a table of its own: the portal's limits
table (hotline.portal.limits) counts the codes sent per phone and per address, the minute
between two codes to one phone, the wrong codes typed against one sending (then a new code is
needed), and when each form's code was sent — so the same form sent twice (a double tap, Back and
send again) finds its code again instead of texting another or being told to wait.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import unicodedata
from dataclasses import dataclass, replace

from django.core import signing
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from hotline import clock
from hotline.hall.forms import CodeForm
from hotline.hall.models import AppointmentSlot, Hall
from hotline.hall.rules import HallError, InvalidInput
from hotline.orders import notify
from hotline.portal import limits
from hotline.portal.models import PortalHit
from hotline.security.masking import mask_number
from hotline.security.phone_numbers import ascii_digits, phone_key
from hotline.web import once

log = logging.getLogger("hotline.hall")

#: What a code confirms: a booking (a slot), or today's ticket (a matter, no slot).
BOOK = "book"
TICKET = "ticket"

#: How long a code can be typed.
VALID = dt.timedelta(minutes=10)
#: How long before the same phone can be sent another code ("send again").
GAP = dt.timedelta(seconds=60)
#: Wrong codes typed against one sending; then the citizen asks for a new one.
TRIES = 5

#: Codes sent to one phone, for bookings and tickets together: five an hour, five a day from
#: one address (a citizen booking two matters and asking again once for each needs four), and
#: ten a day in all. A stranger who typed the owner's number from one address shuts him out
#: for an hour at most, not the day (attacker's leftover of session 20); the day's ten keep the
#: pages from texting a number 120 codes a day from many addresses (review, session 21). Only
#: codes actually sent count here: refused asks count against the asking address alone.
SENDS_PER_PHONE = limits.Limit("book-code", "phone", 5, dt.timedelta(hours=1))
SENDS_PER_PHONE_FROM = limits.Limit("book-code-from", "phone", 5, dt.timedelta(days=1))
SENDS_PER_PHONE_DAY = limits.Limit("book-code-day", "phone", 10, dt.timedelta(days=1))
#: Codes asked for from one address (a household, the hall's Wi-Fi) to any numbers: a script
#: going through made-up numbers stops here.
SENDS_PER_ADDRESS = limits.Limit("book-code", "ip", 20, dt.timedelta(hours=1))
#: One code a minute to one phone.
SEND_GAP = limits.Limit("book-code-gap", "phone", 1, GAP)
#: Wrong codes per sending, counted as failures.
WRONG = limits.Limit("book-code-wrong", "sent", TRIES, VALID)
#: When a form's code was sent (the key names the form's sending, not the number).
_SENT = "book-code-sent:"

_SALT = "hotline.hall.booking_code"


class CodeRefused(HallError):
    """The typed code does not confirm the booking (wrong, expired, used up)."""


class NeedNewCode(CodeRefused):
    """This sending can no longer be confirmed: the form comes back, filled from ``pending``,
    to ask for a new code."""

    def __init__(self, message: str, pending: Pending) -> None:
        super().__init__(message)
        self.pending = pending


@dataclass(frozen=True)
class Pending:
    """A booking (or today's ticket, ``what`` :data:`TICKET`, ``slot`` 0) asked for and waiting
    for its code."""

    hall: str  # the hall's code
    matter: str
    slot: int
    phone: str
    name: str
    submission: str  # the booking form's one-time token (the confirm step sent twice books once)
    sent_at: dt.datetime
    what: str = BOOK

    @property
    def form(self) -> str:
        """This form's sending: the same form sent again is the same; another phone, slot,
        matter, page (a fresh token) or purpose is another."""
        value = "|".join([self.what, self.hall, self.matter, str(self.slot), self.phone])
        value += "|" + self.submission
        return salted_hmac(_SALT + ".form", value, algorithm="sha256").hexdigest()[:32]

    @property
    def sending(self) -> str:
        return f"{self.form}@{int(self.sent_at.timestamp())}"

    @property
    def until(self) -> dt.datetime:
        return self.sent_at + VALID

    def code(self) -> str:
        """The code texted for this sending: a keyed hash, so it is never stored and cannot be
        worked out from the page, and it holds for this purpose, phone, slot (or matter) and
        hall only."""
        digest = salted_hmac(_SALT + ".code", self.sending, algorithm="sha256").hexdigest()
        return f"{int(digest[:15], 16) % 10**6:06d}"

    def signed(self) -> str:
        value = [
            self.hall,
            self.matter,
            self.slot,
            self.phone,
            self.name,
            self.submission,
            int(self.sent_at.timestamp()),
        ]
        return signing.dumps(value, salt=f"{_SALT}.{self.what}", compress=True)


def _phone_value(phone: str) -> str:
    return phone_key(phone, purpose="portal-limit")


def sent_before(pending: Pending, now: dt.datetime | None = None) -> Pending | None:
    """``pending`` as its form's code was sent within :data:`VALID` (the same form sent twice),
    or ``None``: then a new code is to be sent."""
    now = now or clock.now()
    at = (
        PortalHit.objects.filter(key=_SENT + pending.form, at__gt=now - VALID)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    return replace(pending, sent_at=at) if at is not None else None


def send_refusal(phone: str, address: str) -> str:
    """Record one sending for ``phone`` from ``address``; why it may not be sent, or ``""``.

    The minute between two codes runs from the last code sent, not from the last asking: a
    refusal records nothing, or anyone asking for the number every 50 seconds kept its owner
    from ever getting a code (review, session 18). So do the number's hour and days
    (:data:`SENDS_PER_PHONE`, :data:`SENDS_PER_PHONE_FROM`, :data:`SENDS_PER_PHONE_DAY`); the
    address counts every ask past the minute."""
    key = _phone_value(phone)
    gap = limits.record_try(SEND_GAP, key)
    if gap is None:
        return _("A code was sent to this number less than a minute ago. Wait a minute.")
    if limits.exceeded([SENDS_PER_ADDRESS], {"ip": address}):
        limits.forget_try(gap)
        return _("Too many codes asked for. Try again later, or ask at reception.")
    # The number's limits count the codes sent to it: each records this sending first and then
    # counts (limits.record_try), so asks arriving at the same moment from several addresses
    # cannot all pass a check made before any of them was recorded (review, session 21); a
    # refusal takes back what the limits before it recorded, so it counts nothing.
    refusals = [
        (
            SENDS_PER_PHONE_FROM,
            f"{key}@{address}",
            _(
                "Too many codes asked for. A number gets at most %(n)d codes a day from one "
                "address. Try again tomorrow, or ask at reception."
            )
            % {"n": SENDS_PER_PHONE_FROM.count},
        ),
        (
            SENDS_PER_PHONE,
            key,
            _(
                "Too many codes asked for. A number gets at most %(n)d codes an hour. Try again "
                "within the hour, or ask at reception."
            )
            % {"n": SENDS_PER_PHONE.count},
        ),
        (
            SENDS_PER_PHONE_DAY,
            key,
            _(
                "Too many codes asked for. A number gets at most %(n)d codes a day. Try again "
                "tomorrow, or ask at reception."
            )
            % {"n": SENDS_PER_PHONE_DAY.count},
        ),
    ]
    recorded = [gap]
    for limit, value, refusal in refusals:
        hit = limits.record_try(limit, value)
        if hit is None:
            for earlier in recorded:
                limits.forget_try(earlier)
            return refusal
        recorded.append(hit)
    return ""


def ask(
    hall: Hall,
    slot: AppointmentSlot | None,
    *,
    matter: str,
    phone: str,
    name: str,
    submission: str,
    now: dt.datetime | None = None,
) -> Pending:
    """The booking (``slot``) or today's ticket (``slot`` ``None``: the matter's) ``phone``
    asks for, before its code is sent (:func:`issue`)."""
    # To the second: the code is computed from it, and it travels in the page and the database.
    sent_at = (now or clock.now()).replace(microsecond=0)
    if slot is None:
        return Pending(hall.code, matter, 0, phone, name, submission, sent_at, TICKET)
    return Pending(hall.code, matter, slot.pk, phone, name, submission, sent_at)


def issue(hall: Hall, pending: Pending) -> notify.Message:
    """Text ``pending``'s code to its phone (after the commit). The limits are the caller's
    (:func:`send_refusal`)."""
    PortalHit.objects.create(key=_SENT + pending.form, at=pending.sent_at)
    said = {"hall": hall.unit.name, "code": pending.code()}
    if pending.what == TICKET:
        text = _(
            "%(hall)s: your code for today's ticket is %(code)s, valid for 10 minutes. Do not "
            "give it to anyone."
        )
    else:
        text = _(
            "%(hall)s: your booking code is %(code)s, valid for 10 minutes. Do not give it to "
            "anyone."
        )
    message = notify.Message(
        order_number="",
        action="hall_ticket_code" if pending.what == TICKET else "hall_booking_code",
        unit_name=hall.unit.name,
        recipients_phone=(pending.phone,),
        recipients_email=(),
        text=text % said,
        secret=said["code"],
    )
    kind = "ticket" if pending.what == TICKET else "booking"
    notify.send_after_commit(message, f"{kind} code for hall {hall.code}")
    return message


def read(signed: str, hall: Hall, what: str = BOOK) -> Pending:
    """The pending booking (or ticket, ``what``) in the confirm step's form; a value that was
    not signed here, for another hall or for another purpose (a booking's page on the ticket's),
    is refused."""
    try:
        value = signing.loads(signed, salt=f"{_SALT}.{what}")
        hall_code, matter, slot, phone, name, submission, sent = value
        pending = Pending(
            hall=str(hall_code),
            matter=str(matter),
            slot=int(slot),
            phone=str(phone),
            name=str(name),
            submission=str(submission),
            sent_at=dt.datetime.fromtimestamp(int(sent), tz=dt.UTC),
            what=what,
        )
    except (signing.BadSignature, TypeError, ValueError, OverflowError) as exc:
        raise InvalidInput(_("Fill in the form again to get a code.")) from exc
    if pending.hall != hall.code:
        raise InvalidInput(_("Fill in the form again to get a code."))
    return pending


def verify(
    signed: str,
    code: str,
    hall: Hall,
    now: dt.datetime | None = None,
    what: str = BOOK,
) -> Pending:
    """The pending booking (or ticket, ``what``) ``code`` confirms; :class:`CodeRefused` for a
    wrong code (the citizen may type it again), :class:`NeedNewCode` once it expired or was
    mistyped :data:`TRIES` times (the exception carries the pending booking to fill the form
    again)."""
    now = now or clock.now()
    pending = read(signed, hall, what)
    if now > pending.until:
        raise NeedNewCode(_("The code has expired. Ask for a new one."), pending)
    # The try is counted as a wrong code before the comparison, then taken back if it was not
    # one: codes sent at the same moment each count the others, so at most TRIES are compared.
    attempt = limits.record_try(WRONG, pending.sending)
    if attempt is None:
        raise NeedNewCode(_("Too many wrong codes. Ask for a new one."), pending)
    latest = sent_before(pending, now)
    if latest is not None and latest.sent_at > pending.sent_at:
        # "Send again" was used: the newer code holds, this page's no longer.
        limits.forget_try(attempt)
        raise CodeRefused(_("A newer code was sent. Type the newest one."), field="code")
    # As typed on a phone: full-width (or other scripts') digits, spaces between groups.
    typed = ascii_digits(unicodedata.normalize("NFKC", code))
    typed = "".join(ch for ch in typed if not ch.isspace())
    if constant_time_compare(typed, pending.code()):
        limits.forget_try(attempt)
        return pending
    if limits.failed_too_often(WRONG, pending.sending):
        raise NeedNewCode(_("Too many wrong codes. Ask for a new one."), pending)
    raise CodeRefused(_("That is not the code we sent."), field="code")


def page_context(pending: Pending, form: CodeForm | None, now: dt.datetime) -> dict[str, object]:
    """What the code page (``hall/_book_code.html``) shows of a sending, on the booking's page or
    the ticket's: the signed request, the code's form, the masked number, "send again" after."""
    return {
        "pending": pending,
        "signed": pending.signed(),
        "code_form": form or CodeForm(),
        "phone_masked": mask_number(pending.phone),
        "resend_after": resend_after(pending, now),
    }


def send_posted(
    request: HttpRequest,
    hall: Hall,
    slot: AppointmentSlot | None,
    *,
    matter: str,
    phone: str,
    name: str,
    now: dt.datetime,
) -> tuple[Pending | None, str]:
    """The form's "send me a code" as posted in ``request`` (with ``resend``: the code page's
    "send again"), for the booking of ``slot`` or today's ticket (``slot`` ``None``):
    ``(sending, refusal)`` — the code page of ``sending`` is shown, with ``refusal`` if any;
    ``(None, refusal)``: the form comes back with it, nothing was texted."""
    # The form's token goes on to the booking or ticket: the confirm step sent twice gives one.
    submission = once.posted_token(request.POST) or once.new_token()
    pending = ask(hall, slot, matter=matter, phone=phone, name=name, submission=submission, now=now)
    resend = "resend" in request.POST
    return send(hall, pending, address=limits.client_address(request), resend=resend, now=now)


def send(
    hall: Hall, pending: Pending, *, address: str, resend: bool, now: dt.datetime | None = None
) -> tuple[Pending | None, str]:
    """:func:`send_posted`, for ``address``."""
    # The same form sent again (a double tap, Back and send again): its code, not another.
    earlier = sent_before(pending, now)
    if earlier is not None and not resend:
        return earlier, ""
    refusal = send_refusal(pending.phone, address)
    if refusal:
        # "Send again" too soon (without script, the button is not held back): the code
        # already sent still holds, on its page.
        return earlier, refusal
    issue(hall, pending)
    return pending, ""


def resend_after(pending: Pending, now: dt.datetime | None = None) -> int:
    """Seconds until "send again" is offered."""
    now = now or clock.now()
    return max(0, math.ceil((pending.sent_at + GAP - now).total_seconds()))
