"""Assignment inside a unit (二级派单): the lead unit hands the order to one of its sub-units.

The centre dispatches to a first-level unit (a street, a bureau); its handler assigns the order to
a sub-unit below it (a 居委会, a section) and may reassign it; the sub-unit signs for, contacts
and replies through the usual actions (rules.Scope.HOLDER), and may hand it back up to its parent,
never past the lead unit to the centre. Deadlines do not restart: to the centre the lead unit
still has the order, and returns, extensions and appeals stay with the lead unit.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from hotline import clock
from hotline.orders.actions._core import _apply, _reason
from hotline.orders.models import Action, Event, WorkOrder
from hotline.orders.rules import InvalidInput, NotAllowed, assignable_unit_ids, check
from hotline.org.models import Unit, User


def assign_inside(
    order: WorkOrder,
    actor: User | None,
    *,
    unit: Unit | None,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """Assign (or reassign) the order to a unit strictly below the lead unit, and below the
    actor's own unit when the actor is a sub-unit passing it further down. The event records
    who, from which unit (the one that held it) to which, and the note. ``actor=None`` is the
    system: auto-dispatch assigning a sub-unit the model is confident about."""
    now = now or clock.now()
    check(order, actor, Action.ASSIGN_INSIDE)
    if unit is None:
        raise InvalidInput(_("Choose the sub-unit to assign the order to."), field="unit")
    if unit.pk not in assignable_unit_ids(order, actor) or not unit.active:
        raise InvalidInput(
            _("%(unit)s is not a sub-unit this order can be assigned to.") % {"unit": unit.name},
            field="unit",
        )
    if unit.pk == order.assigned_unit_id:
        raise InvalidInput(_("The order is already assigned to this unit."), field="unit")
    holder = order.assigned_unit or order.lead_unit
    return _apply(
        order,
        actor,
        Action.ASSIGN_INSIDE,
        now=now,
        expected_version=expected_version,
        changes={"assigned_unit_id": unit.pk},
        reason=_reason(note, "note"),
        payload={
            "from_unit": holder.code if holder else None,
            "to_unit": unit.code,
            "reassigned": order.assigned_unit_id is not None,
        },
    )


def hand_back(
    order: WorkOrder,
    actor: User,
    *,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """The sub-unit gives the order back up to its parent (the lead unit, or the sub-unit that
    assigned it further down), saying why; it never goes past the lead unit to the centre."""
    now = now or clock.now()
    check(order, actor, Action.HAND_BACK)
    reason = _reason(reason, "reason", _("Say why the order goes back up."))
    giver = actor.unit
    if giver is None:  # the scope check admits only handlers of a unit; refuse all the same
        raise NotAllowed(_("Only the sub-unit the order was assigned to may do this."))
    parent_id = giver.parent_id
    to_id = None if parent_id == order.lead_unit_id else parent_id
    to_unit = Unit.objects.get(pk=parent_id) if parent_id else None
    return _apply(
        order,
        actor,
        Action.HAND_BACK,
        now=now,
        expected_version=expected_version,
        changes={"assigned_unit_id": to_id},
        reason=reason,
        payload={"from_unit": giver.code, "to_unit": to_unit.code if to_unit else None},
    )
