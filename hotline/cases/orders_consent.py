"""The applicant's consent, by a code texted to their number, before a clerk lists their 12345
orders on a case (办件).

The case page lists every work order registered from the applicant's mobile number (the reverse
of the intake's caller history). The number alone proved nothing: the clerk sets the applicant
(a reception ticket under any number, "ID seen" at the window), so a clerk could read anyone's
12345 history with no one present (attack, session 21). Now the clerk types the number, it is
checked against the case's applicant, and a six-digit code is texted to it; the citizen reads it
from their phone and the clerk types it back. That consent is a case event
(:attr:`~hotline.cases.models.CaseAction.ORDERS_CONSENT`, by that clerk) and holds for
:data:`CONSENT_FOR`; a code not taken is one too (``ORDERS_CONSENT_REFUSED``, why only, no number
and no code); every listing is recorded as a phone view (Security › Phone views).

The code is a texted code (:mod:`hotline.security.texted_code`, as the hall's booking code, whose
limits this shares: codes per phone, a minute between two, wrong codes per sending; per clerk
rather than per address, see :data:`SENDS_PER_CLERK`): nothing of it is stored, it is a keyed
hash of the sending — the case, the number, the clerk and the second it was sent — which travels
signed in the page.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.core import signing
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from hotline import clock
from hotline.cases import actions
from hotline.cases.models import Case, CaseAction, CaseEvent
from hotline.hall.rules import InvalidInput
from hotline.org.models import User
from hotline.portal import limits
from hotline.ratings import hotline_link
from hotline.security import texted_code
from hotline.security.masking import mask_number
from hotline.security.models import Where
from hotline.security.phones import record_export, record_views
from hotline.security.texted_code import Reason

log = logging.getLogger("hotline.cases.orders_consent")

#: How long the applicant's consent lets the clerk list their orders on the case.
CONSENT_FOR = dt.timedelta(minutes=30)

#: Codes one clerk may text to applicants in an hour, in place of the hall's address limit
#: (:data:`~hotline.security.texted_code.SENDS_PER_ADDRESS`): every clerk of a hall leaves through
#: the office's address, the one the hall's Wi-Fi shares, so the clerks' codes used up the
#: citizens' code asks from the hall (review, session 21). As many as that limit allows one
#: address: the clerk's sends count there under the clerk's own name (:func:`_sender`), where
#: this limit, checked first, always refuses first.
SENDS_PER_CLERK = limits.Limit(
    "orders-code", "clerk", texted_code.SENDS_PER_ADDRESS.count, dt.timedelta(hours=1)
)

_SALT = "hotline.cases.orders_consent"
#: Consent codes; when a code was last sent for a (case, number, clerk) is recorded under
#: ``orders-code-sent:`` ("send again" too soon keeps its page).
PURPOSE = texted_code.Purpose(_SALT, "orders-code-sent:")

#: What the clerk is told when a code is not sent, limit by limit: no "ask at reception".
_REFUSALS = {
    Reason.GAP: ngettext_lazy(
        "A code was texted to this number less than a minute ago. "
        "You can text another in %(seconds)d second.",
        "A code was texted to this number less than a minute ago. "
        "You can text another in %(seconds)d seconds.",
        "seconds",
    ),
    # The clerk's hour (SENDS_PER_CLERK), checked first; the sender's there (as many) never
    # refuses before it.
    Reason.SENDER: gettext_lazy(
        "You have texted as many codes as you may this hour (%(n)d). Try again later."
    ),
    Reason.NUMBER_FROM_SENDER: gettext_lazy(
        "You have texted this number as many codes as you may in a day (%(n)d). Try again tomorrow."
    ),
    Reason.NUMBER_HOUR: ngettext_lazy(
        "This number has had as many codes as it may get in an hour (%(n)d, the hall's booking "
        "codes included). Try again in %(minutes)d minute.",
        "This number has had as many codes as it may get in an hour (%(n)d, the hall's booking "
        "codes included). Try again in %(minutes)d minutes.",
        "minutes",
    ),
    Reason.NUMBER_DAY: gettext_lazy(
        "This number has had as many codes as it may get in a day (%(n)d, the hall's booking "
        "codes included). Try again tomorrow."
    ),
}


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
        return PURPOSE.form(f"{self.case}|{self.phone}|{self.clerk}")

    @property
    def sent(self) -> texted_code.Sent:
        return texted_code.Sent(PURPOSE, self.form, self.sent_at)

    @property
    def until(self) -> dt.datetime:
        return self.sent.until

    @property
    def phone_masked(self) -> str:
        return mask_number(self.phone)

    def code(self) -> str:
        return self.sent.code()

    def signed(self) -> str:
        value = [self.case, self.phone, self.clerk, int(self.sent_at.timestamp())]
        return signing.dumps(value, salt=_SALT)


def _latest(sending: Sending, now: dt.datetime) -> Sending | None:
    at = texted_code.last_sent(PURPOSE, sending.form, now)
    return Sending(sending.case, sending.phone, sending.clerk, at) if at is not None else None


def _sender(clerk: User) -> str:
    """What the number's code limits count a clerk's sends under, in place of an address: the
    clerk (no address looks like it), not the office's address that the citizens share."""
    return f"staff-{clerk.pk}"


def clerk_refusal(clerk: User) -> str:
    """Why ``clerk`` may not ask for a code now (recording the ask), or ``""``: the clerk's own
    hour (:data:`SENDS_PER_CLERK`). Asked before the typed number is compared with the case's
    applicant: the comparison says whether a number is the applicant's — the number the hall
    does not keep — so it must not be made more often than a code may be asked for (attack,
    session 23: 124 guesses in 6.5 s found one)."""
    if limits.exceeded([SENDS_PER_CLERK], {"clerk": str(clerk.pk)}):
        texted_code.note_refusal("orders", Reason.SENDER)
        return str(_REFUSALS[Reason.SENDER]) % {"n": SENDS_PER_CLERK.count}
    return ""


def _number_refusal(clerk: User, number: str) -> str:
    refusal = texted_code.send_refusal(number, _sender(clerk), what="orders")
    return refusal.said(_REFUSALS) if refusal is not None else ""


def send(
    case: Case, clerk: User, phone: str, *, now: dt.datetime | None = None
) -> tuple[Sending | None, str]:
    """Text the applicant a code (after the commit): ``(sending, refusal)``. A refusal (the
    clerk's and the number's code limits, said limit by limit: no "ask at reception") keeps
    the code sent before, if it still holds, on its page. The clerk's hour counts every ask, a
    wrong number's too, and is asked before the number is compared (:func:`clerk_refusal`);
    then the number's limits, which the hall's booking and ticket codes share (asked with the
    clerk as the sender)."""
    now = (now or clock.now()).replace(microsecond=0)
    refused = clerk_refusal(clerk)
    if refused:
        return None, refused
    number = _applicants_number(case, phone)
    sending = Sending(case.number, number, clerk.pk, now)
    refusal = _number_refusal(clerk, number)
    if refusal:
        return _latest(sending, now), refusal
    said = {"hall": case.hall.unit.name, "code": sending.code(), "case": case.number}
    texted_code.text(
        sending.sent,
        number,
        action="case_orders_code",
        unit_name=case.hall.unit.name,
        words=_(
            "%(hall)s: the clerk serving you asks to see your 12345 orders on case %(case)s. "
            "If you agree, tell them the code %(code)s (valid for 10 minutes); if you are not "
            "at the window, ignore this message."
        )
        % said,
        about=f"orders code for case {case.number}",
    )
    return sending, ""


def _applicants_number(case: Case, phone: str) -> str:
    """The typed number, when it is the case's applicant's; a wrong one is refused and logged
    (no number, no case: how often clerks mistype or guess shows in the log)."""
    try:
        return hotline_link.applicants_number(case, phone)
    except InvalidInput:
        log.info("orders code: the typed number is not the case's applicant's")
        raise


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
    try:
        texted_code.check(sending.sent, code, now)
    except texted_code.Refused as exc:
        said = {
            Reason.EXPIRED: _("The code has expired. Text a new one."),
            Reason.USED_UP: _("Too many wrong codes. Text a new one."),
            Reason.SUPERSEDED: _("A newer code was sent. Type the newest one."),
        }.get(exc.reason, _("That is not the code we sent."))
        # On the case's timeline as the consent is (committed: the refusal below is no error).
        actions.record_orders_consent_refused(case, clerk, why=str(exc.reason), now=now)
        raise CodeRefused(said, field="code") from None
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
    # Consent first: without it no number is compared (the comparison tells whether a guessed
    # number is the applicant's; attack, session 23).
    until = consent_until(case, clerk, now)
    if until is None:
        raise InvalidInput(
            _(
                "Text the applicant a code and type the code they read from their phone: their "
                "12345 orders are shown only with their consent."
            ),
            field="code",
        )
    number = _applicants_number(case, phone)
    found = hotline_link.orders_for_case(case, clerk, phone=number, consented=True)
    # The audit's words, not the page's: stored as they are, in English.
    detail = f"case {case.number}: the applicant's 12345 orders, consent by code"
    callers = [link.order for link in found if link.via == "caller"]
    if not record_views(clerk, callers, Where.ORDER_SEARCH, request, revealed=True, detail=detail):
        record_export(clerk, Where.ORDER_SEARCH, detail)
    return found
