"""Leo (leader) prints the monthly report for the meeting, and Sam the order search's export: every
sheet of every Excel export prints on A4 fitted to one page wide (landscape when wide), the heading
rows on every page, the title and period in the page header and page numbers at the foot, the
headings frozen on screen. Before, no export had a print setup (openpyxl read page_setup all None:
a wide sheet printed its columns over several pages, headings on the first only; walk-through,
session 28, F2). March 2023's story (tests/assessment/conftest.py)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from hotline.assessment import report
from hotline.interchange.tables import write_table
from hotline.ratings import export

pytestmark = pytest.mark.django_db


def _printed(sheet, *, heading_rows: int) -> None:
    setup = sheet.page_setup
    assert str(setup.paperSize) == Worksheet.PAPERSIZE_A4  # 9: A4
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows == f"$1:${heading_rows}"
    assert sheet.oddFooter.center.text == "第&P页，共&N页"


def test_every_sheet_of_the_monthly_report_prints_with_its_headings_and_period(district, march):
    book = load_workbook(io.BytesIO(report.build("2023-03")))
    assert len(book.worksheets) >= 8
    for sheet in book.worksheets:
        _printed(sheet, heading_rows=2)
        assert sheet.freeze_panes == "B3"
        header = sheet.oddHeader.center.text
        assert "2023-03" in header and "2023-03-01" in header and sheet.title in header, header
    # The KPI table is wide: landscape; the appeals (a few columns) too only when wide.
    kpis_sheet = book.worksheets[1]
    assert kpis_sheet.max_column > 6 and kpis_sheet.page_setup.orientation == "landscape"


def test_the_order_search_export_prints_with_its_header_row():
    out = io.BytesIO()
    header = ["工单编号", "标题", "状态", "承办单位", "受理时间", "诉求人", "地址", "分类"]
    write_table(out, "xlsx", header, [["20230309-000001", "噪声扰民"] + [""] * 6], title="工单")
    sheet = load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    _printed(sheet, heading_rows=1)
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.freeze_panes == "A2"
    assert sheet.oddHeader.center.text == "工单"


def test_a_narrow_export_prints_portrait_and_a_literal_ampersand_stays_one():
    out = io.BytesIO()
    write_table(out, "xlsx", ["同义词", "词"], [["A&B", "x"]], title="Q&A")
    sheet = load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    assert sheet.page_setup.orientation == "portrait"
    assert sheet.oddHeader.center.text == "Q&&A"  # "&&" prints one "&"


def test_the_ratings_export_prints_with_its_header_row():
    lines = [
        ["办件编号", "号票", "日期", "大厅", "窗口", "事项", "等级"],
        ["C1", "A001", "", "", 1, "", 5],
    ]
    sheet = load_workbook(io.BytesIO(export.to_xlsx(iter(lines)))).worksheets[0]
    _printed(sheet, heading_rows=1)
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.freeze_panes == "A2"
    assert sheet.oddHeader.center.text == "评价"
