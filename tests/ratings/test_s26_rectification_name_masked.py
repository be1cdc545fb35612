"""The rectification order of a 差评 goes to the hall's own service centre, whose staff the citizen
rated: they see the citizen's name as they see the number, masked (王**), while the centre's
dispatchers see both whole (review, session 25, L13: the phone was masked per role, the name shown
to everyone who saw the order). Other orders' callers stay named to the units that call them."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from hotline.hall.models import Ticket
from hotline.interchange.privacy import contact_for
from hotline.orders import actions as orders
from hotline.orders.models import WorkOrder
from hotline.ratings import actions
from hotline.ratings.models import Channel, Level
from hotline.web.order_search import export_rows
from tests.conftest import at
from tests.ratings.conftest import enrolled_pad

pytestmark = pytest.mark.django_db


def _rated_badly_by_wang(town) -> WorkOrder:
    ticket = town.serve("2023-03-09 10:00")
    Ticket.objects.filter(pk=ticket.pk).update(holder_name="王建国")
    ticket.refresh_from_db()
    with time_machine.travel(at("2023-03-09 10:02"), tick=False):
        rating = actions.rate(
            ticket,
            None,
            level=Level.DISSATISFIED,
            channel=Channel.PAD,
            pad=enrolled_pad(town, town.hall.w1),
            reasons=["waiting"],
            phone="139 1234 5678",
        )
    return rating.order


def _caller_line(user, order: WorkOrder) -> str:
    client = Client()
    client.force_login(user)
    with time_machine.travel(at("2023-03-09 10:30"), tick=False):
        page = client.get(f"/orders/{order.number}/").content.decode()
    line = page[page.index('data-testid="phone"') - 200 : page.index('data-testid="phone"')]
    return line


def test_the_hall_sees_the_name_of_the_citizen_who_rated_it_badly_masked(town):
    order = _rated_badly_by_wang(town)
    rita = town.rita  # a handler of the hall's service centre
    assert "王**" in _caller_line(rita, order)
    assert "王建国" not in _caller_line(rita, order)
    assert contact_for(rita, order).name == "王**"
    _header, rows = export_rows(rita, WorkOrder.objects.filter(pk=order.pk))
    (row,) = list(rows)
    assert "王**" in row and "王建国" not in row


def test_the_centre_sees_it_whole(town):
    order = _rated_badly_by_wang(town)
    dan = town.hall.district.dan  # the centre's dispatcher, who sees numbers whole
    assert "王建国" in _caller_line(dan, order)
    assert contact_for(dan, order).name == "王建国"


def test_an_ordinary_callers_name_stays_whole_for_the_unit(town):
    d = town.hall.district
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        order = orders.register(
            d.olga,
            title="路灯不亮",
            description="江宁路100号门口路灯不亮",
            citizen_name="李四",
            citizen_phone="13912345678",
        )
    assert contact_for(town.rita, order).name == "李四"
