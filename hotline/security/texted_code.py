"""The six-digit code texted to a phone and typed back (短信验证码): the one mechanism behind the
hall's booking and ticket codes (:mod:`hotline.hall.booking_code`, typed by the citizen on the
portal) and a case's consent code (:mod:`hotline.cases.orders_consent`, read out by the applicant
and typed by the clerk). What differs between them — what the code is for, the words, what it
unlocks — stays with the caller; what a code is and how it is limited is here.

Nothing of the code is stored: it is a keyed hash (``salted_hmac``, the site's secret) of the
sending — the form's keyed hash (:attr:`Sent.form`: what was asked, by whom) and the second it
was sent — so it is checked by computing it again. What was asked travels signed in the page;
the portal's limits table (:mod:`hotline.portal.limits`) counts the codes sent to a number and
asked from an address, the minute between two codes to one number, the wrong codes typed against
one sending, and when each form's code was sent (a form sent twice finds its code again).

The number's limits are shared by every purpose: a stranger cannot text one number more codes by
asking for several things. A refusal says which limit refused (:class:`Refusal`), so the page
tells the person what to do, and the log records it.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import math
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.functional import Promise

from hotline import clock
from hotline.orders import notify
from hotline.portal import limits
from hotline.portal.models import PortalHit
from hotline.security import client as security_client
from hotline.security.phone_numbers import ascii_digits, phone_key

log = logging.getLogger("hotline.security.texted_code")

StrOrPromise = str | Promise

#: How long a code can be typed.
VALID = dt.timedelta(minutes=10)
#: How long before the same number can be sent another code ("send again").
GAP = dt.timedelta(seconds=60)
#: How long a code's text may wait behind a slow gateway before it is dropped, not sent
#: (notify's queue; other texts wait ten minutes). A code that waited its whole validity was
#: delivered dead and cost a text (attack, session 24, I). Five minutes: one arriving later has
#: under half its time left, and its page has offered "send again" for four minutes by then,
#: whose code supersedes it (a citizen who pressed it could not use this one).
QUEUED_AT_MOST = dt.timedelta(minutes=5)
#: Wrong codes typed against one sending; then a new code is needed.
TRIES = 5

# The limits' names are the booking code's, where they were first counted: the hits already
# recorded keep counting.

#: Codes sent to one number, for every purpose together: five an hour, five a day from one
#: address (a citizen booking two matters and asking again once for each needs four), and ten a
#: day in all. A stranger who typed the owner's number from one address shuts him out for an
#: hour at most, not the day (attacker's leftover of session 20); the day's ten keep the pages
#: from texting a number 120 codes a day from many addresses (review, session 21). Only codes
#: actually sent count here: refused asks count against the asking address alone.
SENDS_PER_PHONE = limits.Limit("book-code", "phone", 5, dt.timedelta(hours=1))
SENDS_PER_PHONE_FROM = limits.Limit("book-code-from", "phone", 5, dt.timedelta(days=1))
SENDS_PER_PHONE_DAY = limits.Limit("book-code-day", "phone", 10, dt.timedelta(days=1))
#: Codes asked for from one address (a household, the hall's Wi-Fi) to any numbers: a script
#: going through made-up numbers stops here.
SENDS_PER_ADDRESS = limits.Limit("book-code", "ip", 20, dt.timedelta(hours=1))
#: Codes sent at the asking of one address in a day: the hour's twenty, asked for round the
#: clock, texted 480 strangers a day at the hall's cost (attack, session 23). Counted like the
#: number's limits (only codes sent), so a refused ask does not use it up. A hundred: well above
#: a household or a hall's Wi-Fi; behind a carrier's shared address (CGNAT) it is the price of
#: capping a script at all (docs/deploy.md).
SENDS_PER_ADDRESS_DAY = limits.Limit("book-code-address-day", "ip", 100, dt.timedelta(days=1))
#: Codes sent in a day at the asking of one IPv6 network wider than the counted /64 (attack,
#: session 24): a home line is delegated a /56 (or a /60), a business or any 6to4 address a /48,
#: and each /64 of it had its own hundred a day — 25,600 strangers texted a day from one /56.
#: Three hundred on the /56 (a household's few devices, far more than it asks), a thousand on the
#: /48 (a business; a carrier's pool of phones' /64s may share a /48, so it is kept well above
#: what a district's citizens ask for). Day limits only: the hour's twenty stay per /64, so
#: neighbours behind one carrier's network keep theirs. Counted like the address's day limit.
SENDS_PER_NETWORK_56_DAY = limits.Limit("book-code-net56-day", "ip", 300, dt.timedelta(days=1))
SENDS_PER_NETWORK_48_DAY = limits.Limit("book-code-net48-day", "ip", 1000, dt.timedelta(days=1))
#: One code a minute to one number.
SEND_GAP = limits.Limit("book-code-gap", "phone", 1, GAP)
#: Wrong codes per sending, counted as failures.
WRONG = limits.Limit("book-code-wrong", "sent", TRIES, VALID)


class Reason(enum.StrEnum):
    """Why a code was not sent, or not taken."""

    #: A code went to the number less than :data:`GAP` ago.
    GAP = "gap"
    #: The asker's own limit: the address's hour (:data:`SENDS_PER_ADDRESS`) or day
    #: (:data:`SENDS_PER_ADDRESS_DAY`), or a caller's own
    #: in its place (a clerk's hour, :data:`hotline.cases.orders_consent.SENDS_PER_CLERK`).
    SENDER = "sender"
    #: The number's day from this asker (:data:`SENDS_PER_PHONE_FROM`).
    NUMBER_FROM_SENDER = "number-from-sender"
    #: The number's hour (:data:`SENDS_PER_PHONE`).
    NUMBER_HOUR = "number-hour"
    #: The number's day (:data:`SENDS_PER_PHONE_DAY`).
    NUMBER_DAY = "number-day"
    # Typing the code (:func:`check`):
    EXPIRED = "expired"
    USED_UP = "used-up"  # :data:`TRIES` wrong codes against this sending
    SUPERSEDED = "superseded"  # "send again" was used: the newer code holds
    WRONG = "wrong"


@dataclass(frozen=True)
class Refusal:
    """A code not sent: which limit (``reason``, ``limit``) and how long until it lets the next
    one through (``wait``)."""

    reason: Reason
    limit: limits.Limit
    wait: dt.timedelta

    @property
    def seconds(self) -> int:
        return max(1, math.ceil(self.wait.total_seconds()))

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.wait.total_seconds() / 60))

    def said(self, words: Mapping[Reason, StrOrPromise]) -> str:
        """This refusal in the caller's ``words`` for its reason, each of which may name
        ``%(n)d`` (the limit's count), ``%(seconds)d`` or ``%(minutes)d`` (the wait)."""
        values = {"n": self.limit.count, "seconds": self.seconds, "minutes": self.minutes}
        return str(words[self.reason] % values)


class Refused(Exception):
    """A typed code not taken (:func:`check`), for ``reason``."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True)
class Purpose:
    """What codes are for: its ``salt`` goes into everything hashed (and signed, by the caller),
    so one purpose's code or page does not serve another; ``sent_key`` prefixes the record of
    when a form's code was sent."""

    salt: str
    sent_key: str

    def form(self, value: str) -> str:
        """The keyed hash of what was asked (the caller's fields, joined), naming the form's
        sending: the same form sent again is the same."""
        return salted_hmac(self.salt + ".form", value, algorithm="sha256").hexdigest()[:32]


@dataclass(frozen=True)
class Sent:
    """A code for ``form`` (:meth:`Purpose.form`) sent at ``at`` (to the second)."""

    purpose: Purpose
    form: str
    at: dt.datetime

    @property
    def key(self) -> str:
        """This sending: what the code is computed from, and its wrong codes are counted under."""
        return f"{self.form}@{int(self.at.timestamp())}"

    @property
    def until(self) -> dt.datetime:
        return self.at + VALID

    def code(self) -> str:
        """The code texted for this sending: a keyed hash, so it is never stored and cannot be
        worked out from the page."""
        digest = salted_hmac(self.purpose.salt + ".code", self.key, algorithm="sha256")
        return f"{int(digest.hexdigest()[:15], 16) % 10**6:06d}"


def number_key(phone: str) -> str:
    """What the number's limits count ``phone`` under (a keyed hash, not the number)."""
    return phone_key(phone, purpose="portal-limit")


def last_sent(purpose: Purpose, form: str, now: dt.datetime | None = None) -> dt.datetime | None:
    """When ``form``'s latest code was sent, if within :data:`VALID` (``None``: none holds)."""
    now = now or clock.now()
    return (
        PortalHit.objects.filter(key=purpose.sent_key + form, at__gt=now - VALID)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )


def send_refusal(number: str, sender: str, *, what: str) -> Refusal | None:
    """Record one sending to ``number`` asked by ``sender`` (an address, or a caller's own name
    for it); which limit refuses it, or ``None``. ``what`` (the purpose) goes to the log with a
    refusal's reason.

    The minute between two codes runs from the last code sent, not from the last asking: a
    refusal records nothing, or anyone asking for the number every 50 seconds kept its owner
    from ever getting a code (review, session 18). So do the number's hour and days
    (:data:`SENDS_PER_PHONE`, :data:`SENDS_PER_PHONE_FROM`, :data:`SENDS_PER_PHONE_DAY`); the
    sender counts every ask past the minute."""
    refusal = _refusal(number_key(number), sender)
    if refusal is not None:
        note_refusal(what, refusal.reason)
    return refusal


def note_refusal(what: str, reason: Reason) -> None:
    """Log that a ``what`` code was not sent, and why (no number, no address)."""
    log.info("%s code not sent: %s", what, reason.value)


def _refusal(key: str, sender: str) -> Refusal | None:
    gap = limits.record_try(SEND_GAP, key)
    if gap is None:
        return Refusal(Reason.GAP, SEND_GAP, limits.retry_after(SEND_GAP, key))
    if limits.exceeded([SENDS_PER_ADDRESS], {"ip": sender}):
        limits.forget_try(gap)
        return Refusal(
            Reason.SENDER, SENDS_PER_ADDRESS, limits.retry_after(SENDS_PER_ADDRESS, sender)
        )
    # The number's limits count the codes sent to it: each records this sending first and then
    # counts (limits.record_try), so asks arriving at the same moment from several addresses
    # cannot all pass a check made before any of them was recorded (review, session 21); a
    # refusal takes back what the limits before it recorded, so it counts nothing.
    networks = [
        (Reason.SENDER, limit, network)
        for limit, prefix in ((SENDS_PER_NETWORK_56_DAY, 56), (SENDS_PER_NETWORK_48_DAY, 48))
        if (network := security_client.ipv6_network(sender, prefix))
    ]
    number_limits = [
        (Reason.SENDER, SENDS_PER_ADDRESS_DAY, sender),
        *networks,
        (Reason.NUMBER_FROM_SENDER, SENDS_PER_PHONE_FROM, f"{key}@{sender}"),
        (Reason.NUMBER_HOUR, SENDS_PER_PHONE, key),
        (Reason.NUMBER_DAY, SENDS_PER_PHONE_DAY, key),
    ]
    recorded = [gap]
    for reason, limit, value in number_limits:
        hit = limits.record_try(limit, value)
        if hit is None:
            for earlier in recorded:
                limits.forget_try(earlier)
            return Refusal(reason, limit, limits.retry_after(limit, value))
        recorded.append(hit)
    return None


def text(
    sent: Sent, phone: str, *, action: str, unit_name: str, words: str, about: str
) -> notify.Message:
    """Text ``sent``'s code to ``phone`` (after the commit) in ``words`` (the code in them), and
    record when its form's code was sent (:func:`last_sent`). The limits are the caller's
    (:func:`send_refusal`); ``about`` names the sending in the notifier's log."""
    PortalHit.objects.create(key=sent.purpose.sent_key + sent.form, at=sent.at)
    message = notify.Message(
        order_number="",
        action=action,
        unit_name=unit_name,
        recipients_phone=(phone,),
        recipients_email=(),
        text=words,
        secret=sent.code(),
        stale_after=QUEUED_AT_MOST.total_seconds(),
    )
    notify.send_after_commit(message, about)
    return message


def as_typed(code: str) -> str:
    """``code`` as typed on a phone: full-width (or other scripts') digits, spaces between
    groups."""
    typed = ascii_digits(unicodedata.normalize("NFKC", code))
    return "".join(ch for ch in typed if not ch.isspace())


def check(
    sent: Sent,
    code: str,
    now: dt.datetime | None = None,
    *,
    same: Callable[[str, str], bool] = constant_time_compare,
) -> None:
    """Whether ``code`` is ``sent``'s: :class:`Refused` if not, with why (expired, this
    sending's tries used up, a newer code sent, a wrong code). ``same`` compares in constant
    time (the caller's, so that a test can count the comparisons)."""
    now = now or clock.now()
    if now > sent.until:
        raise Refused(Reason.EXPIRED)
    # The try is counted as a wrong code before the comparison, then taken back if it was not
    # one: codes sent at the same moment each count the others, so at most TRIES are compared.
    attempt = limits.record_try(WRONG, sent.key)
    if attempt is None:
        raise Refused(Reason.USED_UP)
    latest = last_sent(sent.purpose, sent.form, now)
    if latest is not None and latest > sent.at:
        # "Send again" was used: the newer code holds, this page's no longer.
        limits.forget_try(attempt)
        raise Refused(Reason.SUPERSEDED)
    if same(as_typed(code), sent.code()):
        limits.forget_try(attempt)
        return
    raise Refused(Reason.WRONG)


def used_up(sent: Sent) -> bool:
    """Whether ``sent`` takes no more tries (:data:`TRIES` wrong codes typed against it)."""
    return limits.failed_too_often(WRONG, sent.key)


def resend_after(sent_at: dt.datetime, now: dt.datetime | None = None) -> int:
    """Seconds until "send again" is offered, for a code sent at ``sent_at``."""
    now = now or clock.now()
    return max(0, math.ceil((sent_at + GAP - now).total_seconds()))
