"""Dispatch, redispatch and returns (退单)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from hotline import clock
from hotline.orders.actions._core import (
    _apply,
    _co_units,
    _dispatch_fields,
    _handling_unit,
    _reason,
)
from hotline.orders.models import (
    Action,
    Event,
    State,
    WorkOrder,
)
from hotline.orders.rules import (
    InvalidInput,
    check,
)
from hotline.org.models import Unit, User


def dispatch(
    order: WorkOrder,
    actor: User | None,
    *,
    lead_unit: Unit,
    co_units: Iterable[Unit] | None = None,
    note: str = "",
    auto: bool = False,
    model_version: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """派单: send to one lead unit (主办) and optional co-units (协办); deadlines start now."""
    now = now or clock.now()
    lead = _handling_unit(lead_unit)
    co = _co_units(lead, co_units)
    payload: dict[str, Any] = {"lead_unit": lead.code, "co_units": [u.code for u in co]}
    if auto:
        payload.update(auto=True, model_version=model_version)
    return _apply(
        order,
        actor,
        Action.DISPATCH,
        now=now,
        expected_version=expected_version,
        changes=_dispatch_fields(order, lead, now),
        co_units=co,
        reason=_reason(note, "note"),
        payload=payload,
    )


def redispatch(
    order: WorkOrder,
    actor: User,
    *,
    lead_unit: Unit,
    co_units: Iterable[Unit] | None = None,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """转派: send to another unit; its deadlines start afresh."""
    now = now or clock.now()
    reason = _reason(reason, "reason", _("Say why the order is redispatched."))
    lead = _handling_unit(lead_unit)
    if lead.pk == order.lead_unit_id:
        raise InvalidInput(_("The order is already with this unit."), field="lead_unit")
    co = _co_units(lead, co_units)
    return _apply(
        order,
        actor,
        Action.REDISPATCH,
        now=now,
        expected_version=expected_version,
        changes=_dispatch_fields(order, lead, now),
        co_units=co,
        reason=reason,
        payload={
            "lead_unit": lead.code,
            "co_units": [u.code for u in co],
            "previous_unit": order.lead_unit.code if order.lead_unit else None,
        },
    )


def request_return(
    order: WorkOrder,
    actor: User,
    *,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """退单: the unit says the order is not theirs; a dispatcher decides."""
    now = now or clock.now()
    check(order, actor, Action.RETURN)
    reason = _reason(reason, "reason", _("Say why this order is not your unit's."))
    if order.return_due is not None and now > order.return_due:
        raise InvalidInput(_("The return window for this order has passed."), field="reason")
    return _apply(
        order,
        actor,
        Action.RETURN,
        now=now,
        expected_version=expected_version,
        reason=reason,
        # A pending extension request lapses with the return; the event says so.
        changes={"extension_days": None},
        payload={"extension_withdrawn": order.extension_days} if order.extension_days else {},
    )


def approve_return(
    order: WorkOrder,
    actor: User,
    *,
    lead_unit: Unit,
    co_units: Iterable[Unit] | None = None,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """Approve a return by redispatching to the right unit (a correction for dispatch models)."""
    now = now or clock.now()
    lead = _handling_unit(lead_unit)
    if lead.pk == order.lead_unit_id:
        raise InvalidInput(
            _("Choose a different unit than the one returning it."), field="lead_unit"
        )
    co = _co_units(lead, co_units)
    return _apply(
        order,
        actor,
        Action.APPROVE_RETURN,
        now=now,
        expected_version=expected_version,
        changes=_dispatch_fields(order, lead, now),
        co_units=co,
        reason=_reason(note, "note"),
        payload={
            "lead_unit": lead.code,
            "co_units": [u.code for u in co],
            "returned_by": order.lead_unit.code if order.lead_unit else None,
        },
    )


def reject_return(
    order: WorkOrder,
    actor: User,
    *,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """The unit must keep the order: back to the state it was returned from."""
    now = now or clock.now()
    check(order, actor, Action.REJECT_RETURN)
    reason = _reason(reason, "reason", _("Say why the unit must handle this order."))
    asked = order.events.filter(action=Action.RETURN).order_by("-seq").first()
    back = State(asked.from_state) if asked else State.DISPATCHED
    return _apply(
        order,
        actor,
        Action.REJECT_RETURN,
        now=now,
        to_state=back,
        expected_version=expected_version,
        reason=reason,
    )
