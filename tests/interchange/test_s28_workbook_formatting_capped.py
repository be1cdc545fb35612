"""A workbook's formatting cannot take the expansion cap meant for its rows (attack, session 28,
h4 F2).

The cap lets an import's parts expand to rows x 4,096 bytes, and the shared strings, rows and
cells are counted; but openpyxl parses the styles part (and the workbook, the manifest, the
relationships) whole before the first row, and a workbook could put the whole allowance there: a
113 KB upload with 37 MB of identical cell formats took 11 CPU s and 670 MB on a 20,000-row
import (the matters' admin), 26 KB with 7.4 MB took 2.8 s on the synonyms list's 2,000. Now those
parts together may open to 4 MB; more is refused before openpyxl reads a byte, saying what to do.
A workbook saved by Excel or WPS with its formats reads as before."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from hotline.interchange import tables
from hotline.interchange.tables import TableError, read_table

FORMAT = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'


def _workbook(formats: int = 0) -> bytes:
    """The synonyms list Lin Yu imports, two rows; ``formats`` more cell formats in its styles."""
    book = Workbook()
    sheet = book.active
    sheet.append(["词", "同义词"])
    sheet.append(["居住证", "居住登记"])
    sheet["A1"].font = Font(bold=True)
    sheet["A1"].fill = PatternFill("solid", fgColor="FFFF00")
    saved = io.BytesIO()
    book.save(saved)
    if not formats:
        return saved.getvalue()
    source = zipfile.ZipFile(io.BytesIO(saved.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/styles.xml":
                head, tail = data.split(b"</cellXfs>")
                data = head + FORMAT * formats + b"</cellXfs>" + tail
            target.writestr(info, data)
    return out.getvalue()


def _never(*args, **kwargs):  # type: ignore[no-untyped-def]
    raise AssertionError("openpyxl was asked to read it")


def test_megabytes_of_cell_formats_are_refused_unread(monkeypatch):
    upload = _workbook(formats=120_000)  # 7.4 MB of styles from about 27 KB
    assert len(upload) < 64 * 1024
    monkeypatch.setattr("openpyxl.load_workbook", _never)
    monkeypatch.setattr("openpyxl.reader.excel.load_workbook", _never)
    with pytest.raises(TableError) as refused:
        read_table(io.BytesIO(upload), "xlsx", max_rows=2_000, strings_per_row=4)
    assert "4 MB" in str(refused.value)  # the limit, said in the page's language
    assert "CSV" in str(refused.value)


def test_the_cap_is_on_those_parts_together_not_on_the_rows_allowance():
    # Within the 20,000-row import's 82 MB expansion cap, refused all the same.
    upload = _workbook(formats=80_000)  # 5 MB of styles
    with pytest.raises(TableError):
        read_table(io.BytesIO(upload), "xlsx", max_rows=20_000)
    assert tables.PARSED_WHOLE_BYTES == 4 * 1024 * 1024


def test_a_workbook_with_its_formats_reads_as_before():
    table = read_table(io.BytesIO(_workbook(formats=2_000)), "xlsx", max_rows=2_000)
    assert table.rows == [(2, {"词": "居住证", "同义词": "居住登记"})]
