"""The demo's 二级派单: streets pass a share of their orders to the 居委会 of the address, and
the busiest bureaus most of theirs to the section (科室) for the order's category."""

from __future__ import annotations

from django.db.models import F

from hotline.orders.models import Action, Event, State, WorkOrder
from hotline.org import demo_district as district
from tests.orders.test_demo_orders import loaded  # noqa: F401 -- the fixture


def test_streets_assign_a_share_of_their_orders_to_the_address_neighbourhood(loaded):  # noqa: F811
    assigned = WorkOrder.objects.filter(
        assigned_unit__isnull=False, lead_unit__kind="street"
    ).select_related("assigned_unit", "lead_unit", "community")
    street_orders = WorkOrder.objects.filter(
        lead_unit__kind="street", community__parent=F("lead_unit")
    ).count()
    assert 0.2 * street_orders <= assigned.count() <= 0.6 * street_orders
    for order in assigned:
        assert order.assigned_unit == order.community
        assert order.assigned_unit.parent_id == order.lead_unit_id
    events = Event.objects.filter(action=Action.ASSIGN_INSIDE, unit__kind="street").select_related(
        "actor", "unit"
    )
    assert events.count() == assigned.count()
    assert all(e.actor.username == f"unit-{e.unit.code}" for e in events)


def test_bureaus_assign_most_of_their_orders_to_the_section_for_the_category(loaded):  # noqa: F811
    bureau_orders = WorkOrder.objects.filter(lead_unit__code__in=list(district.BUREAU_SECTIONS))
    assigned = bureau_orders.filter(assigned_unit__isnull=False).select_related(
        "assigned_unit", "lead_unit", "category"
    )
    with_section = [
        o
        for o in bureau_orders.select_related("lead_unit", "category")
        if district.section_for(o.lead_unit.code, o.category.code)
    ]
    assert with_section and 0.6 * len(with_section) <= assigned.count() <= len(with_section)
    for order in assigned:
        assert order.assigned_unit.parent_id == order.lead_unit_id
        assert order.assigned_unit.code == district.section_for(
            order.lead_unit.code, order.category.code
        )
    events = Event.objects.filter(
        action=Action.ASSIGN_INSIDE, unit__code__in=list(district.BUREAU_SECTIONS)
    ).select_related("actor", "unit")
    assert events.count() == assigned.count()
    assert all(e.actor.username == f"unit-{e.unit.code}" for e in events)
    # The section's own handler signed for and replied to what it was given.
    # The orders' ids as a list, not a subquery: PostgreSQL planned the nested form badly with
    # the statistics an earlier test left (30 s statement timeout in a full CI run, session 29).
    replied = Event.objects.filter(
        action=Action.REPLY,
        order_id__in=list(assigned.values_list("pk", flat=True)),
        actor__unit__parent__code__in=list(district.BUREAU_SECTIONS),
    )
    assert replied.exists()


def test_the_demo_s_corrections_report_holds_no_bureau_against_its_own_section(loaded):  # noqa: F811
    """A bureau that kept a random share of its sections' orders itself made near-identical
    orders end with the bureau and with its section: noise in the corrections report."""
    from hotline.dispatch import conflicts
    from tests.orders.test_demo_orders import END

    found = conflicts.find(now=END, top=None, similar=0.8)
    pairs = {tuple(entry["units"]) for entry in found["units"]}
    inside = {tuple(sorted((bureau, section.code))) for bureau, section in district.sections()}
    assert found["orders"] > 100 and not pairs & inside


def test_every_section_gets_orders_and_every_bureau_works_some_itself(loaded):  # noqa: F811
    """Every category of the four bureaus went to a section, and two sections' categories had no
    request in the demo: the bureaus' own desks and two sections' desks were empty. A bureau
    works itself what no section takes; every section gets some."""
    orders = WorkOrder.objects.filter(lead_unit__code__in=list(district.BUREAU_SECTIONS))
    for bureau, section in district.sections():
        assert orders.filter(lead_unit__code=bureau, assigned_unit__code=section.code).exists()
    own = []
    for bureau in district.BUREAU_SECTIONS:
        kept_itself = [
            o
            for o in orders.filter(lead_unit__code=bureau, assigned_unit__isnull=True)
            .exclude(state__in=[State.RETURNED, State.CANCELLED, State.MERGED])
            .select_related("category")
            if district.section_for(bureau, o.category.code) is None
        ]
        assert kept_itself, bureau
        own += kept_itself
    # The bureau's own handler replied to them.
    replied = Event.objects.filter(order__in=own, action=Action.REPLY).select_related(
        "actor", "order__lead_unit"
    )
    assert replied and all(e.actor.username == f"unit-{e.order.lead_unit.code}" for e in replied)
