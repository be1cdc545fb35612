"""Dan decides the returns and extension requests of the morning from his desk. Its 退单待审 and
延期申请 tabs listed each order's title and deadline only: why the unit asked, and for how many
days, he read by opening every order. Each row now says it."""

from __future__ import annotations

from django.urls import reverse

from hotline.orders import actions
from hotline.orders.models import State
from tests.orders.factory import order_in
from tests.web.test_order_pages import page


def _row(html: str, number: str) -> str:
    start = html.index(f'<tr data-number="{number}">')
    return html[start : html.index("</tr>", start)]


def test_the_returns_tab_shows_why_the_unit_returned_it(client, district):
    order = order_in(State.RETURNED, district)

    html = page(client, district.dan, reverse("dispatch_desk") + "?tab=returned").content.decode()

    row = _row(html, order.number)
    assert 'data-testid="request-reason"' in row
    assert "理由：路灯属区绿化市容局管理" in row


def test_the_extensions_tab_shows_the_days_asked_for_and_why(client, district):
    order = order_in(State.ACCEPTED, district)
    actions.request_extension(order, district.una, days=3, reason="需协调电力公司更换电缆")

    html = page(client, district.dan, reverse("dispatch_desk") + "?tab=extensions").content.decode()

    row = _row(html, order.number)
    assert "申请延期 3 个工作日" in row
    assert "理由：需协调电力公司更换电缆" in row


def test_the_new_orders_tab_has_no_reason_line(client, district):
    order = order_in(State.REGISTERED, district)

    html = page(client, district.dan, reverse("dispatch_desk")).content.decode()

    assert "request-reason" not in _row(html, order.number)
