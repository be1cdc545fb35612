"""Una's street follows the orders it assigned inside (二级派单) in its 已二级派单 tab. That tab
showed every row's reply deadline, also for an order the 居委会 had not signed for yet: the
bureau saw '5 d left' for an order its section had '1 d left' to sign for (and '14 h overdue'
where the section's own inbox said '2 d overdue'). The row shows the deadline the sub-unit is
working to, as the sub-unit's own inbox does: signing for, then the reply."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse

from hotline.orders.models import State
from tests.orders.factory import order_in
from tests.web.test_order_pages import page


def _row(html: str, number: str) -> str:
    start = html.index(f'<tr data-number="{number}">')
    return html[start : html.index("</tr>", start)]


def _due(row: str) -> dt.datetime:
    """The deadline a row's badge stands for (the badge's title is the deadline itself)."""
    found = re.search(r'<span class="badge [^"]*" title="([^"]+)">', row)
    assert found, row
    return dt.datetime.fromisoformat(found.group(1))


def test_the_street_sees_the_sign_for_deadline_of_an_order_its_neighbourhood_has_not_signed(
    client, district
):
    d = district
    waiting = order_in(State.DISPATCHED, d, inside=d.neighbourhood)
    handling = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    assert waiting.accept_due < waiting.reply_due

    html = page(client, d.una, reverse("unit_inbox") + "?tab=assigned").content.decode()
    assert _due(_row(html, waiting.number)) == waiting.accept_due
    assert _due(_row(html, handling.number)) == handling.reply_due
    # Which deadline it is, where it is not the reply's.
    assert 'data-testid="due-step">签收<' in _row(html, waiting.number)
    assert "due-step" not in _row(html, handling.number)

    # The same deadline as in the 居委会's own 待签收 tab.
    nina = page(client, d.una_nb, reverse("unit_inbox") + "?tab=to_accept").content.decode()
    assert _due(_row(nina, waiting.number)) == waiting.accept_due


def test_the_assigned_tab_lists_the_most_pressing_deadline_first(client, district):
    d = district
    handling = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    waiting = order_in(State.DISPATCHED, d, inside=d.neighbourhood)
    # Signing for falls due before the earlier order's reply: it comes first.
    assert waiting.accept_due < handling.reply_due

    html = page(client, d.una, reverse("unit_inbox") + "?tab=assigned").content.decode()
    assert html.index(f'data-number="{waiting.number}"') < html.index(
        f'data-number="{handling.number}"'
    )
