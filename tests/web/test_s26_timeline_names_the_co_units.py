"""Dan sent an order to 江宁路街道 with 区民政局 as co-unit, then redispatched it to 区民政局 alone:
the page's header showed only today's co-units, and the timeline's 派单 and 转派 lines did not say
which co-units each named, so nobody could see who was a co-unit when (walk-through, session 26,
L2). Each sending line names its co-units, in the reader's language."""

from __future__ import annotations

import re

from django.urls import reverse

from hotline.orders import actions
from hotline.orders.models import State
from tests.orders.factory import order_in
from tests.web.test_order_pages import page


def _line(html: str, action: str) -> str:
    (found,) = re.findall(rf'<li data-action="{action}">.*?</li>', html, re.S)
    return found


def test_the_dispatch_line_names_its_co_units_and_the_redispatch_line_none(client, district):
    d = district
    order = order_in(State.REGISTERED, d)
    actions.dispatch(order, d.dan, lead_unit=d.street, co_units=[d.bureau])
    order.refresh_from_db()
    actions.redispatch(order, d.dan, lead_unit=d.bureau, reason="属民政职责")
    url = reverse("order_detail", args=[order.number])

    html = page(client, d.dan, url).content.decode()
    assert "协办单位：区民政局" in _line(html, "dispatch")
    assert "协办单位" not in _line(html, "redispatch")
    english = page(client, d.dan, url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Co-units: 区民政局" in _line(english, "dispatch")
