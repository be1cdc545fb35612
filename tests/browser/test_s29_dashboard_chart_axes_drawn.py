"""Leo (leader) sees the dashboard's charts with their axis names and units as ECharts drew them
(walk-through, session 28, h8 F9: no chart said what its axes counted)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.assessment.hall_morning import morning
from tests.hall.conftest import make_hall

pytestmark = pytest.mark.browser

_NAMES = """id => {
  const chart = window.echarts.getInstanceByDom(document.getElementById(id));
  const option = chart.getOption();
  return [option.xAxis[0].name || "", option.yAxis[0].name || ""];
}"""


def test_the_leader_reads_each_charts_axes_and_units(town, open_as):
    morning(make_hall(town.d))
    leo = open_as(town.d.leo)
    leo.goto("/dashboard/?month=2023-03")
    for chart in ("days", "ranking", "hall-wait-dnl", "hall-ratings-dnl"):
        expect(leo.locator(f"#chart-{chart}[data-drawn='1']")).to_have_count(1)
    assert leo.evaluate(_NAMES, "chart-days") == ["日期", "工单量（件）"]
    assert leo.evaluate(_NAMES, "chart-trend") == ["月份", "比率（%）"]
    assert leo.evaluate(_NAMES, "chart-ranking")[0] == "得分（分）"
    assert leo.evaluate(_NAMES, "chart-hall-over") == ["服务中心", "超出服务时限（%）"]
    assert leo.evaluate(_NAMES, "chart-hall-wait-dnl") == ["等候时长（分钟）", "取号（人次）"]
    assert leo.evaluate(_NAMES, "chart-hall-windows-dnl") == ["窗口", "办结量（件）"]
    assert leo.evaluate(_NAMES, "chart-hall-clerks-dnl") == ["工作人员", "办结量（件）"]
    assert leo.evaluate(_NAMES, "chart-hall-ratings-dnl") == ["评价等级", "评价（条）"]
