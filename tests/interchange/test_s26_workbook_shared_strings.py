"""A workbook of a few rows cannot hold millions of shared strings (attack, session 26, h5 F4;
06931a8). openpyxl reads the whole shared-strings table into a list before the first row, and the
expansion cap of a 20,000-row import is 82 MB: 3.2 million copies of one short text, a 188 KB
upload, took 25 s and 700 MB. Counted before openpyxl is asked, such a file is refused unread."""

from __future__ import annotations

import pytest

from hotline.interchange.tables import TableError, read_table
from tests.interchange.test_s25_workbook_amplification import _cell, _workbook


def test_a_workbook_with_far_more_shared_strings_than_rows_is_refused_unread(monkeypatch):
    strings = b"<sst>" + b"<si><t>abcdefgh</t></si>" * 5_000 + b"</sst>"
    source = _workbook(
        "A1:A2",
        {1: _cell("A1", "terms"), 2: _cell("A2", "居住证")},
        extra={"xl/sharedStrings.xml": strings},
    )

    def never(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("openpyxl was asked to parse it")

    monkeypatch.setattr("openpyxl.load_workbook", never)
    with pytest.raises(TableError) as refused:
        read_table(source, "xlsx", max_rows=100)
    assert "5,000" in str(refused.value)


def test_a_workbook_written_by_a_spreadsheet_program_reads_as_before():
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["terms", "one_way"])
    for n in range(100):
        sheet.append([f"词{n} 同义{n}", "no"])
    import io

    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    assert len(read_table(out, "xlsx", max_rows=100).rows) == 100
