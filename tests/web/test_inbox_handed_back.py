"""Una's street gets back an order its 居委会 handed up: her inbox said nothing of it, so it sat
in 待签收 like a new dispatch until she opened it. The row says who handed it back."""

from __future__ import annotations

from django.urls import reverse

from hotline.orders import actions
from hotline.orders.models import State
from tests.orders.factory import order_in
from tests.web.test_order_pages import page


def _row(html: str, number: str) -> str:
    start = html.index(f'<tr data-number="{number}">')
    return html[start : html.index("</tr>", start)]


def test_the_street_s_inbox_says_which_neighbourhood_handed_an_order_back(client, district):
    d = district
    order = order_in(State.DISPATCHED, d, inside=d.neighbourhood)
    other = order_in(State.DISPATCHED, d)  # the street's own, never inside
    actions.hand_back(order, d.una_nb, reason="不在本居委会辖区")

    html = page(client, d.una, reverse("unit_inbox")).content.decode()
    assert 'data-testid="handed-back">↩ 由 三和花园居委会 退回上级<' in _row(html, order.number)
    assert "handed-back" not in _row(html, other.number)
    english = page(client, d.una, reverse("unit_inbox"), HTTP_ACCEPT_LANGUAGE="en")
    assert "↩ handed back up by 三和花园居委会<" in english.content.decode()

    # Assigned again: no longer a hand-back.
    actions.assign_inside(order, d.una, unit=d.neighbourhood)
    html = page(client, d.una, reverse("unit_inbox") + "?tab=assigned").content.decode()
    assert "handed-back" not in _row(html, order.number)
