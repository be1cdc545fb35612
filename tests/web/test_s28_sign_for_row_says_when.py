"""Una signed for an order on Friday: the order page's deadlines said when she contacted the
citizen (已联系 …) and when she replied (已答复 …), but the sign-for row showed its deadline alone,
as if nobody had signed (h5, session 28). It now says when, red when it was late."""

from __future__ import annotations

import re

import time_machine
from django.urls import reverse

from hotline.orders import actions
from hotline.orders.models import State
from tests.conftest import at
from tests.orders.factory import order_in
from tests.web.test_order_pages import page


def _sign_for_row(html: str) -> str:
    start = html.index('<table class="deadlines">')
    return html[start : html.index("</tr>", start)]


def test_the_sign_for_row_says_when_una_signed(client, district):
    d = district
    with time_machine.travel(at("2026-12-04 10:00"), tick=False):  # Friday
        on_time = order_in(State.DISPATCHED, d)
        late = order_in(State.DISPATCHED, d)
    with time_machine.travel(at("2026-12-04 10:30"), tick=False):
        actions.accept(on_time, d.una)
    with time_machine.travel(at("2026-12-09 10:00"), tick=False):  # days after its deadline
        actions.accept(late, d.una)
        row = _sign_for_row(
            page(client, d.una, reverse("order_detail", args=[on_time.number])).content.decode()
        )
        assert re.search(r'class="badge ok" data-testid="signed-for">已签收 12-04 10:30<', row)
        row = _sign_for_row(
            page(client, d.una, reverse("order_detail", args=[late.number])).content.decode()
        )
        assert re.search(r'class="badge bad" data-testid="signed-for">已签收 12-09 10:00<', row)
        english = page(
            client, d.una, reverse("order_detail", args=[on_time.number]), HTTP_ACCEPT_LANGUAGE="en"
        )
        assert "signed for 12-04 10:30" in _sign_for_row(english.content.decode())
