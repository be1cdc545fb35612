"""On the demo a street never saw a 居委会 suggested: its 居委会 kept too few orders for the
model to learn them (five or more per unit), and the streets passed few orders down. The demo's
streets now pass most orders to the 居委会 of the address, and the demo's model learns a unit
from two kept orders: the street is offered its 居委会."""

from __future__ import annotations

from django.db.models import F

from hotline.dispatch import services
from hotline.dispatch.models import DispatchModel
from hotline.orders.models import WorkOrder
from hotline.org import demo_district as district
from hotline.org.models import UnitKind
from tests.orders.test_demo_orders import loaded  # noqa: F401 -- the fixture


def test_the_demo_model_suggests_the_neighbourhood_to_the_street(
    loaded,  # noqa: F811
    settings,
    tmp_path,
    monkeypatch,
):
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(services, "DEMO_MIN_ORDERS", 100)  # the test's district is small

    services.train_demo_models(lambda message: None)

    model = DispatchModel.objects.get(target="unit", active=True)
    loaded_model = services.load_model(model.version)
    learnt = set(loaded_model.classes_)
    neighbourhoods = {
        code
        for code in learnt
        if code
        in set(
            WorkOrder.objects.filter(assigned_unit__kind=UnitKind.NEIGHBOURHOOD).values_list(
                "assigned_unit__code", flat=True
            )
        )
    }
    assert neighbourhoods, "the model learnt no 居委会"
    # A street's order from an address in one of those 居委会: the street is offered it.
    order = (
        WorkOrder.objects.filter(
            lead_unit__kind=UnitKind.STREET,
            community__parent=F("lead_unit"),
            community__code__in=neighbourhoods,
        )
        .order_by("number")
        .first()
    )
    assert order is not None
    suggested = [unit.code for unit, _share in services.suggest_inside(order)]
    assert order.community.code in suggested


def test_the_demo_model_suggests_the_section_to_the_bureau(
    loaded,  # noqa: F811
    settings,
    tmp_path,
    monkeypatch,
):
    """Two-level dispatch in a bureau: the demo's bureaus pass their orders to their sections
    (科室), and a bureau is offered the section for an order from the demo's model."""
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(services, "DEMO_MIN_ORDERS", 100)  # the test's district is small

    services.train_demo_models(lambda message: None)

    learnt = set(
        services.load_model(DispatchModel.objects.get(target="unit", active=True).version).classes_
    )
    sections = {section.code for _bureau, section in district.sections()}
    assert learnt & sections, "the model learnt no section"
    orders = WorkOrder.objects.filter(
        lead_unit__kind=UnitKind.BUREAU, assigned_unit__code__in=learnt & sections
    ).order_by("number")
    offered = [
        order
        for order in orders
        if order.assigned_unit.code in [u.code for u, _share in services.suggest_inside(order)]
    ]
    assert len(offered) >= 0.8 * orders.count()
