"""A small workbook cannot make a long read (attack, session 25, finding 1).

openpyxl's read-only sheet pads every row to the sheet's declared <dimension>: a 1.5 KB upload
declaring A1:XFD1048576 was read as 1,048,576 rows of 16,384 cells, a server thread busy for
hours on the admin's catalogue import page. The workbooks here are written by hand, as an
attacker would, not by openpyxl."""

from __future__ import annotations

import io
import zipfile

import pytest

from hotline.interchange import tables
from hotline.interchange.tables import TableError, read_table

_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.'
        'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType='
        '"application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
        'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument'
        '/2006/relationships"><sheets><sheet name="matters" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target='
        '"worksheets/sheet1.xml"/></Relationships>'
    ),
}


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _workbook(
    dimension: str, rows: dict[int, str], extra: dict[str, bytes] | None = None
) -> io.BytesIO:
    body = "".join(f'<row r="{n}">{cells}</row>' for n, cells in sorted(rows.items()))
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.'
        f'org/spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>{body}'
        "</sheetData></worksheet>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    out.seek(0)
    return out


def test_a_declared_dimension_does_not_pad_the_rows(monkeypatch):
    widest: list[int] = []
    checked = tables._checked

    def spy(number, values, *args, **kwargs):  # type: ignore[no-untyped-def]
        widest.append(len(values))
        return checked(number, values, *args, **kwargs)

    monkeypatch.setattr(tables, "_checked", spy)
    source = _workbook(
        "A1:XFD40",
        {
            1: _cell("A1", "code") + _cell("B1", "name"),
            2: _cell("A2", "M1") + _cell("B2", "居住证"),
        },
    )
    table = read_table(source, "xlsx", max_rows=100)
    assert table.header == ["code", "name"]
    assert table.rows == [(2, {"code": "M1", "name": "居住证"})]
    # Before: every row read padded to the declared 16,384 columns.
    assert max(widest) == 2


def test_blank_rows_count_toward_the_cap():
    # Two cells, the second on row 100,000 of a declared A1:B100000: the 99,998 rows between
    # them are read as blank ones, which the cap on rows of data never saw (before: 1 row read
    # back, after a read of the whole declared sheet).
    source = _workbook("A1:B100000", {1: _cell("A1", "code"), 100000: _cell("A100000", "M1")})
    with pytest.raises(TableError) as refused:
        read_table(source, "xlsx", max_rows=10)
    assert "10" in str(refused.value)


def test_a_workbook_that_expands_far_beyond_its_rows_is_refused_unread(monkeypatch):
    # 8 MB of zeros compress to a few KB: the upload is small, what would be parsed is not.
    source = _workbook(
        "A1:A2",
        {1: _cell("A1", "code"), 2: _cell("A2", "M1")},
        extra={"xl/sharedStrings.xml": b"<sst>" + b" " * 8_000_000 + b"</sst>"},
    )
    assert len(source.getvalue()) < 100_000

    def never(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("openpyxl was asked to parse it")

    monkeypatch.setattr("openpyxl.load_workbook", never)
    with pytest.raises(TableError) as refused:
        read_table(source, "xlsx", max_rows=100)
    assert "MB" in str(refused.value)


def test_an_ordinary_workbook_reads_as_before():
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["code", "name", "note"])
    for n in range(50):
        sheet.append([f"M{n}", f"事项{n}", None if n % 2 else "备注"])
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    table = read_table(out, "xlsx", max_rows=50)
    assert len(table.rows) == 50
    assert table.rows[1] == (3, {"code": "M1", "name": "事项1", "note": ""})
    out.seek(0)
    with pytest.raises(TableError):
        read_table(out, "xlsx", max_rows=49)


def test_a_cell_far_right_on_every_row_does_not_widen_the_rows(monkeypatch):
    # Review, session 25, L1: with the dimensions reset, one cell at column XFD on each row
    # still made each row 16,384 cells wide; rows are read as wide as the header.
    widest: list[int] = []
    checked = tables._checked

    def spy(number, values, *args, **kwargs):  # type: ignore[no-untyped-def]
        widest.append(len(values))
        return checked(number, values, *args, **kwargs)

    monkeypatch.setattr(tables, "_checked", spy)
    rows = {1: _cell("A1", "code") + _cell("B1", "name")}
    for n in range(2, 12):
        rows[n] = _cell(f"A{n}", f"M{n}") + _cell(f"B{n}", "事项") + _cell(f"XFD{n}", "x")
    table = read_table(_workbook("A1:B11", rows), "xlsx", max_rows=100)
    assert len(table.rows) == 10
    assert table.rows[0] == (2, {"code": "M2", "name": "事项"})
    assert max(widest[1:]) == 2
