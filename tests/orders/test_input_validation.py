"""Bad input to actions is refused with InvalidInput (never a crash) and saves nothing."""

import datetime as dt

import pytest
import time_machine

from hotline.orders import actions
from hotline.orders.models import State, WorkOrder
from hotline.orders.rules import InvalidInput
from tests.conftest import at
from tests.orders.factory import order_in


def test_first_contact_refuses_a_naive_time(district):
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        order = order_in(State.ACCEPTED, district)
        with pytest.raises(InvalidInput):
            actions.first_contact(
                order, district.una, way="phone", contacted_at=dt.datetime(2023, 3, 9, 9, 30)
            )


def test_supervise_refuses_a_naive_due(district):
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        order = order_in(State.ACCEPTED, district)
        with pytest.raises(InvalidInput):
            actions.supervise(order, district.sam, due=dt.datetime(2023, 3, 20, 17, 0))


def test_supervise_bounds_working_days(district):
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        order = order_in(State.ACCEPTED, district)
        with pytest.raises(InvalidInput):
            actions.supervise(order, district.sam, working_days=100_000)


def test_register_refuses_an_invalid_email(district):
    with pytest.raises(InvalidInput):
        actions.register(district.olga, title="t", description="d", citizen_email="not-an-address")
    assert WorkOrder.objects.count() == 0


def test_register_refuses_the_hotline_centre_as_street(district):
    with pytest.raises(InvalidInput):
        actions.register(district.olga, title="t", description="d", street=district.centre)


def test_register_refuses_a_neighbourhood_of_another_street(district):
    with pytest.raises(InvalidInput):
        actions.register(district.olga, title="t", description="d", community=district.bureau)
    order = actions.register(
        district.olga,
        title="t",
        description="d",
        street=district.street,
        community=district.neighbourhood,
    )
    assert order.community == district.neighbourhood
