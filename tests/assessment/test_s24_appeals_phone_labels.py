"""The appeals list on a phone: its rows stack as cards (app.css), and each cell but the number
carries its column's name, so a lone '是' reads '是否对单位不利 是' (h5, session 24, L9)."""

from __future__ import annotations

import re

from django.urls import reverse

from hotline.orders import actions
from tests.web.test_order_pages import act, page


def _cells(html: str, row: str) -> list[str]:
    found = re.search(rf"<tr{row}.*?</tr>", html, re.S)
    assert found, "no row"
    return re.findall(r"<td([^>]*)>", found.group(0))


def test_each_cell_but_the_number_says_its_column(client, district, march):
    b = march.b
    b.refresh_from_db()
    assert act(client, district.una, b, "appeal", kpi="overdue", reason="停电").status_code == 200
    html = page(client, district.sam, reverse("appeal_queue")).content.decode()
    cells = _cells(html, f' data-number="{b.number}"')
    assert len(cells) == 6 and "data-label" not in cells[0]
    assert [re.search(r'data-label="([^"]+)"', c).group(1) for c in cells[1:]] == [
        "单位",
        "指标",
        "理由",
        "申诉时间",
        "是否对单位不利？",
    ]
    b.refresh_from_db()
    actions.approve_appeal(b, district.sam)
    html = page(client, district.sam, reverse("appeal_queue")).content.decode()
    decided = html.split('data-testid="pending-appeals"')[1].split("</table>")[1]
    cells = _cells(decided, "><td")
    assert len(cells) == 6 and all("data-label" in c for c in cells[1:]), cells
