"""Urging, supervision and the overdue mark (people and the SLA worker)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from hotline import clock
from hotline.orders import notify
from hotline.orders.actions._core import (
    MAX_SUPERVISION_DAYS,
    _apply,
    _aware,
    _reason,
)
from hotline.orders.models import (
    Action,
    Event,
    State,
    WorkOrder,
)
from hotline.orders.rules import (
    Conflict,
    InvalidInput,
    InvalidTransition,
    check,
)
from hotline.org.models import User
from hotline.sla import deadlines


def urge(
    order: WorkOrder,
    actor: User | None,
    *,
    note: str = "",
    deadline: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """催办: a reminder to the unit (by a person, or by the SLA worker before a deadline)."""
    now = now or clock.now()
    changes: dict[str, Any] = {}
    if deadline == "accept":
        changes["accept_urged_for"] = order.accept_due
    elif deadline == "reply":
        changes["reply_urged_for"] = order.reply_due
    return _apply(
        order,
        actor,
        Action.URGE,
        now=now,
        expected_version=expected_version,
        changes=changes,
        reason=_reason(note, "note"),
        payload={"deadline": deadline} if deadline else {},
    )


def supervise(
    order: WorkOrder,
    actor: User | None,
    *,
    due: dt.datetime | None = None,
    working_days: int | None = None,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """督办: formal supervision with its own deadline (a date, or working days from now)."""
    now = now or clock.now()
    check(order, actor, Action.SUPERVISE)
    due = _aware(due, "due")
    if due is None:
        days = working_days if working_days is not None else settings.SUPERVISION_DAYS
        if not isinstance(days, int) or not 1 <= days <= MAX_SUPERVISION_DAYS:
            raise InvalidInput(
                _("Give the supervision a deadline of 1 to %(max)d working days.")
                % {"max": MAX_SUPERVISION_DAYS},
                field="working_days",
            )
        due = deadlines.extend(now, days)
    if due <= now:
        raise InvalidInput(_("The supervision deadline must be in the future."), field="due")
    # A date typed as 9999-12-31 is a slip, not a deadline: the same horizon as working days.
    if due > deadlines.extend(now, MAX_SUPERVISION_DAYS):
        raise InvalidInput(
            _("Give the supervision a deadline at most %(max)d working days ahead.")
            % {"max": MAX_SUPERVISION_DAYS},
            field="due",
        )
    return _apply(
        order,
        actor,
        Action.SUPERVISE,
        now=now,
        expected_version=expected_version,
        changes={"supervision_due": due},
        reason=_reason(note, "note"),
        payload={"due": due.isoformat()},
    )


def mark_overdue(order: WorkOrder, *, now: dt.datetime | None = None) -> Event:
    """The SLA worker's mark on an order past its reply deadline (a system event)."""
    now = now or clock.now()
    if order.overdue or order.reply_due is None or order.reply_due >= now:
        raise InvalidTransition(_("This order is not overdue."))
    if order.state not in (State.DISPATCHED, State.ACCEPTED, State.REOPENED):
        raise InvalidTransition(_("Only orders at a unit become overdue."))
    current = order.version
    with transaction.atomic():
        if not WorkOrder.objects.filter(pk=order.pk, version=current, overdue=False).update(
            overdue=True, version=current + 1, updated_at=now
        ):
            raise Conflict(_("This order was changed by someone else."))
        event = Event.objects.create(
            order=order,
            seq=current + 1,
            action=Action.OVERDUE,
            at=now,
            from_state=order.state,
            to_state=order.state,
            unit_id=order.lead_unit_id,
            # Like every other event: the sub-unit holding the order (二级派单), which the KPIs
            # count it for and the notice goes to (walk-through, session 26, H1).
            assigned_unit_id=order.assigned_unit_id,
            payload={"reply_due": order.reply_due.isoformat()},
        )
        order.overdue, order.version, order.updated_at = True, current + 1, now
        transaction.on_commit(lambda: notify.event_committed(event))
    return event
