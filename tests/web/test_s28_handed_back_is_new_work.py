"""Nina's 居委会 hands an order back up to Una's street after the street signed for it: Una's
badge stayed as it was, her inbox opened on 待签收 and the order sat among the rest of 办理中, its
reason only inside the order (h5, session 28). Now the badge counts it until someone of the street
acts on it, and the row says why it came back."""

from __future__ import annotations

from django.urls import reverse

from hotline.orders import actions
from hotline.orders.models import State
from tests.orders.factory import order_in
from tests.web.test_desk_refresh import _badge, _badges
from tests.web.test_order_pages import page


def _row(html: str, number: str) -> str:
    start = html.index(f'<tr data-number="{number}">')
    return html[start : html.index("</tr>", start)]


def test_una_is_told_of_an_order_nina_handed_back_until_she_acts_on_it(client, district):
    d = district
    order = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    order_in(State.ACCEPTED, d)  # the street's own, nothing new
    client.force_login(d.una)
    assert _badge(_badges(client), "unit_inbox") == "0"

    actions.hand_back(order, d.una_nb, reason="电梯属物业维保，需街道房管办协调。")
    assert _badge(_badges(client), "unit_inbox") == "1"
    html = page(client, d.una, reverse("unit_inbox") + "?tab=handling").content.decode()
    row = _row(html, order.number)
    assert "↩ 由 三和花园居委会 退回上级" in row
    assert 'data-testid="hand-back-reason">理由：电梯属物业维保，需街道房管办协调。<' in row

    order.refresh_from_db()
    actions.comment(order, d.una, text="已转房管办，明天上门。")
    client.force_login(d.una)
    assert _badge(_badges(client), "unit_inbox") == "0"


def test_a_hand_back_before_signing_for_is_counted_once(client, district):
    d = district
    order = order_in(State.DISPATCHED, d, inside=d.neighbourhood)
    actions.hand_back(order, d.una_nb, reason="不在本居委会辖区。")
    client.force_login(d.una)
    # In 待签收 (counted there), not counted again as new work in 办理中.
    assert _badge(_badges(client), "unit_inbox") == "1"
