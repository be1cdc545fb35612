"""The one cell writer for every spreadsheet and CSV file the product emits.

Imports and exports, the monthly report (``/dashboard/report.xlsx``), the sampling CSV and
``export-data`` all pass their values through :func:`csv_cell` or :func:`excel_cell`, so that

- text a citizen or a unit typed never becomes a live formula (CSV injection): in CSV a cell
  starting with ``= + - @``, a tab or a carriage return gets a leading apostrophe (the import
  reader drops it again, see :func:`hotline.interchange.tables.cell_text`); in ``.xlsx`` such text
  is stored as a string cell, which Excel never evaluates;
- control characters openpyxl refuses (and that mean nothing in a cell) are dropped, so one stray
  ``\\x0b`` in old data cannot stop an export half-way;
- aware datetimes are written as the hotline's local wall-clock time (Excel has no time zones);
- text longer than a cell holds (:data:`EXCEL_MAX_CELL`) ends in a visible, translated note
  saying it was cut and how long it was, instead of openpyxl's silent cut; the cut cell is
  exactly the limit long, which the import reader refuses as "most likely cut", so a cut text
  never comes back as if it were whole.

:func:`atomic_output` writes a file under a temporary name and renames it into place, so a failed
export leaves the previous file (or none), never a truncated one.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from hotline.security.control_chars import strip_controls

#: A cell starting with one of these is a formula to Excel or LibreOffice when read from CSV.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The longest text an Excel cell holds; openpyxl cuts a longer one to it without a word.
EXCEL_MAX_CELL = 32_767


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if value.tzinfo is not None else value


def csv_cell(value: Any) -> Any:
    """``value`` as a CSV writer should receive it."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = strip_controls(value)
        return "'" + text if text.startswith(FORMULA_STARTS) else text
    if isinstance(value, dt.datetime):
        return _local(value).isoformat(sep=" ", timespec="seconds")
    return value


def csv_row(values: Any) -> list[Any]:
    """A whole row through :func:`csv_cell`."""
    return [csv_cell(v) for v in values]


def excel_cell(sheet: Any, value: Any) -> Any:
    """``value`` as ``sheet.append`` should receive it (a normal or a write-only worksheet)."""
    if isinstance(value, dt.datetime):
        return _local(value).replace(tzinfo=None)
    if not isinstance(value, str):
        return value
    text = strip_controls(value)
    if len(text) > EXCEL_MAX_CELL:
        text = cut_for_excel(text)
    if text.startswith("="):
        # openpyxl stores any string starting with "=" as a formula: force a string cell.
        from openpyxl.cell.cell import Cell

        cell = Cell(sheet, row=1, column=1, value=text)  # as WriteOnlyCell makes it
        cell.data_type = "s"
        return cell
    return text


def cut_for_excel(text: str) -> str:
    """``text`` cut to exactly :data:`EXCEL_MAX_CELL` characters, ending in a note that says so."""
    note = _("… [cut here: the full text has %(n)s characters; export as CSV to keep it whole]") % {
        "n": f"{len(text):,}"
    }
    return text[: EXCEL_MAX_CELL - len(note)] + note


def excel_row(sheet: Any, values: Any) -> list[Any]:
    """A whole row through :func:`excel_cell`."""
    return [excel_cell(sheet, v) for v in values]


@contextlib.contextmanager
def atomic_output(path: str | Path) -> Iterator[IO[bytes]]:
    """A binary file that appears at ``path`` only when the block finishes without an error."""
    target = Path(path)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent or Path("."), prefix=f".{target.name}.", suffix=".part"
    )
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


class CsvWriter:
    """``csv.writer`` with every row through :func:`csv_row` (for HTTP responses and files)."""

    def __init__(self, stream: Any, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, values: Any) -> Any:
        return self._writer.writerow(csv_row(values))


def csv_writer(stream: Any, **options: Any) -> CsvWriter:
    """The product's only way to start writing CSV rows."""
    return CsvWriter(stream, **options)
