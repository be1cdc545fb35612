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

The code is a texted code (:mod:`hotline.security.texted_code`, as a case's consent code): a
keyed hash of the sending — the hall, slot and phone, the form's one-time token and the time it
was sent — never stored; what was asked travels signed in the confirm step's form (:func:`issue`,
:func:`verify`); the portal's limits table counts the codes, the wrong ones, and when each form's
code was sent — so the same form sent twice (a double tap, Back and send again) finds its code
again instead of texting another or being told to wait. What is the hall's is here: what a code
confirms, the citizen's words, the pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from hotline import clock
from hotline.hall.forms import CodeForm
from hotline.hall.models import AppointmentSlot, Hall
from hotline.hall.rules import HallError, InvalidInput
from hotline.orders import notify
from hotline.portal import limits
from hotline.security import texted_code
from hotline.security.masking import mask_number

# The limits (codes a number gets, wrong codes per sending) are every texted code's, by their
# names here too.
from hotline.security.texted_code import SEND_GAP as SEND_GAP
from hotline.security.texted_code import SENDS_PER_ADDRESS as SENDS_PER_ADDRESS
from hotline.security.texted_code import SENDS_PER_PHONE_DAY as SENDS_PER_PHONE_DAY
from hotline.security.texted_code import TRIES as TRIES
from hotline.security.texted_code import WRONG as WRONG
from hotline.security.texted_code import Reason
from hotline.web import once

#: What a code confirms: a booking (a slot), or today's ticket (a matter, no slot).
BOOK = "book"
TICKET = "ticket"

_SALT = "hotline.hall.booking_code"
#: Booking and ticket codes; when a form's code was sent is recorded under ``book-code-sent:``.
PURPOSE = texted_code.Purpose(_SALT, "book-code-sent:")

#: What the citizen is told when a code is not sent, limit by limit.
_REFUSALS = {
    Reason.GAP: ngettext_lazy(
        "A code was sent to this number less than a minute ago. "
        "You can ask for another in %(seconds)d second.",
        "A code was sent to this number less than a minute ago. "
        "You can ask for another in %(seconds)d seconds.",
        "seconds",
    ),
    Reason.SENDER: gettext_lazy("Too many codes asked for. Try again later, or ask at reception."),
    Reason.NUMBER_FROM_SENDER: gettext_lazy(
        "Too many codes asked for. A number gets at most %(n)d codes a day from one address. "
        "Try again tomorrow, or ask at reception."
    ),
    Reason.NUMBER_HOUR: gettext_lazy(
        "Too many codes asked for. A number gets at most %(n)d codes an hour. Try again within "
        "the hour, or ask at reception."
    ),
    Reason.NUMBER_DAY: gettext_lazy(
        "Too many codes asked for. A number gets at most %(n)d codes a day. Try again "
        "tomorrow, or ask at reception."
    ),
}


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
        return PURPOSE.form(value + "|" + self.submission)

    @property
    def sent(self) -> texted_code.Sent:
        return texted_code.Sent(PURPOSE, self.form, self.sent_at)

    @property
    def sending(self) -> str:
        return self.sent.key

    @property
    def until(self) -> dt.datetime:
        return self.sent.until

    def code(self) -> str:
        """The code texted for this sending; it holds for this purpose, phone, slot (or
        matter) and hall only."""
        return self.sent.code()

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


def sent_before(pending: Pending, now: dt.datetime | None = None) -> Pending | None:
    """``pending`` as its form's code was sent within the code's validity (the same form sent
    twice), or ``None``: then a new code is to be sent."""
    at = texted_code.last_sent(PURPOSE, pending.form, now)
    return replace(pending, sent_at=at) if at is not None else None


def send_refusal(phone: str, address: str, *, what: str = BOOK) -> str:
    """Record one sending for ``phone`` from ``address``; why it may not be sent, in the
    citizen's words (which limit, :func:`hotline.security.texted_code.send_refusal`), or
    ``""``."""
    refusal = texted_code.send_refusal(phone, address, what=what)
    return refusal.said(_REFUSALS) if refusal is not None else ""


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
    kind = "ticket" if pending.what == TICKET else "booking"
    return texted_code.text(
        pending.sent,
        pending.phone,
        action=f"hall_{kind}_code",
        unit_name=hall.unit.name,
        words=text % said,
        about=f"{kind} code for hall {hall.code}",
    )


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
    pending = read(signed, hall, what)
    try:
        # Compared with this module's constant_time_compare (a test counts the comparisons).
        texted_code.check(pending.sent, code, now, same=constant_time_compare)
    except texted_code.Refused as exc:
        if exc.reason == Reason.EXPIRED:
            raise NeedNewCode(_("The code has expired. Ask for a new one."), pending) from None
        if exc.reason == Reason.SUPERSEDED:
            raise CodeRefused(
                _("A newer code was sent. Type the newest one."), field="code"
            ) from None
        if exc.reason == Reason.USED_UP or texted_code.used_up(pending.sent):
            raise NeedNewCode(_("Too many wrong codes. Ask for a new one."), pending) from None
        raise CodeRefused(_("That is not the code we sent."), field="code") from None
    return pending


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
    refusal = send_refusal(pending.phone, address, what=pending.what)
    if refusal:
        # "Send again" too soon (without script, the button is not held back): the code
        # already sent still holds, on its page.
        return earlier, refusal
    issue(hall, pending)
    return pending, ""


#: The cookie that carries a sent code's step from the "send me a code" POST to the page it
#: redirects to (:func:`code_step_redirect`). The step was the POST's own answer: a reload (or
#: Back and Forward) asked the browser to post the phone number again ("confirm form
#: resubmission"), and a tap on it sent the form again (session 28, h6 item 5). In a cookie of
#: this page's path, as it was in the page's hidden field: the number is not put in the
#: address (history, logs) nor kept on the server (a holder's phone is kept only as a hash).
STEP_COOKIE = "hall_code_step"
#: The address's mark of the code step (``?step=code``).
STEP = "code"


def code_step_redirect(request: HttpRequest, pending: Pending, now: dt.datetime) -> HttpResponse:
    """The answer to a "send me a code" POST that sent (or found) ``pending``'s code: a redirect
    to this page's code step (``?step=code``, the page's other parameters kept), ``pending`` in
    a cookie of this page for as long as its code holds."""
    query = request.GET.copy()
    query["step"] = STEP
    response = HttpResponseRedirect(f"{request.path}?{query.urlencode()}")
    max_age = max(1, int((pending.until - now).total_seconds()))
    response.set_cookie(
        STEP_COOKIE,
        pending.signed(),
        max_age=max_age,
        path=request.path,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure() or settings.SESSION_COOKIE_SECURE,
    )
    return response


def code_step(
    request: HttpRequest, hall: Hall, now: dt.datetime, what: str = BOOK
) -> Pending | None:
    """The sending whose code step this GET shows (:func:`code_step_redirect`), or ``None``: not
    the code step, no cookie, not this hall's or purpose's, or its code no longer holds (the
    form then, to ask for a new one)."""
    if request.GET.get("step") != STEP:
        return None
    signed = request.COOKIES.get(STEP_COOKIE, "")[:2000]
    if not signed:
        return None
    try:
        pending = read(signed, hall, what)
    except HallError:
        return None
    return pending if pending.until > now else None


def end_code_step(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """``response`` (the booking or ticket made), the code step's cookie cleared: Back to the
    step shows the form, not a code already used."""
    if STEP_COOKIE in request.COOKIES:
        response.delete_cookie(STEP_COOKIE, path=request.path, samesite="Lax")
    return response


def resend_after(pending: Pending, now: dt.datetime | None = None) -> int:
    """Seconds until "send again" is offered."""
    return texted_code.resend_after(pending.sent_at, now)
