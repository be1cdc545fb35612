"""With assignment inside a unit (二级派单), the model learns the sub-unit that kept the order:
Una's street assigns a complaint to Nina's 居委会, and that 居委会 is the label; an order
handed back up is the street's again."""

from __future__ import annotations

from hotline.dispatch import services
from hotline.orders import actions
from tests.dispatch.history import kept, register

NOISE = "小区楼下广场舞音响太吵，晚上十点后还在跳，影响休息。"


def test_the_sub_unit_that_kept_the_order_is_the_label(district):
    d = district
    assigned = register(d, NOISE)
    actions.dispatch(assigned, d.dan, lead_unit=d.street)
    actions.assign_inside(assigned, d.una, unit=d.neighbourhood, note="请居委会上门劝导")
    kept(assigned)
    kept_by_street = register(d, NOISE)
    actions.dispatch(kept_by_street, d.dan, lead_unit=d.street)
    kept(kept_by_street)

    labels = services.final_units()

    assert labels[assigned.pk] == d.neighbourhood.code
    assert labels[kept_by_street.pk] == d.street.code


def test_an_order_handed_back_up_belongs_to_the_street(district):
    d = district
    order = register(d, NOISE)
    actions.dispatch(order, d.dan, lead_unit=d.street)
    actions.assign_inside(order, d.una, unit=d.neighbourhood)
    actions.hand_back(order, d.nina, reason="不在本居委会辖区")
    kept(order)

    assert services.final_units()[order.pk] == d.street.code


def test_a_redispatch_after_an_assignment_takes_the_new_unit(district):
    d = district
    order = register(d, NOISE)
    actions.dispatch(order, d.dan, lead_unit=d.street)
    actions.assign_inside(order, d.una, unit=d.neighbourhood)
    actions.redispatch(order, d.dan, lead_unit=d.bureau, reason="属民政局职责")
    kept(order)

    assert services.final_units()[order.pk] == d.bureau.code
