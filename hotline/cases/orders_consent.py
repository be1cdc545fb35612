"""The applicant's consent, by a code texted to their number, before a clerk lists their 12345
orders on a case (办件).

The case page lists every work order registered from the applicant's mobile number (the reverse
of the intake's caller history). The number alone proved nothing: the clerk sets the applicant
(a reception ticket under any number, "ID seen" at the window), so a clerk could read anyone's
12345 history with no one present (attack, session 21). Now the clerk types the number, it is
checked against the case's applicant, and a six-digit code is texted to it; the citizen reads it
from their phone and the clerk types it back. That consent is a case event
(:attr:`~hotline.cases.models.CaseAction.ORDERS_CONSENT`, by that clerk) and holds for
:data:`CONSENT_FOR`; every listing is recorded as a phone view (Security › Phone views).

As the hall's booking code (:mod:`hotline.hall.booking_code`, whose limits this shares: codes per
phone, a minute between two, wrong codes per sending; per clerk rather than per address, see
:data:`SENDS_PER_CLERK`), nothing of the code is
stored: it is a keyed hash of the sending — the case, the number, the clerk and the second it was
sent — which travels signed in the page.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from django.core import signing
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from hotline import clock
from hotline.cases import actions
from hotline.cases.models import Case, CaseAction, CaseEvent
from hotline.hall import booking_code
from hotline.hall.rules import InvalidInput
from hotline.orders import notify
from hotline.org.models import User
from hotline.portal import limits
from hotline.portal.models import PortalHit
from hotline.ratings import hotline_link
from hotline.security.masking import mask_number
from hotline.security.models import Where
from hotline.security.phone_numbers import ascii_digits
from hotline.security.phones import record_export, record_views

#: How long a texted code can be typed.
VALID = dt.timedelta(minutes=10)
#: How long the applicant's consent lets the clerk list their orders on the case.
CONSENT_FOR = dt.timedelta(minutes=30)

#: Codes one clerk may text to applicants in an hour, in place of the hall's address limit
#: (:data:`~hotline.hall.booking_code.SENDS_PER_ADDRESS`): every clerk of a hall leaves through
#: the office's address, the one the hall's Wi-Fi shares, so the clerks' codes used up the
#: citizens' code asks from the hall (review, session 21). As many as that limit allows one
#: address: the clerk's sends count there under the clerk's own name (:func:`_sender`), where
#: this limit, checked first, always refuses first.
SENDS_PER_CLERK = limits.Limit(
    "orders-code", "clerk", booking_code.SENDS_PER_ADDRESS.count, dt.timedelta(hours=1)
)

_SALT = "hotline.cases.orders_consent"
#: When a code was last sent for a (case, number, clerk): "send again" too soon keeps its page.
_SENT = "orders-code-sent:"


class CodeRefused(InvalidInput):
    """The typed code does not give consent (wrong, expired, too many tries, not the newest)."""


@dataclass(frozen=True)
class Sending:
    """A code texted to ``phone`` for ``clerk`` to list the orders on case ``case``."""

    case: str  # the case number
    phone: str
    clerk: int
    sent_at: dt.datetime

    @property
    def form(self) -> str:
        value = f"{self.case}|{self.phone}|{self.clerk}"
        return salted_hmac(_SALT + ".form", value, algorithm="sha256").hexdigest()[:32]

    @property
    def key(self) -> str:
        return f"{self.form}@{int(self.sent_at.timestamp())}"

    @property
    def until(self) -> dt.datetime:
        return self.sent_at + VALID

    @property
    def phone_masked(self) -> str:
        return mask_number(self.phone)

    def code(self) -> str:
        digest = salted_hmac(_SALT + ".code", self.key, algorithm="sha256").hexdigest()
        return f"{int(digest[:15], 16) % 10**6:06d}"

    def signed(self) -> str:
        value = [self.case, self.phone, self.clerk, int(self.sent_at.timestamp())]
        return signing.dumps(value, salt=_SALT)


def _latest(sending: Sending, now: dt.datetime) -> Sending | None:
    at = (
        PortalHit.objects.filter(key=_SENT + sending.form, at__gt=now - VALID)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    return Sending(sending.case, sending.phone, sending.clerk, at) if at is not None else None


def _sender(clerk: User) -> str:
    """What the hall's code limits count a clerk's sends under, in place of an address: the
    clerk (no address looks like it), not the office's address that the citizens share."""
    return f"staff-{clerk.pk}"


def send_refusal(clerk: User, number: str) -> str:
    """Why ``clerk`` may not text ``number`` a code now (recording the ask), or ``""``: the
    clerk's own hour (:data:`SENDS_PER_CLERK`), then the number's limits, which the hall's
    booking and ticket codes share (:func:`hotline.hall.booking_code.send_refusal`, asked with
    the clerk as the sender). Said to the clerk: no "ask at reception"."""
    if limits.exceeded([SENDS_PER_CLERK], {"clerk": str(clerk.pk)}):
        return _("You have texted as many codes as you may this hour (%(n)d). Try again later.") % {
            "n": SENDS_PER_CLERK.count
        }
    if booking_code.send_refusal(number, _sender(clerk)):
        return _(
            "No code was sent: this number has just had a code, or as many codes as it may get "
            "for now (the hall's booking codes included). Try again in a few minutes."
        )
    return ""


def send(
    case: Case, clerk: User, phone: str, *, now: dt.datetime | None = None
) -> tuple[Sending | None, str]:
    """Text the applicant a code (after the commit): ``(sending, refusal)``. A refusal (the
    clerk's and the number's code limits, :func:`send_refusal`) keeps the code sent before, if
    it still holds, on its page."""
    now = (now or clock.now()).replace(microsecond=0)
    number = hotline_link.applicants_number(case, phone)
    sending = Sending(case.number, number, clerk.pk, now)
    refusal = send_refusal(clerk, number)
    if refusal:
        return _latest(sending, now), refusal
    PortalHit.objects.create(key=_SENT + sending.form, at=now)
    said = {"hall": case.hall.unit.name, "code": sending.code(), "case": case.number}
    message = notify.Message(
        order_number="",
        action="case_orders_code",
        unit_name=case.hall.unit.name,
        recipients_phone=(number,),
        recipients_email=(),
        text=_(
            "%(hall)s: the clerk serving you asks to see your 12345 orders on case %(case)s. "
            "If you agree, tell them the code %(code)s (valid for 10 minutes); if you are not "
            "at the window, ignore this message."
        )
        % said,
        secret=said["code"],
    )
    notify.send_after_commit(message, f"orders code for case {case.number}")
    return sending, ""


def read(signed: str, case: Case, clerk: User) -> Sending:
    """The sending in the page, for this case and clerk only."""
    try:
        number, phone, clerk_id, sent = signing.loads(signed, salt=_SALT)
        sending = Sending(
            str(number), str(phone), int(clerk_id), dt.datetime.fromtimestamp(int(sent), tz=dt.UTC)
        )
    except (signing.BadSignature, TypeError, ValueError, OverflowError) as exc:
        raise CodeRefused(_("Text the applicant a code first."), field="code") from exc
    if sending.case != case.number or sending.clerk != clerk.pk:
        raise CodeRefused(_("Text the applicant a code first."), field="code")
    return sending


def confirm(
    case: Case, clerk: User, signed: str, code: str, *, now: dt.datetime | None = None
) -> tuple[Sending, CaseEvent]:
    """The code the applicant read from their phone, typed by the clerk: their consent, recorded
    on the case. :class:`CodeRefused` for a wrong, expired or superseded code."""
    now = now or clock.now()
    sending = read(signed, case, clerk)
    if now > sending.until:
        raise CodeRefused(_("The code has expired. Text a new one."), field="code")
    attempt = limits.record_try(booking_code.WRONG, sending.key)
    if attempt is None:
        raise CodeRefused(_("Too many wrong codes. Text a new one."), field="code")
    latest = _latest(sending, now)
    if latest is not None and latest.sent_at > sending.sent_at:
        limits.forget_try(attempt)
        raise CodeRefused(_("A newer code was sent. Type the newest one."), field="code")
    typed = ascii_digits(unicodedata.normalize("NFKC", code))
    typed = "".join(ch for ch in typed if not ch.isspace())
    if not constant_time_compare(typed, sending.code()):
        raise CodeRefused(_("That is not the code we sent."), field="code")
    limits.forget_try(attempt)
    event = actions.record_orders_consent(
        case, clerk, phone_masked=sending.phone_masked, until=now + CONSENT_FOR, now=now
    )
    return sending, event


def consent_until(case: Case, clerk: User, now: dt.datetime | None = None) -> dt.datetime | None:
    """Until when the applicant's latest consent lets ``clerk`` list their orders on ``case``
    (``None``: it does not)."""
    now = now or clock.now()
    at = (
        CaseEvent.objects.filter(
            case=case, action=CaseAction.ORDERS_CONSENT, actor=clerk, at__gt=now - CONSENT_FOR
        )
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    return at + CONSENT_FOR if at is not None else None


def visit_orders(
    case: Case, clerk: User, now: dt.datetime | None = None
) -> list[hotline_link.LinkedOrder]:
    """The 12345 orders the case page lists without a number: those opened from the case's own
    visits (a 差评's rectification, a referral) and, while the applicant's consent holds for
    ``clerk`` (:func:`consent_until`), those from their other proved visits in every hall. The
    clerk sets the applicant (a reception ticket under any number, "ID seen" at the window), so
    without consent the applicant's key lists nothing of theirs (review, session 21)."""
    consented = consent_until(case, clerk, now) is not None
    return hotline_link.orders_for_case(case, clerk, consented=consented)


def listing(
    case: Case,
    clerk: User,
    phone: str,
    *,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> list[hotline_link.LinkedOrder]:
    """The applicant's 12345 orders on ``case`` by their number, while their consent holds for
    ``clerk`` (else a refusal asking for a code), each listing recorded as a phone view: one row
    per order registered from the number, or one saying none was found."""
    number = hotline_link.applicants_number(case, phone)
    until = consent_until(case, clerk, now)
    if until is None:
        raise InvalidInput(
            _(
                "Text the applicant a code and type the code they read from their phone: their "
                "12345 orders are shown only with their consent."
            ),
            field="code",
        )
    found = hotline_link.orders_for_case(case, clerk, phone=number, consented=True)
    # The audit's words, not the page's: stored as they are, in English.
    detail = f"case {case.number}: the applicant's 12345 orders, consent by code"
    callers = [link.order for link in found if link.via == "caller"]
    if not record_views(clerk, callers, Where.ORDER_SEARCH, request, revealed=True, detail=detail):
        record_export(clerk, Where.ORDER_SEARCH, detail)
    return found
