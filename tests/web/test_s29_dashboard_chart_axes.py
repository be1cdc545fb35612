"""Leo (leader) reads the dashboard's charts: every axis says what it counts and in which unit
(件, 人次, 分钟, 条, %), in Chinese and in English, and the hall table's two estimate numbers say
which is which. Before, 每日工单量, the wait distribution, the throughput per window and clerk
and the 好差评 chart had no axis names at all, and "3.4 / 12.8" under 预计等候误差（分钟）did
not say that the second number is the mean wait (walk-through, session 28, h8 F9).

March 2023 with 大宁路街道's hall morning (tests/assessment/hall_morning.py)."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from tests.assessment.hall_morning import morning
from tests.hall.conftest import make_hall
from tests.web.test_order_pages import page

pytestmark = pytest.mark.django_db

URL = reverse("dashboard") + "?month=2023-03"


@pytest.fixture
def centre(district):
    town = make_hall(district)
    morning(town)
    return town


def _charts(html: str, source: str) -> dict:
    found = re.search(rf'<script id="{source}" type="application/json">(.*?)</script>', html, re.S)
    assert found, source
    return json.loads(found.group(1))


def _axes(client, user, **headers) -> tuple[dict, dict, str]:
    html = page(client, user, URL, **headers).content.decode()
    return (
        _charts(html, "dashboard-data")["axes"],
        _charts(html, "hall-dashboard-data")["axes"],
        html,
    )


def test_every_chart_axis_names_its_unit_in_chinese(client, district, centre):
    axes, hall_axes, html = _axes(client, district.leo)
    assert axes["days"] == {"x": "日期", "y": "工单量（件）"}
    assert axes["trend"]["y"] == "比率（%）"
    assert axes["ranking"]["x"] == "得分（分）"
    assert hall_axes["wait"] == {"x": "等候时长（分钟）", "y": "取号（人次）"}
    assert hall_axes["windows"]["y"] == hall_axes["clerks"]["y"] == "办结量（件）"
    assert hall_axes["ratings"]["y"] == "评价（条）"
    assert hall_axes["over"]["y"] == "超出服务时限（%）"
    # Each chart the page draws has its axis names (hall-dashboard.js picks them by these keys).
    assert {"over", "wait", "windows", "clerks", "ratings"} <= set(hall_axes)
    assert "预计等候误差 / 至首次叫号平均等候（分钟）" in html
    assert re.search(
        r'title="号票上显示的预计等候平均相差[\d.]+分钟；至首次叫号平均等候[\d.]+分钟。"', html
    )


def test_every_chart_axis_names_its_unit_in_english(client, district, centre):
    axes, hall_axes, html = _axes(client, district.leo, HTTP_ACCEPT_LANGUAGE="en")
    assert axes["days"] == {"x": "Day", "y": "Orders (count)"}
    assert hall_axes["wait"] == {"x": "Wait (minutes)", "y": "Tickets (people)"}
    assert hall_axes["ratings"]["y"] == "Ratings (count)"
    assert "Estimate error / mean wait to the first call (min)" in html
