"""What was done says where the order went (walk-through, session 30, h6).

Dan's 派单 said only "派单：已完成。" and Una's 二级派单 "二级派单：已完成。": the dispatcher looked
for the lead unit on the page, the street for the 居委会 in the timeline, while a 居委会's hand-back
already said "工单 … 现由江宁路街道办理。". Now every action that sends the order to a unit says
which; the others still say only that they were done."""

from __future__ import annotations

import re

from hotline.orders.models import State
from tests.orders.factory import order_in
from tests.web.test_order_pages import act


def _flash(response) -> str:
    found = re.search(r'class="flash"[^>]*>(.*?)<', response.content.decode(), re.S)
    assert found, "no confirmation on the panel"
    return found.group(1).strip()


def test_dans_dispatch_names_the_lead_unit(client, district):
    d = district
    order = order_in(State.REGISTERED, d)
    response = act(client, d.dan, order, "dispatch", lead_unit=d.bureau.pk)
    assert response.status_code == 200
    assert _flash(response) == f"派单：已完成。工单 {order.number} 现由区民政局办理。"


def test_unas_assignment_inside_names_the_neighbourhood_committee(client, district):
    d = district
    order = order_in(State.ACCEPTED, d)
    response = act(client, d.una, order, "assign_inside", unit=d.neighbourhood.pk)
    assert response.status_code == 200
    assert _flash(response) == f"二级派单：已完成。工单 {order.number} 现由三和花园居委会办理。"


def test_dans_refused_return_names_the_unit_that_keeps_it(client, district):
    d = district
    order = order_in(State.RETURNED, d)
    response = act(client, d.dan, order, "reject_return", reason="路灯属街道管理，请继续办理。")
    assert response.status_code == 200
    assert _flash(response) == f"驳回退单：已完成。工单 {order.number} 现由江宁路街道办理。"


def test_an_action_that_moves_nothing_says_only_that_it_was_done(client, district):
    d = district
    order = order_in(State.DISPATCHED, d)
    response = act(client, d.una, order, "accept")
    assert _flash(response) == "签收：已完成。"
