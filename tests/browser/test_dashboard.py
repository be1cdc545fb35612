"""Leo (leader) reads the dashboard and drills into a number; Sam (supervisor) draws a sample and
reviews an order; the month's Excel report downloads. All with the production CSP on."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from hotline import clock
from hotline.assessment.models import ReviewCriterion, SampleReview
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def watch_console(page) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" or "Content Security Policy" in m.text
            else None
        ),
    )
    return problems


def test_the_leader_sees_charts_and_drills_into_a_kpi(town, open_as):
    leo = open_as(town.d.leo)
    problems = watch_console(leo)
    # The last 30 days, not "this month": the town's orders are hours to weeks old, whatever
    # the day of the month the test runs on.
    today = clock.local_now().date()
    leo.goto(f"/dashboard/?from={today - dt.timedelta(days=30)}&to={today}")
    for chart in ("days", "mix", "trend", "ranking"):
        expect(leo.locator(f"#chart-{chart}[data-drawn='1'] canvas").first).to_be_visible()
    row = leo.locator("table.kpi-table tr[data-unit='jnl']")
    expect(row).to_be_visible()
    volume_link = row.locator("a[data-kpi='volume']")
    volume = int(volume_link.inner_text())
    assert volume >= 3  # the town's orders dispatched to the street
    expect(leo.get_by_test_id("hotspots-panel")).to_be_visible()  # loaded after the page
    screenshot(leo, "dashboard", full_page=True)

    with leo.expect_navigation():
        volume_link.click()
    expect(leo.get_by_test_id("drill-count")).to_have_text(str(volume))
    assert leo.locator("table.orders tr[data-number]").count() == volume
    assert not problems, problems


def test_the_leader_sorts_the_table_reads_definitions_and_switches_months(town, open_as):
    leo = open_as(town.d.leo)
    problems = watch_console(leo)
    leo.goto("/dashboard/")
    # It opens on the last complete month; this month so far is one click away.
    today = clock.local_now().date()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    expect(leo.locator("select[name=month]")).to_have_value(last_month)
    with leo.expect_navigation():
        leo.get_by_test_id("month-to-date").click()
    expect(leo.locator("select[name=month]")).to_have_value(today.strftime("%Y-%m"))
    expect(leo.get_by_test_id("last-month")).to_be_visible()

    # Rates read as percentages beside their counts; a heading click sorts by that column.
    volume_head = leo.locator("table.kpi-table thead th").nth(2).locator("button")
    volume_head.click()
    expect(leo.locator("table.kpi-table thead th").nth(2)).to_have_attribute(
        "aria-sort", "descending"
    )
    volumes = [
        int(v or 0)
        for v in leo.locator("table.kpi-table tbody tr td:nth-child(3)").evaluate_all(
            "cells => cells.map(c => c.dataset.value)"
        )
    ]
    assert volumes == sorted(volumes, reverse=True) and volumes[0] >= 1
    volume_head.click()
    expect(leo.locator("table.kpi-table thead th").nth(2)).to_have_attribute(
        "aria-sort", "ascending"
    )
    first_row = leo.locator("table.kpi-table tbody tr").first
    assert int(first_row.locator("td").nth(2).get_attribute("data-value") or 0) == min(volumes)
    street = leo.locator("table.kpi-table tr[data-unit='jnl'] td[data-kpi='sign_for'] strong")
    expect(street).to_have_text(re.compile(r"^\d+\.\d%$"))

    with leo.expect_navigation():
        leo.get_by_test_id("kpi-definitions-link").click()
    expect(leo.get_by_test_id("kpi-definitions")).to_be_visible()
    expect(leo.locator("tr[data-kpi='first_contact']")).to_contain_text("先行联系时限")
    expect(leo.get_by_test_id("kpi-example")).to_be_visible()
    assert not problems, problems


def test_the_monthly_report_downloads_as_a_workbook(town, open_as):
    leo = open_as(town.d.leo)
    leo.goto("/dashboard/")
    with leo.expect_download() as download:
        leo.get_by_test_id("report-download").click()
    path = download.value.path()
    book = load_workbook(io.BytesIO(Path(path).read_bytes()))  # the download has no .xlsx name
    assert book.sheetnames == [
        "排名",
        "考核指标",
        "超期",
        "抽查点评",
        "申诉",
        "服务大厅",
        "窗口与人员办结量",
        "办件与好差评",
    ]


def test_a_supervisor_draws_a_sample_and_reviews_an_order(town, open_as):
    ReviewCriterion.objects.create(name="答复针对诉求", max_points=50, sort_order=1)
    ReviewCriterion.objects.create(name="办理时效", max_points=50, sort_order=2)
    sam = open_as(town.d.sam)
    problems = watch_console(sam)
    sam.goto("/assessment/samples/")
    form = sam.get_by_test_id("draw-form")
    form.locator("input[name=size]").fill("3")
    form.locator("select[name=strategy]").select_option("simple")
    form.locator("input[name=seed]").fill("20230331")
    with sam.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(sam.get_by_test_id("seed")).to_have_text("20230331")
    items = sam.locator("section.sample-item")
    expect(items.first).to_be_visible()
    first = items.first
    first.locator("summary").click()
    inputs = first.locator("input[type=number]")
    inputs.nth(0).fill("20")
    inputs.nth(1).fill("30")
    first.locator("textarea[name=comment]").fill("答复未回应核心诉求")
    with sam.expect_navigation():
        first.locator("button[type=submit]").click()
    expect(sam.get_by_test_id("review-score").first).to_contain_text("50.00")
    assert SampleReview.objects.get().comment == "答复未回应核心诉求"
    # Reviewing again: the citizen's request and the unit's reply sit beside the rubric.
    items.first.locator("summary").click()
    expect(items.first.get_by_test_id("review-case")).to_be_visible()
    screenshot(sam, "sample-review")
    assert not problems, problems
