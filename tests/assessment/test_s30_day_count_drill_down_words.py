"""Leo (the leader) opens a unit's 工单量 and 超期 from the dashboard: the page lists "计入的工单",
not "计入分母的工单" / "计入分子的工单" — a count has no denominator or numerator (walk-through,
session 30, h6). A rate's drill-down still names its part."""

from __future__ import annotations

import re

from django.urls import reverse

from hotline.assessment import kpis
from tests.web.test_order_pages import page


def _summary(html: str) -> str:
    found = re.search(r'data-testid="drill-summary">(.*?)<strong', html, re.S)
    assert found
    return re.sub(r"\s+", " ", found.group(1)).strip()


def test_leos_volume_and_overdue_drill_downs_list_the_orders_counted(client, district, march):
    leo = district.leo
    response = page(client, leo, reverse("dashboard") + "?month=2023-03")
    row = next(r for r in response.context["rows"] if r["unit"].code == "jnl")

    volume = page(client, leo, row["volume_url"]).content.decode()
    assert _summary(volume).endswith("计入的工单：")
    overdue = page(client, leo, row["overdue_url"]).content.decode()
    assert _summary(overdue).endswith("计入的工单：")

    cell = next(c for c in row["cells"] if c["kpi"] == kpis.FIRST_CONTACT)
    rate = page(client, leo, cell["denominator_url"]).content.decode()
    assert _summary(rate).endswith("计入分母的工单：")
