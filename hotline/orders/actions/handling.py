"""What the lead unit does: sign for, first contact, extensions, reply."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext as _

from hotline import clock
from hotline.orders.actions._core import (
    _apply,
    _aware,
    _choice,
    _reason,
    _reply,
)
from hotline.orders.models import (
    Action,
    ContactWay,
    Event,
    ReplyResult,
    WorkOrder,
)
from hotline.orders.rules import (
    InvalidInput,
    InvalidTransition,
    check,
)
from hotline.org.models import User
from hotline.sla import deadlines


def accept(
    order: WorkOrder,
    actor: User,
    *,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """签收. The event records whether it met the sign-for deadline in force (for KPIs)."""
    now = now or clock.now()
    return _apply(
        order,
        actor,
        Action.ACCEPT,
        now=now,
        expected_version=expected_version,
        changes={"accepted_at": now},
        payload={"on_time": order.accept_due is None or now <= order.accept_due},
    )


def first_contact(
    order: WorkOrder,
    actor: User,
    *,
    way: str,
    note: str = "",
    contacted_at: dt.datetime | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """先行联系: the unit reached the citizen before handling. The first one sets the time.

    The time a unit gives is believed within ``FIRST_CONTACT_BACKDATE_HOURS`` of recording it;
    a later entry is judged as if made that long before it was recorded, and flagged
    ``late_entry`` (the 先行联系率 reads ``on_time``, docs/kpis.md).
    """
    now = now or clock.now()
    check(order, actor, Action.FIRST_CONTACT)
    _choice(way, ContactWay, "way")
    when = _aware(contacted_at, "contacted_at") or now
    if when > now or (order.dispatched_at and when < order.dispatched_at):
        raise InvalidInput(
            _("The contact time must be between dispatch and now."), field="contacted_at"
        )
    window = dt.timedelta(hours=settings.FIRST_CONTACT_BACKDATE_HOURS)
    judged = max(when, now - window)
    changes = {} if order.first_contact_at else {"first_contact_at": when}
    return _apply(
        order,
        actor,
        Action.FIRST_CONTACT,
        now=now,
        expected_version=expected_version,
        changes=changes,
        reason=_reason(note, "note"),
        payload={
            "way": way,
            "contacted_at": when.isoformat(),
            "recorded_at": now.isoformat(),
            "judged_at": judged.isoformat(),
            "late_entry": judged != when,
            "on_time": order.first_contact_due is None or judged <= order.first_contact_due,
        },
    )


def request_extension(
    order: WorkOrder,
    actor: User,
    *,
    days: int,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """延期申请: ask, before the reply deadline, for more working days."""
    now = now or clock.now()
    check(order, actor, Action.REQUEST_EXTENSION)
    reason = _reason(reason, "reason", _("Say why more time is needed."))
    if not isinstance(days, int) or not 1 <= days <= settings.MAX_EXTENSION_DAYS:
        raise InvalidInput(
            _("Ask for 1 to %(max)d working days.") % {"max": settings.MAX_EXTENSION_DAYS},
            field="days",
        )
    if order.extension_days:
        raise InvalidInput(_("An extension request is already waiting for a decision."))
    if order.reply_due is not None and now > order.reply_due:
        raise InvalidInput(_("Extensions must be asked for before the reply deadline."))
    return _apply(
        order,
        actor,
        Action.REQUEST_EXTENSION,
        now=now,
        expected_version=expected_version,
        changes={"extension_days": days},
        reason=reason,
        payload={"days": days},
    )


def _pending_extension(order: WorkOrder) -> int:
    if not order.extension_days:
        raise InvalidTransition(_("No extension request is waiting for a decision."))
    return order.extension_days


def approve_extension(
    order: WorkOrder,
    actor: User,
    *,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """The reply deadline in force moves by the working days asked for."""
    now = now or clock.now()
    check(order, actor, Action.APPROVE_EXTENSION)
    days = _pending_extension(order)
    new_due = deadlines.extend(order.reply_due or now, days)
    return _apply(
        order,
        actor,
        Action.APPROVE_EXTENSION,
        now=now,
        expected_version=expected_version,
        reason=_reason(note, "note"),
        changes={
            "extension_days": None,
            "reply_due": new_due,
            "reply_urged_for": None,
            "overdue": order.overdue and new_due <= now,
        },
        payload={
            "days": days,
            "previous_due": order.reply_due.isoformat() if order.reply_due else None,
            "reply_due": new_due.isoformat(),
        },
    )


def reject_extension(
    order: WorkOrder,
    actor: User,
    *,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    now = now or clock.now()
    check(order, actor, Action.REJECT_EXTENSION)
    days = _pending_extension(order)
    reason = _reason(reason, "reason", _("Say why the extension is refused."))
    return _apply(
        order,
        actor,
        Action.REJECT_EXTENSION,
        now=now,
        expected_version=expected_version,
        reason=reason,
        changes={"extension_days": None},
        payload={"days": days},
    )


def reply(
    order: WorkOrder,
    actor: User,
    *,
    result: str,
    text: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """办结答复: the unit's final answer with its result."""
    now = now or clock.now()
    check(order, actor, Action.REPLY)
    _choice(result, ReplyResult, "result")
    text = _reply(text, "text", _("Write the reply to the citizen."))
    return _apply(
        order,
        actor,
        Action.REPLY,
        now=now,
        expected_version=expected_version,
        changes={
            "reply_result": result,
            "reply_text": text,
            "replied_at": now,
            "extension_days": None,
        },
        payload={
            "result": result,
            "text": text,
            "on_time": order.reply_due is None or now <= order.reply_due,
        },
    )
