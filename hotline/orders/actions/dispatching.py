"""Dispatch, redispatch and returns (退单).

The centre deals with first-level units (二级派单, product.md): when it names a sub-unit (a 居委会,
a bureau's section) the order is dispatched to that sub-unit's first-level unit and, in the same
transaction, assigned inside to the sub-unit on the centre's behalf: two events, both the centre
person's. The first-level unit is the lead unit: returns, extensions and review stay with it, it
may reassign, and the sub-unit hands the order back up to it, never to the centre. Co-units
are first-level units: the order has one assignment inside (the lead unit's), so a sub-unit named
as a co-unit is refused, naming its first-level unit instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
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
    AlreadyWith,
    InvalidInput,
    check,
)
from hotline.org.models import Unit, User, first_level_ids


def _centre_target(unit: Unit | None) -> tuple[Unit, Unit | None]:
    """(the lead unit, the sub-unit to assign inside or ``None``) for a unit the centre names:
    a first-level unit is the lead unit itself; a unit below one leads to its first-level unit."""
    named = _handling_unit(unit)
    first = named.first_level()
    if first.pk == named.pk:
        return named, None
    return _handling_unit(first), named


def _not_already_with(order: WorkOrder, lead: Unit, sub: Unit | None, message: str) -> None:
    """Refuse sending the order to the unit that has it. A sub-unit of that unit is refused too:
    the unit assigns inside itself (the centre deals with the first-level unit)."""
    if lead.pk != order.lead_unit_id:
        return
    if sub is not None:
        message = _(
            "%(unit)s is under %(lead)s, which already has the order: %(lead)s assigns it inside."
        ) % {"unit": sub.name, "lead": lead.name}
    raise AlreadyWith(message, field="lead_unit")


def _centre_co_units(
    lead: Unit, co_units: Iterable[Unit] | None, sub: Unit | None = None
) -> list[Unit]:
    """The co-units the centre names: first-level units only (review r1 M4). A co-unit has no
    assignment inside of its own (the order's one ``assigned_unit`` is the lead unit's), so a
    sub-unit cannot be reached the way the lead's is: naming one is refused, saying which unit
    to name instead, rather than making the sub-unit a co-unit the centre deals with directly.
    With ``sub`` (the centre chose a sub-unit, which sends the order to ``lead``) naming ``lead``
    as a co-unit is refused saying so: the dispatcher did not choose it as lead (walk-through,
    session 26, L3)."""
    named = list(co_units or ())
    if sub is not None and lead in named:
        raise InvalidInput(
            _(
                "Choosing %(unit)s sends the order to %(lead)s, which assigns it inside: "
                "%(lead)s cannot also be a co-unit."
            )
            % {"unit": sub.name, "lead": lead.name},
            field="co_units",
        )
    co = _co_units(lead, named)
    if not co:
        return co
    levels = first_level_ids()
    for unit in co:
        first_id = levels.get(unit.pk, unit.pk)
        if first_id == unit.pk:
            continue
        if first_id == lead.pk:
            message = _(
                "%(unit)s is under %(lead)s, the lead unit: %(lead)s assigns it inside; "
                "it cannot also be a co-unit."
            ) % {"unit": unit.name, "lead": lead.name}
        else:
            first = Unit.objects.get(pk=first_id)
            message = _(
                "%(unit)s is under %(first)s: the centre names first-level units as co-units. "
                "Name %(first)s, which involves %(unit)s itself."
            ) % {"unit": unit.name, "first": first.name}
        raise InvalidInput(message, field="co_units")
    return co


def _assign_named_sub_unit(
    order: WorkOrder, actor: User | None, lead: Unit, sub: Unit | None, now: dt.datetime
) -> None:
    """The second step of the centre's dispatch to a sub-unit: assigned inside the lead unit,
    by the centre's person (the dispatch authorised it; its event says ``by_centre``)."""
    if sub is None:
        return
    _apply(
        order,
        actor,
        Action.ASSIGN_INSIDE,
        now=now,
        changes={"assigned_unit_id": sub.pk},
        payload={
            "from_unit": lead.code,
            "to_unit": sub.code,
            "reassigned": False,
            "by_centre": True,
        },
        authorised=True,
    )


def _send(
    order: WorkOrder,
    actor: User | None,
    action: Action,
    lead: Unit,
    sub: Unit | None,
    co: list[Unit],
    *,
    now: dt.datetime,
    expected_version: int | None,
    reason: str,
    payload: dict[str, Any],
) -> Event:
    """Dispatch, redispatch and an approved return alike: the order to ``lead`` with ``co``
    (deadlines afresh) and, when the centre named a sub-unit, assigned inside to it in the same
    transaction. ``payload`` adds to the units the event names; the sub-unit the order is taken
    from, if any, is named too (``previous_assigned_unit``: it is told the order left it)."""
    if order.assigned_unit is not None:
        payload = {**payload, "previous_assigned_unit": order.assigned_unit.code}
    if order.pk is not None and (previous_co := sorted(u.code for u in order.co_units.all())):
        # The co-units it had: one no longer named is told it is no longer needed.
        payload = {**payload, "previous_co_units": previous_co}
    with transaction.atomic():
        event = _apply(
            order,
            actor,
            action,
            now=now,
            expected_version=expected_version,
            changes=_dispatch_fields(order, lead, now),
            co_units=co,
            reason=reason,
            payload={"lead_unit": lead.code, "co_units": [u.code for u in co], **payload},
        )
        _assign_named_sub_unit(order, actor, lead, sub, now)
    return event


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
    """派单: send to one lead unit (主办) and optional co-units (协办); deadlines start now.
    A sub-unit named as the lead unit goes to its first-level unit, assigned inside to it."""
    now = now or clock.now()
    lead, sub = _centre_target(lead_unit)
    co = _centre_co_units(lead, co_units, sub)
    payload: dict[str, Any] = {"auto": True, "model_version": model_version} if auto else {}
    return _send(
        order,
        actor,
        Action.DISPATCH,
        lead,
        sub,
        co,
        now=now,
        expected_version=expected_version,
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
    """转派: send to another unit; its deadlines start afresh. A sub-unit named goes to its
    first-level unit, assigned inside to it (one of the unit that has the order is refused)."""
    now = now or clock.now()
    reason = _reason(reason, "reason", _("Say why the order is redispatched."))
    lead, sub = _centre_target(lead_unit)
    # The body is judged before where the order is: a co-unit refused after "already with this
    # unit" told a token that may not read orders where one is (attack, session 26, h5 F2).
    co = _centre_co_units(lead, co_units, sub)
    _not_already_with(order, lead, sub, _("The order is already with this unit."))
    return _send(
        order,
        actor,
        Action.REDISPATCH,
        lead,
        sub,
        co,
        now=now,
        expected_version=expected_version,
        reason=reason,
        payload={"previous_unit": order.lead_unit.code if order.lead_unit else None},
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
    """Approve a return by redispatching to the right unit (a correction for dispatch models).
    A sub-unit named goes to its first-level unit, assigned inside to it."""
    now = now or clock.now()
    lead, sub = _centre_target(lead_unit)
    # The body first, as redispatch does (attack, session 26, h5 F2).
    co = _centre_co_units(lead, co_units, sub)
    note = _reason(note, "note")
    _not_already_with(order, lead, sub, _("Choose a different unit than the one returning it."))
    return _send(
        order,
        actor,
        Action.APPROVE_RETURN,
        lead,
        sub,
        co,
        now=now,
        expected_version=expected_version,
        reason=note,
        payload={"returned_by": order.lead_unit.code if order.lead_unit else None},
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
