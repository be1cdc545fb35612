"""Spreadsheets written the way a person's Excel or CSV file would look."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook


def xlsx(path: Path, rows: Sequence[Sequence[Any]]) -> str:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return str(path)


def csv_file(path: Path, rows: Sequence[Sequence[Any]], encoding: str = "utf-8-sig") -> str:
    out = StringIO()
    csv.writer(out).writerows(rows)
    path.write_text(out.getvalue(), encoding=encoding)
    return str(path)


def read_xlsx(path: Path) -> list[list[Any]]:
    sheet = load_workbook(path, read_only=True).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def cites(report: str, row: int, column: str) -> bool:
    """The report names the row and column (English or Chinese message catalogue)."""
    return f"row {row}, {column}:" in report or f"第 {row} 行，{column}：" in report


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def run_refused(*args: str) -> str:
    """Run a command that must fail (exit status 1); returns what it printed and its message."""
    out = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue() + str(refused.value)
