"""Turn orders and events into the API's representation, as a given user may see them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from hotline.api.schemas import kebab
from hotline.interchange.privacy import contact_for
from hotline.orders.actions import co_unit_notice_held
from hotline.orders.models import Event, WorkOrder
from hotline.orders.rules import NotFound, visible_orders
from hotline.org.models import User

#: Everything an order's representation reads, in one query (plus one for the co-units).
ORDER_RELATIONS = (
    "street",
    "community",
    "category__parent__parent",
    "lead_unit",
    "assigned_unit",
    "parent",
    "registered_by",
)


def orders_for(user: User) -> QuerySet[WorkOrder]:
    """The orders this user may see, ready to present without a query per order."""
    return (
        visible_orders(user)
        .select_related(*ORDER_RELATIONS)
        .prefetch_related("co_units")
        .order_by("-registered_at", "-id")
    )


def visible_order(user: User, number: str) -> WorkOrder:
    """The order with this number, or 404 — also when it exists but the user may not see it."""
    order = orders_for(user).filter(number=number).first()
    if order is None:
        raise NotFound(_("No order %(number)s.") % {"number": number})
    return order


def _code(unit: Any) -> str | None:
    return unit.code if unit is not None else None


def _float(value: Any) -> float | None:
    return float(value) if value is not None else None


def order_out(order: WorkOrder, user: User) -> dict[str, Any]:
    """The caller's details by the one contact policy (:func:`contact_for`): unit users and
    leaders see the phone masked and no e-mail; of an anonymous caller, nothing."""
    contact = contact_for(user, order)
    name = contact.name or (_("Anonymous") if order.anonymous else "")
    category = order.category
    return {
        "number": order.number,
        "channel": order.channel,
        "citizen_name": name,
        "citizen_phone": contact.phone,
        "citizen_email": contact.email,
        "anonymous": order.anonymous,
        "phone_masked": not contact.whole,
        "title": order.title,
        "description": order.description,
        "address": order.address,
        "street": _code(order.street),
        "community": _code(order.community),
        "latitude": _float(order.latitude),
        "longitude": _float(order.longitude),
        "category": category.code if category else None,
        "category_path": category.path_name if category else "",
        "urgency": order.urgency,
        "kind": order.kind,
        "state": order.state,
        "version": order.version,
        "lead_unit": _code(order.lead_unit),
        "assigned_unit": _code(order.assigned_unit),
        "co_units": sorted(u.code for u in order.co_units.all()),
        "parent": order.parent.number if order.parent else None,
        "registered_by": order.registered_by.username if order.registered_by else None,
        "registered_at": order.registered_at,
        "dispatched_at": order.dispatched_at,
        "accepted_at": order.accepted_at,
        "first_contact_at": order.first_contact_at,
        "replied_at": order.replied_at,
        "closed_at": order.closed_at,
        "updated_at": order.updated_at,
        "accept_due": order.accept_due,
        "first_contact_due": order.first_contact_due,
        "reply_due": order.reply_due,
        "return_due": order.return_due,
        "callback_due": order.callback_due,
        "supervision_due": order.supervision_due,
        "overdue": order.overdue,
        "extension_days": order.extension_days,
        "reply_result": order.reply_result or None,
        "reply_text": order.reply_text,
        "callback_resolved": order.callback_resolved,
        "satisfaction": order.satisfaction or None,
        "reopen_count": order.reopen_count,
        "cancel_reason": order.cancel_reason,
    }


def event_out(event: Event, *, reads: bool = True) -> dict[str, Any]:
    """The event as the API shows it; ``reads=False`` (a write-only token's own action) leaves
    out the unit and the payload, which tell the order's lead unit and more (attack, session 23).
    ``notice_held`` is said to both: it tells the co-unit whose comment it is that its note went
    without a text or e-mail (brief h7, session 30: only the payload said so, undocumented, and
    not to a write-only token), and nothing of where the order is."""
    return {
        "seq": event.seq,
        "action": kebab(event.action),
        "actor": event.actor.username if event.actor else None,
        "actor_unit": _code(event.actor_unit),
        "at": event.at,
        "from_state": event.from_state or None,
        "to_state": event.to_state,
        "unit": _code(event.unit) if reads else None,
        "reason": event.reason,
        "payload": event.payload if reads else {},
        "notice_held": co_unit_notice_held(event),
    }
