"""One cell writer for every spreadsheet and CSV file the product emits (issue 13, items 3 and 4).

A title or a review comment that looks like a formula stays text in the monthly report and the
sampling CSV, as it already did in export-data; control characters that older data may still
hold (openpyxl refuses them) no longer stop an export or the month's report; a failed export
never leaves a truncated file behind.
"""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hotline.assessment import sampling
from hotline.assessment.models import ReviewCriterion
from hotline.interchange.cell_writer import atomic_output, csv_cell, excel_cell
from hotline.interchange.tables import write_table
from hotline.orders.models import WorkOrder
from tests.assessment.conftest import march_story
from tests.conftest import at
from tests.interchange.conftest import run
from tests.orders.factory import new_order
from tests.web.test_order_pages import page


@pytest.fixture
def march(district):
    return march_story(district)


LINK = '=HYPERLINK("http://example.invalid","点击查看")'


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+86 139", "'+86 139"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("路灯\x00不亮\x0b", "路灯不亮"),
        ("\x01=1", "'=1"),  # a control character cannot hide a formula
        ("换行\n保留\t制表", "换行\n保留\t制表"),
    ],
)
def test_a_csv_cell_is_never_a_formula_nor_a_control_character(typed, written):
    assert csv_cell(typed) == written


def test_an_excel_cell_is_text_and_loses_control_characters():
    from openpyxl import Workbook

    sheet = Workbook().active
    cell = excel_cell(sheet, "\x00" + LINK)
    assert (cell.value, cell.data_type) == (LINK, "s")
    assert excel_cell(sheet, "路灯\x01不亮") == "路灯不亮"
    assert excel_cell(sheet, 3) == 3


def test_the_monthly_report_writes_titles_and_comments_as_text(client, district, march):
    # Written before the input boundaries stripped controls: the report must still build.
    WorkOrder.objects.filter(pk=march.b.pk).update(title=LINK + "\x0b")
    criterion = ReviewCriterion.objects.create(name="答复质量", max_points=10)
    draw = sampling.draw(district.sam, size=1, seed=1, now=at("2023-03-31 09:00"))
    sampling.review(
        draw.items.get(),
        district.sam,
        points={criterion.pk: 5},
        comment="=cmd|' /C calc'!A0",
        now=at("2023-03-31 10:00"),
    )

    response = page(client, district.leo, reverse("monthly_report") + "?month=2023-03")

    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    overdue = book.worksheets[2]
    title = overdue.cell(row=3, column=2)
    assert (title.value, title.data_type) == (LINK, "s")
    comment = book.worksheets[3].cell(row=3, column=9)
    assert (comment.value, comment.data_type) == ("=cmd|' /C calc'!A0", "s")


def test_the_sampling_csv_writes_a_formula_comment_as_text(client, district, march):
    criterion = ReviewCriterion.objects.create(name="答复质量", max_points=10)
    draw = sampling.draw(district.sam, size=1, seed=1, now=at("2023-03-31 09:00"))
    sampling.review(
        draw.items.get(), district.sam, points={criterion.pk: 5}, comment=LINK, now=at("2023-03-31")
    )

    response = page(client, district.sam, reverse("sample_csv", args=[draw.pk]))

    text = response.content.decode("utf-8-sig")
    assert "'" + LINK.replace('"', '""') in text
    assert "\n" + LINK not in text and "," + LINK not in text


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_an_export_with_control_characters_completes(district, tmp_path, suffix):
    order = new_order(district)
    WorkOrder.objects.filter(pk=order.pk).update(description="夜里\x01施工\x0b噪声")
    out = tmp_path / f"orders.{suffix}"

    run("export_data", "orders", "--out", str(out))

    if suffix == "xlsx":
        sheet = load_workbook(out).worksheets[0]
        column = [c.value for c in sheet[1]].index("description") + 1
        assert sheet.cell(row=2, column=column).value == "夜里施工噪声"
    else:
        assert "夜里施工噪声" in out.read_text(encoding="utf-8-sig")
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def test_a_failed_export_leaves_the_previous_file_and_no_fragment(tmp_path):
    out = tmp_path / "orders.xlsx"
    out.write_bytes(b"last month's export")

    with pytest.raises(RuntimeError), atomic_output(out) as target:
        target.write(b"half a workbo")
        raise RuntimeError("disk full")

    assert out.read_bytes() == b"last month's export"
    assert [p.name for p in tmp_path.iterdir()] == ["orders.xlsx"]


def test_a_text_longer_than_an_excel_cell_says_it_was_cut_and_is_not_read_back_as_whole():
    """openpyxl cuts a cell over 32,767 characters without a word; an exported description that
    long (a CSV import takes up to 131,072) looked whole in the workbook. Now the cell ends in a
    note with the full length, and the import reader still refuses it as cut."""
    from hotline.interchange.tables import TableError, read_table

    text = "长" * 40_000
    out = io.BytesIO()
    write_table(out, "xlsx", ["description"], [[text], ["short"]], title="orders")
    sheet = load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    cut = sheet["A2"].value
    assert len(cut) == 32_767
    assert cut.startswith("长" * 32_000)
    assert "40,000" in cut[-80:]
    assert sheet["A3"].value == "short"
    with pytest.raises(TableError, match="32,767"):
        read_table(io.BytesIO(out.getvalue()), "xlsx")
