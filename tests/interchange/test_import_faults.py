"""What a broken import file gets instead of a traceback or a silent guess (issue 13, item 15).

A UTF-8 file with one stray byte was read as GB18030 (every Chinese character garbled, and the dry
run said it was valid); a cell over 131,072 characters gave a traceback; a repeated column name was
accepted; an Excel formula read as an empty cell. Each is now refused, naming row and column, and
nothing of the file is registered.
"""

from __future__ import annotations

from openpyxl import Workbook

from hotline.orders.models import WorkOrder
from tests.interchange.conftest import csv_file, run, run_refused
from tests.interchange.test_orders import HEADER, row


def test_a_utf8_file_with_a_stray_byte_is_refused_not_guessed(district, tmp_path):
    path = tmp_path / "orders.csv"
    csv_file(path, [HEADER, row(), row(title="路灯闪烁")])
    data = path.read_bytes().replace(
        "路灯闪烁".encode(), "路灯".encode() + b"\xff" + "闪烁".encode()
    )
    path.write_bytes(data)

    output = run_refused("import_data", "orders", str(path), "--dry-run")

    assert "3" in output and "title (E)" in output and "UTF-8" in output
    assert not WorkOrder.objects.exists()


def test_a_real_gb18030_file_is_still_read(district, tmp_path):
    path = csv_file(tmp_path / "orders.csv", [HEADER, row()], encoding="gb18030")

    output = run("import_data", "orders", path, "--user", "olga")

    assert WorkOrder.objects.get().title == "夜间施工噪声", output


def test_a_cell_over_the_limit_names_its_row(district, tmp_path):
    path = csv_file(tmp_path / "orders.csv", [HEADER, row(), row(description="长" * 131_073)])

    output = run_refused("import_data", "orders", path, "--dry-run")

    assert "row 3" in output or "第 3 行" in output or "3" in output
    assert "131,072" in output
    assert not WorkOrder.objects.exists()


def test_an_excel_cell_over_the_limit_names_row_and_column(district, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(list(HEADER))
    sheet.append(list(row(description="长" * 131_073)))
    path = tmp_path / "orders.xlsx"
    book.save(path)

    output = run_refused("import_data", "orders", str(path), "--dry-run")

    assert "description (F)" in output and "32,767" in output


def test_a_repeated_column_name_is_refused(district, tmp_path):
    path = csv_file(tmp_path / "orders.csv", [(*HEADER, "title"), (*row(), "另一个标题")])

    output = run_refused("import_data", "orders", path, "--dry-run")

    assert "title" in output and "E" in output and "L" in output
    assert not WorkOrder.objects.exists()


def test_an_excel_formula_cell_is_refused_naming_row_and_column(district, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(list(HEADER))
    values = list(row())
    values[HEADER.index("description")] = '=CONCATENATE("夜间", "施工")'
    sheet.append(values)
    path = tmp_path / "orders.xlsx"
    book.save(path)

    output = run_refused("import_data", "orders", str(path), "--user", "olga")

    assert "description (F)" in output and "2" in output
    assert not WorkOrder.objects.exists()


def test_text_that_looks_like_a_formula_but_is_text_is_read(district, tmp_path):
    from hotline.interchange.cell_writer import excel_row

    book = Workbook()
    sheet = book.active
    sheet.append(list(HEADER))
    sheet.append(excel_row(sheet, row(description="=这不是公式，是市民写的文字")))
    path = tmp_path / "orders.xlsx"
    book.save(path)

    run("import_data", "orders", str(path), "--user", "olga")

    assert WorkOrder.objects.get().description == "=这不是公式，是市民写的文字"


def test_a_file_that_is_not_a_workbook_gets_words_not_the_librarys(district, tmp_path):
    """A file named .xlsx that is not one answered 'Not an Excel workbook: File is not a zip
    file' — the library's English inside the Chinese page (h1 saw it importing synonyms; a
    workbook with a chart sheet read "'list' object has no attribute 'find'"). It says what to
    do, in the page's language, and imports nothing."""
    path = tmp_path / "orders.xlsx"
    path.write_text("编号,标题\n1,路灯不亮\n", encoding="utf-8")

    output = run_refused("import_data", "orders", str(path), "--dry-run")

    assert "zip" not in output and "Excel" in output and ".xlsx" in output
    assert not WorkOrder.objects.exists()
