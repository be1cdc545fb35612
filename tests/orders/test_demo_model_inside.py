"""On the demo a street never saw a 居委会 suggested: its 居委会 kept too few orders for the
model to learn them (five or more per unit), and the streets passed few orders down. The demo's
streets now pass most orders to the 居委会 of the address, and the demo's model learns a unit
from two kept orders: the street is offered its 居委会."""

from __future__ import annotations

from django.db.models import F

from hotline.dispatch import services
from hotline.dispatch.models import DispatchModel
from hotline.orders.models import WorkOrder
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
