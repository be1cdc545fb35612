"""Spreadsheets in and out: ``.xlsx`` (openpyxl) and ``.csv`` files as rows of text cells.

Whatever the format, an import sees a header and rows of stripped strings keyed by column name,
each with the row number a spreadsheet shows (the header is row 1). Excel's typed cells are turned
into the text a CSV would hold: whole numbers without ``.0``, dates in ISO 8601, booleans as
``true``/``false``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO

from django.utils.translation import gettext as _

from hotline.interchange.cell_writer import csv_writer, excel_row
from hotline.security.control_chars import strip_controls

FORMATS = ("xlsx", "csv")


class TableError(Exception):
    """The file cannot be read as a table at all (wrong format, broken workbook, encoding)."""


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)

    def missing(self, columns: Iterable[str]) -> list[str]:
        return [c for c in columns if c not in self.header]


def format_of(name: str) -> str:
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise TableError(
            _("Unknown file type %(suffix)r: use .xlsx or .csv.") % {"suffix": "." + suffix}
        )
    return suffix


def cell_text(value: Any) -> str:
    """The text a CSV file would hold for an Excel cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        # Control characters pasted from another program mean nothing in a cell (and PostgreSQL
        # cannot store a NUL): they go, as they do from the pages' forms.
        text = strip_controls(value).strip()
        if text.startswith("'") and text[1:2] and text[1] in "=+-@":
            return text[1:]
        return text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _table(rows: Iterator[Sequence[Any]]) -> Table:
    try:
        first = next(rows)
    except StopIteration:
        return Table(header=[])
    header = [cell_text(v) for v in first]
    while header and not header[-1]:
        header.pop()
    table = Table(header=header)
    for number, values in enumerate(rows, start=2):
        cells = [cell_text(v) for v in values]
        row = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header) if name}
        if any(row.values()):
            table.rows.append((number, row))
    return table


def _decode(data: bytes) -> str:
    # Excel on a Chinese Windows saves "CSV" in GB18030 (GBK); everything else sends UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError(_("The CSV file is neither UTF-8 nor GB18030 text."))


def read_table(source: BinaryIO, fmt: str) -> Table:
    """Read a whole ``.xlsx`` (first sheet) or ``.csv`` file."""
    if fmt == "csv":
        text = _decode(source.read())
        return _table(iter(csv.reader(io.StringIO(text, newline=""))))
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, ValueError … for a bad file
        raise TableError(_("Not an Excel workbook: %(error)s") % {"error": exc}) from None
    try:
        sheet = workbook.worksheets[0]
        return _table(sheet.iter_rows(values_only=True))
    finally:
        workbook.close()


def write_table(
    out: BinaryIO | IO[bytes],
    fmt: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str,
) -> int:
    """Write the header and rows through the one cell writer; returns the number of rows. CSV is
    UTF-8 with a BOM, so that Excel opens Chinese text correctly."""
    count = 0
    if fmt == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
        writer = csv_writer(text, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
        text.flush()
        text.detach()
        return count
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(excel_row(sheet, header))
    for row in rows:
        sheet.append(excel_row(sheet, row))
        count += 1
    workbook.save(out)
    return count
