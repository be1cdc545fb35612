"""Victor's bureau 区民政局 is a co-unit (协办) of orders Una's street leads (session 27, h9).

A co-unit could open such an order but its inbox listed none: its staff learned of it only if
someone phoned them. The inbox has a 协办 tab, counted like the others, listing the open orders
the unit co-handles with the lead unit and the reply deadline; on the order Victor writes a
note (the comment form), which the street is told of.
"""

from __future__ import annotations

from django.urls import reverse

from hotline.orders import actions
from hotline.orders.models import State
from tests.orders.factory import order_in
from tests.web.test_order_pages import page


def _row(html: str, number: str) -> str:
    start = html.index(f'<tr data-number="{number}">')
    return html[start : html.index("</tr>", start)]


def _inbox(client, user, tab: str = "", **headers) -> str:
    url = reverse("unit_inbox") + (f"?tab={tab}" if tab else "")
    return page(client, user, url, **headers).content.decode()


def test_the_co_units_inbox_lists_its_open_orders_with_the_lead_unit(client, district):
    d = district
    handling = order_in(State.ACCEPTED, d, co_units=(d.bureau,))
    replied = order_in(State.REPLIED, d, co_units=(d.bureau,))
    closed = order_in(State.CLOSED, d, co_units=(d.bureau,))
    not_ours = order_in(State.ACCEPTED, d)

    html = _inbox(client, d.victor, "co_handling")

    assert 'data-tab="co_handling"' in html
    assert '协办 <span class="count" id="count-co_handling">2</span>' in html
    row = _row(html, handling.number)
    assert 'data-label="主办单位">江宁路街道<' in row
    assert 'data-label="时限"><span class="badge ok"' in row  # the reply deadline
    assert "剩余 " in row
    assert replied.number in html
    assert closed.number not in html
    assert not_ours.number not in html
    english = _inbox(client, d.victor, "co_handling", HTTP_ACCEPT_LANGUAGE="en")
    assert 'Co-handling <span class="count" id="count-co_handling">2</span>' in english


def test_the_lead_units_inbox_does_not_list_its_own_orders_as_co_handled(client, district):
    d = district
    order_in(State.ACCEPTED, d, co_units=(d.bureau,))

    html = _inbox(client, d.una, "co_handling")

    assert 'id="count-co_handling">0</span>' in html


def test_a_co_unit_dropped_by_a_redispatch_no_longer_lists_the_order(client, district):
    d = district
    order = order_in(State.ACCEPTED, d, co_units=(d.bureau,))
    actions.redispatch(order, d.dan, lead_unit=d.bureau, reason="属民政局职责")
    actions.redispatch(order, d.dan, lead_unit=d.street, reason="属地管理")

    assert 'id="count-co_handling">0</span>' in _inbox(client, d.victor, "co_handling")


def test_the_co_unit_writes_a_note_on_the_order_page(client, district):
    d = district
    order = order_in(State.ACCEPTED, d, co_units=(d.bureau,))

    html = page(client, d.victor, reverse("order_detail", args=[order.number])).content.decode()

    assert "comment-form" in html  # its one step on the order: a note the street is told of
