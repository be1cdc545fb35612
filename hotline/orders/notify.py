"""Notifications about order events, through pluggable adapters (``NOTIFIERS``).

Called only after the event's transaction commits, so a rolled-back action never notifies.
The default adapter logs; the e-mail adapter uses Django's mail settings; ``HttpSmsNotifier``
texts through an HTTP gateway (``SMS_GATEWAY_*`` settings); ``SmsNotifier`` is the interface for
any other gateway (subclass it and name it in ``NOTIFIERS``).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import http.client
import json
import logging
import socket
import threading
import time
import urllib.parse
from concurrent import futures
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from hotline.security.masking import mask_number

if TYPE_CHECKING:
    from hotline.orders.models import Event, WorkOrder
    from hotline.org.models import Unit

log = logging.getLogger("hotline.notify")

#: Events a handling unit is told about.
NOTIFY_ACTIONS = frozenset(
    {
        "dispatch",
        "redispatch",
        # 二级派单: the sub-unit given the order, or the parent it was handed back to.
        "assign_inside",
        "hand_back",
        "approve_return",
        # The unit that asked to give the order back learns it stays with it (deadlines run on).
        "reject_return",
        "urge",
        "supervise",
        "overdue",
        "reopen",
        "reject_reply",
        "approve_extension",
        "reject_extension",
        # A dispatched order merged into another or cancelled: the unit holding it stops work.
        "merge",
        "cancel",
    }
)


@dataclass(frozen=True)
class Message:
    order_number: str
    action: str
    unit_name: str
    recipients_phone: tuple[str, ...]
    recipients_email: tuple[str, ...]
    text: str
    #: A one-time code the text carries (a booking's or a ticket's SMS code), or the key of a
    #: private link in it (the rating link's, a pre-review's): only the recipient may read it,
    #: so the logging adapter writes it out only in development.
    secret: str = ""
    #: Seconds this text may wait for a sending thread before it is dropped; ``None``:
    #: :data:`STALE_AFTER_SECONDS`. A texted code sets less (it is valid only ten minutes).
    stale_after: float | None = None


class Notifier:
    def send(self, message: Message) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class LoggingNotifier(Notifier):
    """Writes each message to the log: the demo's and development's "SMS". With DEBUG off a
    message's one-time code is masked: whoever reads the logs could otherwise confirm a booking
    or a ticket for any number (review, session 18)."""

    def send(self, message: Message) -> None:
        text = message.text
        if message.secret and not settings.DEBUG:
            text = text.replace(message.secret, "*" * len(message.secret))
        log.info(
            "notify %s [%s] %s: %s",
            message.unit_name,
            message.action,
            message.order_number,
            text,
        )


class EmailNotifier(Notifier):
    def send(self, message: Message) -> None:
        if message.recipients_email:
            send_mail(
                f"[12345] {message.order_number}",
                message.text,
                None,
                list(message.recipients_email),
                fail_silently=False,
            )


#: Every SMS adapter's deliveries run here, off the request: a citizen asking for a code does
#: not wait on the gateway, and how long a request takes does not tell whether a text was sent
#: (a pre-review look-up that matches texts a link; one that does not, nothing). Two threads: a
#: hall's texts are a few a minute. Python joins these threads at exit, so queued texts go out.
_sms_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sms-gateway")
_pending: set[futures.Future[None]] = set()
#: At most this many texts wait for the gateway in a process; more are logged as failed, not
#: queued (a gateway down for long, citizens asking again and again: memory stays bounded).
MAX_QUEUED = 500
#: A text that waited this long for a free sending thread is dropped, logged: a "near the front"
#: text is past by then. A texted code is dropped sooner (``Message.stale_after``,
#: hotline.security.texted_code.QUEUED_AT_MOST).
STALE_AFTER_SECONDS = 600
_pending_lock = threading.Lock()


def _forget(future: futures.Future[None]) -> None:
    with _pending_lock:
        _pending.discard(future)


def wait_for_texts(timeout: float = 10.0) -> None:
    """Wait until the texts handed to the SMS adapters so far are done (tests, shutdown)."""
    with _pending_lock:
        pending = set(_pending)
    futures.wait(pending, timeout=timeout)


class SmsNotifier(Notifier):
    """An SMS gateway adapter: subclass it with ``deliver(phone, text)`` (or
    ``deliver_message(phone, message)`` to use the message's reference and kind). Each
    recipient's text is delivered off the request; a failure is logged with the number masked
    (never the text: it may carry a one-time code) and not retried — the citizen asks again."""

    def send(self, message: Message) -> None:
        for phone in message.recipients_phone:
            with _pending_lock:
                full = len(_pending) >= MAX_QUEUED
            if full:
                self._log_failure(phone, message, f"{MAX_QUEUED} texts already queued")
                continue
            future = _sms_pool.submit(self._deliver_logged, phone, message, time.monotonic())
            with _pending_lock:
                _pending.add(future)
            future.add_done_callback(_forget)

    def _deliver_logged(self, phone: str, message: Message, queued_at: float) -> None:
        waited = time.monotonic() - queued_at
        stale_after = STALE_AFTER_SECONDS if message.stale_after is None else message.stale_after
        if waited > stale_after:
            # Behind a gateway that was slow for minutes: a code in it has expired, a "your turn
            # is near" is past; sending it now only costs the hall a text.
            self._log_failure(phone, message, f"dropped after {waited:.0f} s in the queue")
            return
        try:
            self.deliver_message(phone, message)
        except Exception as exc:
            self._log_failure(phone, message, exc)

    def _log_failure(self, phone: str, message: Message, why: object) -> None:
        log.warning(
            "SMS gateway %s failed for %s [%s] to %s: %s",
            type(self).__name__,
            message.order_number,
            message.action,
            mask_number(phone),
            why,
        )

    def deliver_message(self, phone: str, message: Message) -> None:
        self.deliver(phone, message.text)

    def deliver(self, phone: str, text: str) -> None:
        raise NotImplementedError("configure an SMS gateway adapter")


class HttpSmsNotifier(SmsNotifier):
    """Texts through an HTTP SMS gateway (or a relay beside the app that speaks to the
    operator's gateway): one JSON POST per recipient to ``SMS_GATEWAY_URL``::

        {"to": "13800000000", "text": "...", "reference": "A012", "kind": "hall_near_front"}

    with ``Authorization: Bearer <SMS_GATEWAY_TOKEN>`` when a token is set and
    ``X-Hotline-Signature: sha256=<hex HMAC-SHA256 of the body with SMS_GATEWAY_SECRET>`` when a
    secret is set. Any 2xx answer is a delivery; anything else, or no answer within
    ``SMS_GATEWAY_TIMEOUT`` seconds, is a failure (logged by :class:`SmsNotifier`).
    """

    def deliver_message(self, phone: str, message: Message) -> None:
        body = json.dumps(
            {
                "to": phone,
                "text": message.text,
                "reference": message.order_number,
                "kind": message.action,
            },
            ensure_ascii=False,
        ).encode()
        headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "hotline"}
        if settings.SMS_GATEWAY_TOKEN:
            headers["Authorization"] = f"Bearer {settings.SMS_GATEWAY_TOKEN}"
        if settings.SMS_GATEWAY_SECRET:
            digest = hmac.new(settings.SMS_GATEWAY_SECRET.encode(), body, hashlib.sha256)
            headers["X-Hotline-Signature"] = f"sha256={digest.hexdigest()}"
        _post(settings.SMS_GATEWAY_URL, body, headers, settings.SMS_GATEWAY_TIMEOUT)


class GatewayError(Exception):
    """The gateway did not take the text: an answer other than 2xx, or none in time."""


def _post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> None:
    """POST ``body`` to ``url`` and read the answer, all of it within ``timeout`` seconds.

    Not urllib: its timeout bounds each socket read, so a gateway (or a box between) answering a
    byte a second held a sending thread for ever, and with both threads held every code and link
    of the process waited behind them (attack, session 23). Here a timer cuts the connection
    when the whole exchange's time is up. urllib also read ``http_proxy`` from the environment
    and would send a plain-http text, code and bearer token to a proxy; ``http.client`` talks to
    the configured address only, and follows no redirect (the text must not go anywhere else):
    a 3xx is a failure like any answer but 2xx. The address is checked at start-up (https, or
    http to this host); https verifies the certificate (Python's default context)."""
    parts = urllib.parse.urlsplit(url)
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(parts.hostname or "", parts.port, timeout=timeout)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    deadline = time.monotonic() + timeout
    cut = threading.Timer(timeout, _cut, args=(connection,))
    cut.daemon = True
    cut.start()
    try:
        connection.request("POST", path, body=body, headers=headers)
        answer = connection.getresponse()
        answer.read(1024)
        if time.monotonic() > deadline:
            raise GatewayError(f"no whole answer within {timeout} s")
        if not 200 <= answer.status < 300:
            raise GatewayError(f"HTTP {answer.status}")
    except (OSError, http.client.HTTPException) as exc:
        if time.monotonic() >= deadline:
            raise GatewayError(f"no whole answer within {timeout} s") from exc
        raise
    finally:
        cut.cancel()
        connection.close()


def _cut(connection: http.client.HTTPConnection) -> None:
    """End a connection whose time is up: a shutdown wakes the thread blocked reading it."""
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


@cache
def notifiers() -> tuple[Notifier, ...]:
    return tuple(import_string(path)() for path in settings.NOTIFIERS)


@receiver(setting_changed)
def _forget_notifiers(*, setting: str, **_kwargs: object) -> None:
    # The adapters are built once per process; a changed NOTIFIERS (a test's override_settings)
    # must not keep sending through the old ones.
    if setting == "NOTIFIERS":
        notifiers.cache_clear()


def send_after_commit(message: Message, about: object) -> None:
    """Send ``message`` through every notifier once the current transaction commits (never
    for a rolled-back write); a failing adapter is logged, naming ``about``, the others send."""

    def deliver() -> None:
        for notifier in notifiers():
            try:
                notifier.send(message)
            except Exception:
                log.exception("notifier %s failed for %s", type(notifier).__name__, about)

    transaction.on_commit(deliver)


#: Decisions on what the lead unit asked the centre for (an extension, a return: a sub-unit
#: cannot ask): the lead unit hears them as well as the sub-unit holding the order (二级派单).
ASKED_BY_LEAD = frozenset({"approve_extension", "reject_extension", "reject_return"})
#: Events the lead unit hears as well as the sub-unit holding the order. The centre deals with the
#: lead unit (product.md, two-level dispatch), which answers to it for the order and chases its
#: 居委会 or section, so it must not learn from them what the centre did: the decisions on what it
#: asked; a reopen (walk-through, session 26); the overdue mark (it counts against the lead unit
#: too; 3e258af); the centre's urging, supervision and a reply sent back (session 27: the
#: sub-unit alone heard them, so the street learned of a 督办 on its order from its 居委会 or not
#: at all); and an order merged or cancelled, which neither of them works on any more.
TOLD_TO_LEAD = ASKED_BY_LEAD | {
    "reopen",
    "overdue",
    "urge",
    "supervise",
    "reject_reply",
    "merge",
    "cancel",
}


#: Moves that name the order's co-units (协办) afresh (``co_units`` and ``previous_co_units`` in
#: their payload): a unit named hears it is a co-unit, one dropped that it is no longer needed.
NAMES_CO_UNITS = frozenset({"dispatch", "redispatch", "approve_return"})
#: Ends of the order that release its co-units (with any event into 已办结, closed).
RELEASES_CO_UNITS = frozenset({"merge", "cancel"})


def event_committed(event: Event) -> None:
    # The unit holding the order hears of it: the sub-unit it was assigned to, else the lead unit.
    told: list[Unit] = []
    if event.action in NOTIFY_ACTIONS:
        holder = event.assigned_unit or event.unit
        units = [holder] if holder is not None else []
        if event.action in TOLD_TO_LEAD and event.unit is not None and event.unit != holder:
            units.append(event.unit)
        for unit in units:
            _tell(event, unit)
        told += units
    # The co-units (协办): named, dropped, released (session 27, h9). Before: never told, so a
    # co-unit learned of its order only when someone phoned it.
    named, released = _co_units_told(event, told)
    for unit in named:
        _tell(event, unit, co_unit=True)
    told += named
    if event.action in NOTIFY_ACTIONS:
        for unit in _left(event):
            if unit not in told:  # nobody is told twice
                _tell(event, unit, left=True)
                told.append(unit)
    for unit in released:
        if unit not in told:
            _tell(event, unit, co_unit=True, left=True)
    if event.action == "comment":
        for unit in _noted_by_co_unit(event):
            _tell(event, unit, co_unit_note=True)


def _co_units_told(event: Event, told: list[Unit]) -> tuple[list[Unit], list[Unit]]:
    """The co-units ``event`` names (they hear they are co-units, with the lead unit) and those
    it releases: dropped by a redispatch or an approved return, or all of them when the order is
    merged, cancelled or closed. A unit told as the one holding the order is not told again."""
    from hotline.orders.models import State
    from hotline.org.models import Unit

    payload = event.payload or {}
    if event.action in NAMES_CO_UNITS:
        named_codes = [c for c in payload.get("co_units") or [] if c]
        previous = [c for c in payload.get("previous_co_units") or [] if c]
        named = list(Unit.objects.filter(code__in=named_codes).order_by("code"))
        dropped = Unit.objects.filter(code__in=[c for c in previous if c not in named_codes])
        return (
            [u for u in named if u not in told],
            [u for u in dropped.order_by("code") if u not in told and u.pk != event.unit_id],
        )
    if event.action in RELEASES_CO_UNITS or event.to_state == State.CLOSED:
        co = event.order.co_units.order_by("code")
        return [], [u for u in co if u not in told]
    return [], []


#: The payload mark of a co-unit's note whose notice was held back: the units holding the order
#: were told of as many of its notes within the hour as
#: :data:`hotline.orders.actions.intake.CO_UNIT_NOTES_TOLD` allows.
NOTICE_HELD = "notice_held"


def noting_co_unit(order: WorkOrder, actor_unit: Unit | None) -> Unit | None:
    """The co-unit of ``order`` whose handler ``actor_unit``'s note is (its own unit, or one of
    its sub-units' handler as can_view lets see the order), or ``None``: the centre, the lead
    unit's own branch, or no co-unit."""
    from hotline.org.models import UnitKind, branch_ids

    lead = order.lead_unit_id
    if actor_unit is None or lead is None or actor_unit.kind == UnitKind.HOTLINE_CENTRE:
        return None
    if actor_unit.pk in branch_ids(lead):
        return None  # the lead unit's own branch: its notes are its own
    return order.co_units.filter(pk__in=branch_ids(actor_unit.pk)).order_by("pk").first()


def _noted_by_co_unit(event: Event) -> list[Unit]:
    """The units holding the order (the sub-unit, the lead unit) when a co-unit's handler
    comments on it: the 协办意见 reaches them, not only the timeline they may not open; unless
    the note's notice was held back (:data:`NOTICE_HELD`, the co-unit's notes of the hour)."""
    if (event.payload or {}).get(NOTICE_HELD) or event.unit_id is None:
        return []
    if noting_co_unit(event.order, event.actor_unit) is None:
        return []
    holder = event.assigned_unit or event.unit
    return [u for u in dict.fromkeys([holder, event.unit]) if u is not None]


def _left(event: Event) -> list[Unit]:
    """The units the order was taken from by ``event``, which had it until then: the lead unit
    that a redispatch or an approved return took it from (the one that asked, for a return) and
    the sub-unit it had assigned it to; the sub-unit a reassignment inside took it off. A unit
    that passed the order on itself (a 居委会 assigning it further down) is not among them."""
    from hotline.org.models import Unit

    payload = event.payload or {}
    if event.action == "redispatch":
        codes = [payload.get("previous_unit"), payload.get("previous_assigned_unit")]
    elif event.action == "approve_return":
        codes = [payload.get("returned_by"), payload.get("previous_assigned_unit")]
    elif event.action == "assign_inside" and payload.get("reassigned"):
        codes = [payload.get("from_unit")]
    else:
        return []
    units = Unit.objects.filter(code__in=[c for c in codes if c]).order_by("code")
    return [
        u for u in units if u.pk not in (event.unit_id, event.assigned_unit_id, event.actor_unit_id)
    ]


def _tell(
    event: Event,
    unit: Unit,
    *,
    left: bool = False,
    co_unit: bool = False,
    co_unit_note: bool = False,
) -> None:
    """Send ``unit`` the notice of ``event``; with ``left``, the notice that the order is no
    longer the unit's (it was redispatched, its return approved, reassigned inside). A merge or a
    cancellation tells every unit it reaches that the order is no longer theirs, and why."""
    order = event.order
    members = unit.members.filter(is_active=True)
    said = {"number": order.number, "title": order.title, "action": event.get_action_display()}
    if co_unit_note:
        text = _(
            "%(number)s %(title)s: %(unit)s, a co-unit, wrote a note on the order for you. "
            "Open the order to read it."
        ) % {**said, "unit": event.actor_unit.name if event.actor_unit else ""}
    elif co_unit and not left:
        text = _(
            "%(number)s %(title)s: %(action)s. Your unit is a co-unit; the lead unit is "
            "%(lead)s. Open the order to work with it."
        ) % {**said, "lead": event.unit.name if event.unit else ""}
    elif co_unit:
        text = (
            _("%(number)s %(title)s: %(action)s. The order no longer needs your unit as a co-unit.")
            % said
        )
    elif event.action == "merge":
        text = _(
            "%(number)s %(title)s: %(action)s. The order was merged into %(parent)s, which is "
            "handled instead, and is no longer yours."
        ) % {**said, "parent": (event.payload or {}).get("parent", "")}
    elif event.action == "cancel":
        text = (
            _("%(number)s %(title)s: %(action)s. The order was cancelled and is no longer yours.")
            % said
        )
    elif left:
        text = (
            _(
                "%(number)s %(title)s: %(action)s. The order has been sent to another unit and is "
                "no longer yours."
            )
            % said
        )
    else:
        text = f"{order.number} {order.title}: {event.get_action_display()}"
    message = Message(
        order_number=order.number,
        action=event.action,
        unit_name=unit.name,
        recipients_phone=tuple(p for p in [unit.contact_phone] if p),
        recipients_email=tuple(e for e in members.values_list("email", flat=True) if e),
        text=text,
    )
    for notifier in notifiers():
        try:
            notifier.send(message)
        except Exception:
            # A failed SMS must not fail the action that already committed.
            log.exception("notifier %s failed for %s", type(notifier).__name__, order.number)
