"""A workbook's texts and cells answer to its sheet (session 27, h5; 890f6a4 left 640,000 shared
strings through for a 20,000-row import: a 39 KB upload, 6 s and 100 MB before the first row).

A spreadsheet program writes only the texts its cells use, so a table of texts far beyond the
first sheet's text cells is refused before openpyxl reads it; so is one row of thousands of cells
(openpyxl builds a row of all its cells: one row of 3 million empty cells, a 64 KB upload, took
13 s and 2 GB), and a cell naming a text the table does not hold is a broken file, not a crash.
The workbooks are written by hand, as an attacker would."""

from __future__ import annotations

import io

import pytest

from hotline.interchange import tables
from hotline.interchange.tables import TableError, read_table
from hotline.kb import synonym_interchange
from tests.interchange import test_s25_workbook_amplification as amp

_SST = (
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)


@pytest.fixture(autouse=True)
def _strings_part_declared(monkeypatch):
    # Declared, so that openpyxl reads the table (as it would from Excel's own files).
    parts = dict(amp._PARTS)
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace("</Types>", _SST)
    monkeypatch.setattr(amp, "_PARTS", parts)


def _strings(texts: list[str]) -> bytes:
    body = "".join(f"<si><t>{t}</t></si>" for t in texts)
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    return f'<sst xmlns="{ns}" uniqueCount="{len(texts)}">{body}</sst>'.encode()


def _text(ref: str, index: int) -> str:
    return f'<c r="{ref}" t="s"><v>{index}</v></c>'


def _never(*args, **kwargs):  # type: ignore[no-untyped-def]
    raise AssertionError("openpyxl was asked to read it")


def test_a_table_of_texts_no_cell_uses_is_refused_unread(monkeypatch):
    # 30,000 texts fit 32 a row of a 20,000-row import; the sheet uses two of them.
    source = amp._workbook(
        "A1:A2",
        {1: _text("A1", 0), 2: _text("A2", 1)},
        extra={"xl/sharedStrings.xml": _strings(["terms", "居住证"] + ["abcdefgh"] * 29_998)},
    )
    monkeypatch.setattr("openpyxl.load_workbook", _never)
    with pytest.raises(TableError) as refused:
        read_table(source, "xlsx", max_rows=20_000)
    assert "30,000" in str(refused.value)


def test_a_sheet_whose_cells_use_its_texts_reads_as_before():
    rows = {1: _text("A1", 0) + _text("B1", 1)}
    texts = ["terms", "note"]
    for n in range(2, 1_502):
        rows[n] = _text(f"A{n}", len(texts)) + _text(f"B{n}", len(texts) + 1)
        texts += [f"词{n}", f"注{n}"]
    source = amp._workbook("A1:B1501", rows, extra={"xl/sharedStrings.xml": _strings(texts)})
    table = read_table(source, "xlsx", max_rows=1_500)
    assert len(table.rows) == 1_500
    assert table.rows[-1] == (1_501, {"terms": "词1501", "note": "注1501"})


def test_a_narrow_import_holds_fewer_texts_a_row():
    rows = {1: _text("A1", 0)}
    texts = ["terms"]
    for n in range(2, 1_202):
        rows[n] = "".join(_text(f"{c}{n}", len(texts) + i) for i, c in enumerate("ABC"))
        texts += [f"{c}{n}" for c in "ABC"]
    data = amp._workbook("A1:C1201", rows, extra={"xl/sharedStrings.xml": _strings(texts)})
    assert len(read_table(io.BytesIO(data.getvalue()), "xlsx", max_rows=1_200).rows) == 1_200
    with pytest.raises(TableError):
        read_table(io.BytesIO(data.getvalue()), "xlsx", max_rows=1_200, strings_per_row=2)


def test_one_row_of_thousands_of_cells_is_refused_unread(monkeypatch):
    wide = '<c r="A2"/>' * (tables.MAX_CELLS_PER_ROW + 1)
    source = amp._workbook("A1:A2", {1: amp._cell("A1", "terms"), 2: wide})
    monkeypatch.setattr("openpyxl.load_workbook", _never)
    with pytest.raises(TableError) as refused:
        read_table(source, "xlsx", max_rows=20_000)
    assert f"{tables.MAX_CELLS_PER_ROW + 1:,}" in str(refused.value)


def test_a_row_as_wide_as_the_cap_reads():
    wide = amp._cell("A2", "居住证") + '<c r="B2"/>' * (tables.MAX_CELLS_PER_ROW - 1)
    source = amp._workbook(
        "A1:A2",
        {1: amp._cell("A1", "terms"), 2: wide},
        extra={"xl/sharedStrings.xml": _strings([])},
    )
    assert read_table(source, "xlsx", max_rows=10).rows == [(2, {"terms": "居住证"})]


def test_a_cell_naming_a_text_the_table_lacks_is_a_broken_file():
    source = amp._workbook(
        "A1:A2",
        {1: _text("A1", 0), 2: _text("A2", 7)},
        extra={"xl/sharedStrings.xml": _strings(["terms"])},
    )
    with pytest.raises(TableError) as refused:
        read_table(source, "xlsx", max_rows=10)
    assert ".xlsx" in str(refused.value)


@pytest.mark.django_db
def test_the_synonyms_list_takes_a_list_not_a_catalogue():
    text = "terms,one_way\n" + "".join(f"词{n}/同{n},no\n" for n in range(2_001))
    with pytest.raises(TableError):
        synonym_interchange.import_groups(io.BytesIO(text.encode()), "csv", actor=None)
