"""Leo (leader) reads the dashboard's service-hall section for March 2023: the hall's figures and
score, its cases and ratings, and its charts drawn by ECharts under the production CSP."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.assessment.hall_morning import morning
from tests.browser.conftest import SCREENSHOTS
from tests.hall.conftest import make_hall

pytestmark = pytest.mark.browser


def test_the_leader_reads_the_hall_figures_and_charts(town, open_as):
    centre = make_hall(town.d)
    morning(centre)
    leo = open_as(town.d.leo)
    leo.goto("/dashboard/?month=2023-03")
    section = leo.get_by_test_id("hall-section")
    row = section.locator("tr[data-hall='dnl']")
    expect(row.locator("[data-figure='issued']")).to_have_text("5")
    expect(row.locator("[data-figure='mean-wait']")).to_have_text("22.0")
    expect(row.locator("[data-figure='over']")).to_contain_text("50.0%")
    # The service level's note takes full-width brackets in zh-Hans (GB/T 15834).
    expect(row.locator("[data-figure='over']")).to_contain_text("（超过")
    # Its three cases were never concluded: 0 of 3 on time weighs in (docs/kpis.md).
    expect(row.locator("[data-figure='score']")).to_have_text("43.00")
    cases = leo.get_by_test_id("hall-cases").locator("tr[data-hall='dnl']")
    expect(cases.locator("[data-figure='case-on-time']")).to_contain_text("0.0%")
    expect(cases.locator("[data-figure='case-on-time']")).to_contain_text("0/3")
    expect(cases.locator("[data-figure='one-visit']")).to_have_text("—")
    header = leo.get_by_test_id("hall-cases-table").locator("thead")
    for label in ("办件按时办结率", "一次办成率", "好评率", "差评按时整改", "网上预审使用率"):
        expect(header).to_contain_text(label)
    drawn = (
        "hall-over",
        "hall-wait-dnl",
        "hall-windows-dnl",
        "hall-clerks-dnl",
        "hall-ratings-dnl",
    )
    for chart in drawn:
        expect(leo.locator(f"#chart-{chart}[data-drawn='1'] canvas").first).to_be_visible()
    # The centre is scored in the hall section, not as a row of the hotline KPI table.
    kpi_rows = leo.locator("table[data-testid='kpi-table'] tr[data-unit='dnl-centre']")
    expect(kpi_rows).to_have_count(0)

    leo.evaluate("document.fonts.ready.then(() => true)")
    top = section.bounding_box()
    charts = leo.get_by_test_id("hall-charts").bounding_box()
    assert top is not None and charts is not None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    leo.screenshot(
        path=str(SCREENSHOTS / "dashboard-halls.png"),
        full_page=True,
        animations="disabled",
        clip={
            "x": 0,
            "y": top["y"] - 8,
            "width": leo.viewport_size["width"],
            "height": charts["y"] + charts["height"] - top["y"] + 16,
        },
    )
