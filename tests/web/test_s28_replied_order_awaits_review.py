"""Una's street replied to an order: it waits in her inbox's 等待中心处理 tab (session 28, h6).

The row's badge said 「已办结」, the word of the next tab (已办结（30 天内）), which lists the
orders the centre has approved or archived: Una could take the order for finished when the
centre had not yet reviewed (审核) the reply (答复). The state's name is now the glossary's:
replied, awaiting review.
"""

from __future__ import annotations

from django.urls import reverse

from hotline.orders.models import State
from tests.orders.factory import order_in
from tests.web.test_order_pages import page


def _row(html: str, number: str) -> str:
    start = html.index(f'<tr data-number="{number}">')
    return html[start : html.index("</tr>", start)]


def test_a_replied_order_waits_for_the_centres_review_in_the_unit_inbox(client, district):
    d = district
    replied = order_in(State.REPLIED, d)
    url = reverse("unit_inbox") + "?tab=waiting"

    row = _row(page(client, d.una, url).content.decode(), replied.number)
    english = _row(
        page(client, d.una, url, HTTP_ACCEPT_LANGUAGE="en").content.decode(), replied.number
    )

    assert "已答复，待审核" in row and "已办结" not in row
    assert "Replied, awaiting review" in english
