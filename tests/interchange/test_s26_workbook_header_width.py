"""A workbook's header cannot widen every row again (attack, session 26, h5 F3; 9619c07).

Rows are read as wide as the header's last named column, and the header is the uploader's: one
name in column XFD made every row of one cell 16,384 cells wide (a 31 KB file of 2,000 rows held
the KB reviewer's synonyms import for 21 s, 20,000 rows for minutes). A header is read up to
column CV (100 columns, several times the widest file the app writes); a name past it is refused
before any row is read, saying which column."""

from __future__ import annotations

import pytest

from hotline.interchange import tables
from hotline.interchange.tables import TableError, read_table
from tests.interchange.test_s25_workbook_amplification import _cell, _workbook


def _spy(monkeypatch) -> list[int]:
    widths: list[int] = []
    checked = tables._checked

    def spy(number, values, *args, **kwargs):  # type: ignore[no-untyped-def]
        widths.append(len(values))
        return checked(number, values, *args, **kwargs)

    monkeypatch.setattr(tables, "_checked", spy)
    return widths


def test_a_header_named_far_right_is_refused_before_the_rows_are_read(monkeypatch):
    widths = _spy(monkeypatch)
    rows = {1: _cell("A1", "terms") + _cell("B1", "one_way") + _cell("XFD1", "x")}
    for n in range(2, 52):
        rows[n] = _cell(f"A{n}", f"词{n}")
    with pytest.raises(TableError) as refused:
        read_table(_workbook("A1:A51", rows), "xlsx", max_rows=20_000)
    assert "XFD" in str(refused.value) and "CV" in str(refused.value)
    # Before: 50 rows of 16,384 cells each were read.
    assert widths == []


def test_a_header_up_to_column_cv_reads_as_before():
    rows = {1: _cell("A1", "terms") + _cell("CV1", "note")}
    rows[2] = _cell("A2", "居住证 居住登记") + _cell("CV2", "备注")
    table = read_table(_workbook("A1:CV2", rows), "xlsx", max_rows=10)
    assert table.rows == [(2, {"terms": "居住证 居住登记", "note": "备注"})]
