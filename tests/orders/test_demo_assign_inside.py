"""The demo's 二级派单: streets pass a share of their orders to the 居委会 of the address."""

from __future__ import annotations

from django.db.models import F

from hotline.orders.models import Action, Event, WorkOrder
from tests.orders.test_demo_orders import loaded  # noqa: F401 -- the fixture


def test_streets_assign_a_share_of_their_orders_to_the_address_neighbourhood(loaded):  # noqa: F811
    assigned = WorkOrder.objects.filter(assigned_unit__isnull=False).select_related(
        "assigned_unit", "lead_unit", "community"
    )
    street_orders = WorkOrder.objects.filter(
        lead_unit__kind="street", community__parent=F("lead_unit")
    ).count()
    assert 0.2 * street_orders <= assigned.count() <= 0.6 * street_orders
    for order in assigned:
        assert order.assigned_unit == order.community
        assert order.assigned_unit.parent_id == order.lead_unit_id
    events = Event.objects.filter(action=Action.ASSIGN_INSIDE).select_related("actor", "unit")
    assert events.count() == assigned.count()
    assert all(e.actor.username == f"unit-{e.unit.code}" for e in events)
