"""The write path shared by every action: authorise, conditional update, append the event."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hotline.orders import notify
from hotline.orders.models import (
    DESCRIPTION_MAX_LENGTH,
    REASON_MAX_LENGTH,
    REPLY_MAX_LENGTH,
    Action,
    DailyCounter,
    Event,
    State,
    WorkOrder,
)
from hotline.orders.rules import (
    Conflict,
    InvalidInput,
    check,
)
from hotline.org.models import Unit, UnitKind, User
from hotline.sla import deadlines

#: A supervision longer than a quarter is a data-entry error, not a deadline.
MAX_SUPERVISION_DAYS = 60

_PHONE = re.compile(r"^\+?[0-9][0-9\- ]{4,19}$")

#: The order's unit-side deadlines. An event records each one its action sets, so a KPI judges the
#: round against the deadline in force when it started, not against the policy as an administrator
#: changed it later (hotline.assessment.rounds reads them; docs/kpis.md).
DEADLINES = ("accept_due", "first_contact_due", "reply_due", "return_due")


def stale(order: WorkOrder, actor: User | None, since: int) -> Conflict:
    """The refusal of an action taken on an order as it was at version ``since``: who moved it
    on, and how. When every step since was the actor's own (the same order open in a second tab,
    signed for in the first), "changed by someone else" was wrong and "reload" not needed: the
    person checks what they did and tries again (h5, session 28, F5). Someone else's step names
    them and the step; the actor may act on the order (checked before), so may see both."""
    newer = list(
        Event.objects.filter(order=order, seq__gt=since).select_related("actor").order_by("seq")
    )
    if not newer:
        return Conflict(_("This order was changed by someone else. Reload it and try again."))
    mine = actor is not None and all(e.actor_id == actor.pk for e in newer)
    last = newer[-1]
    if mine:
        return Conflict(
            _(
                "You have just handled this order on another page (%(action)s). Look at it "
                "and try again."
            )
            % {"action": last.get_action_display()}
        )
    other = next(e for e in reversed(newer) if actor is None or e.actor_id != actor.pk)
    who = (other.actor.get_full_name() or other.actor.username) if other.actor else _("system")
    return Conflict(
        _("This order was changed by someone else (%(who)s: %(action)s). Look at it and try again.")
        % {"who": who, "action": other.get_action_display()}
    )


def _apply(
    order: WorkOrder,
    actor: User | None,
    action: Action,
    *,
    now: dt.datetime,
    to_state: State | None = None,
    changes: dict[str, Any] | None = None,
    reason: str = "",
    payload: dict[str, Any] | None = None,
    expected_version: int | None = None,
    co_units: Iterable[Unit] | None = None,
    authorised: bool = False,
) -> Event:
    """Move ``order`` and append its event atomically; refuse a stale version.

    ``authorised``: the actor's authority was checked by the action this one completes in the
    same transaction (the centre's dispatch to a sub-unit assigns it inside, a step the centre's
    roles do not take on their own); the state is still checked."""
    rule = check(order, None if authorised else actor, action)
    _reason(reason, "reason")  # every action checks its own field first; none slips past
    new_state = to_state or rule.target or State(order.state)
    fields: dict[str, Any] = dict(changes or {})
    current = order.version
    if expected_version is not None and expected_version != current:
        raise stale(order, actor, expected_version)
    set_deadlines = {
        name: value.isoformat() if value is not None else None
        for name, value in fields.items()
        if name in DEADLINES
    }
    payload = {**set_deadlines, **(payload or {})}
    fields.update(state=new_state, version=current + 1, updated_at=now)
    with transaction.atomic():
        updated = WorkOrder.objects.filter(pk=order.pk, version=current).update(**fields)
        if updated != 1:
            raise Conflict(_("This order was changed by someone else. Reload it and try again."))
        lead_unit_id = fields.get("lead_unit_id", order.lead_unit_id)
        assigned_unit_id = fields.get("assigned_unit_id", order.assigned_unit_id)
        try:
            with transaction.atomic():
                event = Event.objects.create(
                    order=order,
                    seq=current + 1,
                    action=action,
                    actor=actor,
                    actor_unit_id=actor.unit_id if actor else None,
                    at=now,
                    from_state=order.state,
                    to_state=new_state,
                    unit_id=lead_unit_id,
                    assigned_unit_id=assigned_unit_id,
                    reason=reason,
                    payload=payload or {},
                )
        except IntegrityError:
            raise Conflict(
                _("This order was changed by someone else. Reload it and try again.")
            ) from None
        if co_units is not None:
            order.co_units.set(co_units)
        for name, value in fields.items():
            setattr(order, name, value)
        transaction.on_commit(lambda: notify.event_committed(event))
    return event


def _aware(value: dt.datetime | None, field: str) -> dt.datetime | None:
    """Refuse a time without a zone: it would be compared against aware deadlines."""
    if value is not None and timezone.is_naive(value):
        raise InvalidInput(_("Give the time with its time zone."), field=field)
    return value


def _text(value: str | None, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(message, field=field)
    return text


def _reason(
    value: str | None, field: str, message: str | None = None, limit: int = REASON_MAX_LENGTH
) -> str:
    """A reason or note, stripped; required when ``message`` says what to write; at most
    ``limit`` characters (a pasted page or a megabyte is refused, not stored)."""
    text = (value or "").replace("\r\n", "\n").strip()  # a line break is one character
    if message is not None and not _visible(text):
        raise InvalidInput(message, field=field)
    if len(text) > limit:
        raise InvalidInput(
            _("Keep it to %(limit)d characters (this has %(length)d).")
            % {"limit": limit, "length": len(text)},
            field=field,
        )
    return text


#: Characters that print as nothing though they are neither spaces nor format characters: the
#: braille blank and the Hangul fillers.
_BLANKS = frozenset("\u2800\u115f\u1160\u3164\uffa0")
#: Unicode categories that show nothing: controls, format characters (zero-width spaces and
#: joiners, the byte-order mark), unassigned code points and separators. Not private use: an
#: input method may put a rare character of a name there.
_UNSEEN = frozenset({"Cc", "Cf", "Cn", "Zs", "Zl", "Zp"})


def _visible(text: str) -> bool:
    """Whether ``text`` shows anything: a required reason of zero-width spaces (U+200B) or other
    invisible characters was taken as written, and a 差评's rectification archived with one counted
    as rectified, its note reading empty (attack, session 30, h5 F5)."""
    return any(
        not ch.isspace() and ch not in _BLANKS and unicodedata.category(ch) not in _UNSEEN
        for ch in text
    )


def _description(value: str | None) -> str:
    """A request's description: required, at most :data:`DESCRIPTION_MAX_LENGTH`."""
    return _reason(value, "description", _("Describe the request."), limit=DESCRIPTION_MAX_LENGTH)


def _reply(value: str | None, field: str, message: str) -> str:
    """An answer or reply to the citizen: required, at most :data:`REPLY_MAX_LENGTH`."""
    return _reason(value, field, message, limit=REPLY_MAX_LENGTH)


def _choice(value: str, choices: type, field: str) -> str:
    if value not in choices.values:  # type: ignore[attr-defined]
        raise InvalidInput(_("%(value)r is not a valid choice.") % {"value": value}, field=field)
    return value


def _handling_unit(unit: Unit | None, field: str = "lead_unit") -> Unit:
    if unit is None:
        raise InvalidInput(_("Choose a handling unit."), field=field)
    if not unit.active or unit.kind == UnitKind.HOTLINE_CENTRE:
        raise InvalidInput(_("%(unit)s cannot receive orders.") % {"unit": unit.name}, field=field)
    return unit


def _co_units(lead: Unit, co_units: Iterable[Unit] | None) -> list[Unit]:
    units = list(dict.fromkeys(co_units or ()))
    for unit in units:
        _handling_unit(unit, "co_units")
    if lead in units:
        raise InvalidInput(_("The lead unit cannot also be a co-unit."), field="co_units")
    return units


def _counter_upsert() -> str:
    table = connection.ops.quote_name(DailyCounter._meta.db_table)
    return (
        f"INSERT INTO {table} (day, last) VALUES (%s, 1) "
        f"ON CONFLICT (day) DO UPDATE SET last = {table}.last + 1 RETURNING last"
    )


def _format_number(day: dt.date, last: int) -> str:
    return f"{day:%Y%m%d}-{last:06d}"


def _next_number(day: dt.date) -> str:
    """``YYYYMMDD-NNNNNN`` from a per-day counter row, in the caller's transaction.

    The row lock serialises concurrent registrations until their transactions end; a rolled-back
    registration gives its number back. One upsert (PostgreSQL, SQLite ≥ 3.35): today's row is
    created by the day's first registration."""
    with connection.cursor() as cursor:
        cursor.execute(_counter_upsert(), [connection.ops.adapt_datefield_value(day)])
        return _format_number(day, cursor.fetchone()[0])


def _number_ahead(day: dt.date) -> str | None:
    """The day's next number drawn in a transaction of its own, or ``None`` where that is not done.

    Drawn inside the registration's transaction, the counter row stays locked until that
    transaction commits, so every registration of the day waits for the one before it to reach
    the disk, and in a busy web process also for the threads ahead of it: on PostgreSQL that lock
    was what kept intake below 200 orders/s (docs/benchmarks.md). So on PostgreSQL, when no
    transaction is open, the number is drawn first, in one round trip whose commit does not wait
    for the disk (``synchronous_commit`` off for that transaction only), and the lock is held for
    that statement alone.

    Nothing is handed out twice after a crash: the order's own commit waits for the write-ahead
    log up to its commit record, which lies after the counter's. The cost is that a registration
    failing after this point (the database gone, the process killed) leaves a gap in the day's
    numbers. SQLite, which runs one writer at a time anyway, and callers inside a transaction
    (imports, the portal's submission with its photo) use :func:`_next_number`.
    """
    if (
        connection.vendor != "postgresql"
        or connection.in_atomic_block
        or not connection.get_autocommit()
    ):
        return None
    with connection.cursor() as cursor:
        # Two statements in one simple query run as one implicit transaction: SET LOCAL holds
        # for the upsert and ends with it.
        cursor.execute(
            "SET LOCAL synchronous_commit TO off; " + _counter_upsert(),
            [connection.ops.adapt_datefield_value(day)],
        )
        cursor.nextset()
        return _format_number(day, cursor.fetchone()[0])


def _dispatch_fields(order: WorkOrder, lead: Unit, now: dt.datetime) -> dict[str, Any]:
    terms = deadlines.terms_for(order.category, order.urgency)
    return {
        "lead_unit_id": lead.pk,
        # A new lead unit starts with the order in its own hands (it may assign it inside).
        "assigned_unit_id": None,
        "dispatched_at": now,
        "accepted_at": None,
        # The new unit contacts the citizen itself: the previous unit's contact does not count.
        "first_contact_at": None,
        "overdue": False,
        "accept_urged_for": None,
        "reply_urged_for": None,
        "extension_days": None,
        **deadlines.dispatch_deadlines(now, terms),
    }


def _reopen_fields(order: WorkOrder, now: dt.datetime) -> dict[str, Any]:
    terms = deadlines.terms_for(order.category, order.urgency)
    return {
        "reopen_count": order.reopen_count + 1,
        "reply_due": deadlines.due(now, terms.reply, terms.basis),
        "first_contact_due": deadlines.due(now, terms.first_contact, terms.basis),
        "overdue": False,
        "reply_urged_for": None,
        "callback_due": None,
        "closed_at": None,
    }
